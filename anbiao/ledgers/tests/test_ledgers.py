"""The simple ledgers through their pages: create, read, edit, delete, filters, export, scope and roles."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anbiao.core.models import AuditEvent, EvidenceFile
from anbiao.ledgers.kinds import KINDS
from anbiao.ledgers.models import Equipment, RuleDocument
from anbiao.ledgers.testing import make

FORMS = {
    "regulations": {"category": "law", "title": "中华人民共和国安全生产法", "reviewed_on": "2025-02-01"},
    "documents": {
        "kind": "procedure",
        "title": "叉车安全操作规程",
        "version": "1.0",
        "approved_on": "2025-02-01",
        "next_review_on": "2026-02-01",
        "status": "effective",
    },
    "equipment": {
        "category": "special",
        "special_kind": "lift",
        "name": "载货电梯",
        "location": "一号仓库",
        "responsible": "王师傅",
        "registration_number": "梯11闽C12345",
        "commissioned_on": "2022-01-01",
        "inspection_interval_months": "12",
        "first_due": "2026-12-20",
        "status": "in_use",
    },
    "plans": {
        "kind": "comprehensive",
        "title": "综合应急预案",
        "version": "1.0",
        "issued_on": "2025-03-01",
        "review_due": "2028-03-01",
        "drill_interval_months": "12",
        "status": "effective",
    },
    "supplies": {"name": "灭火器", "quantity": "8", "unit_label": "具", "location": "值班室"},
    "training": {"kind": "annual", "title": "年度再培训", "planned_on": "2025-05-01", "hours": "8"},
    "drills": {"held_on": "2025-06-01", "form": "tabletop", "scenario": "火灾疏散", "participants": "10"},
}
BAD = {
    "regulations": ("reviewed_on", "不是", "日期"),
    "documents": ("next_review_on", "2024-01-01", "下次评审修订日期须晚于批准发布日期"),
    "equipment": ("registration_number", "", "特种设备须填写使用登记证编号"),
    "plans": ("filed_on", "2025-03-05", "已备案的预案须填写备案部门"),
    "supplies": ("quantity", "很多", "整数"),
    "training": ("hours", "0", "0.5"),
    "drills": ("participants", "-1", "0"),
}


def _post(world, key, **overrides):
    return {"enterprise": world.ent_a.pk, **FORMS[key], **overrides}


@pytest.mark.parametrize("key", list(KINDS))
def test_an_enterprise_user_records_a_ledger_row_and_it_is_audited(world, login, key):
    client = login(world.safety_a)
    assert client.get(reverse(f"ledgers:{key}_create")).status_code == 200
    response = client.post(reverse(f"ledgers:{key}_create"), _post(world, key))
    assert response.status_code == 302, response.context and response.context["form"].errors
    model = KINDS[key].model
    obj = model.objects.get()
    assert obj.enterprise == world.ent_a and obj.created_by == world.safety_a
    assert response["Location"] == reverse(f"ledgers:{key}_detail", args=[obj.pk])
    assert AuditEvent.objects.filter(
        action=f"ledgers.{model.audit_name}_create", object_id=str(obj.pk), enterprise_id=world.ent_a.pk
    ).exists()
    page = client.get(reverse(f"ledgers:{key}_detail", args=[obj.pk]))
    assert page.status_code == 200 and world.ent_a.name in page.content.decode()


@pytest.mark.parametrize("key", list(KINDS))
def test_bad_input_is_named_in_chinese_and_nothing_is_written(world, login, key):
    field, value, message = BAD[key]
    client = login(world.safety_a)
    before = (KINDS[key].model.objects.count(), AuditEvent.objects.count())
    response = client.post(reverse(f"ledgers:{key}_create"), _post(world, key, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (KINDS[key].model.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("key", list(KINDS))
def test_nobody_records_for_an_enterprise_outside_their_reach(world, login, key):
    client = login(world.safety_a)
    before = KINDS[key].model.objects.count()
    response = client.post(reverse(f"ledgers:{key}_create"), _post(world, key, enterprise=world.ent_b.pk))
    assert response.status_code == 200 and "enterprise" in response.context["form"].errors
    assert KINDS[key].model.objects.count() == before


@pytest.mark.parametrize("user", ["leader", "inspector", "expert"])
def test_read_only_roles_cannot_open_the_create_pages(world, login, user):
    client = login(getattr(world, user))
    assert client.get(reverse("ledgers:regulations_create")).status_code == 403


@pytest.mark.parametrize("key", list(KINDS))
def test_editing_a_row_changes_it_and_records_before_and_after(world, login, key):
    obj = make(KINDS[key].model, world.ent_a)
    client = login(world.admin_a)
    assert client.get(reverse(f"ledgers:{key}_update", args=[obj.pk])).status_code == 200
    data = {k: v for k, v in FORMS[key].items()}
    text_field = next(f for f in ("title", "name", "scenario") if f in data)
    data[text_field] = "改过的名称"
    response = client.post(reverse(f"ledgers:{key}_update", args=[obj.pk]), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    obj.refresh_from_db()
    assert getattr(obj, text_field) == "改过的名称"
    event = AuditEvent.objects.get(action=f"ledgers.{obj.audit_name}_update", object_id=str(obj.pk))
    assert event.after[text_field] == "改过的名称" and event.actor == world.admin_a


def test_a_sibling_units_admin_cannot_edit_or_delete_and_nothing_changes(world, login):
    obj = make(RuleDocument, world.ent_a)
    client = login(world.admin_b)
    assert (
        client.post(reverse("ledgers:documents_update", args=[obj.pk]), FORMS["documents"]).status_code == 404
    )
    assert client.post(reverse("ledgers:documents_delete", args=[obj.pk])).status_code == 404
    obj.refresh_from_db()
    assert obj.title == "安全生产责任制度"


def test_a_leader_may_read_but_not_edit_or_delete(world, login):
    obj = make(RuleDocument, world.ent_a)
    client = login(world.leader)
    assert client.get(reverse("ledgers:documents_detail", args=[obj.pk])).status_code == 200
    assert client.get(reverse("ledgers:documents_update", args=[obj.pk])).status_code == 403
    assert client.post(reverse("ledgers:documents_delete", args=[obj.pk])).status_code == 403
    assert RuleDocument.objects.filter(pk=obj.pk).exists()


def test_deleting_a_row_is_audited_and_equipment_with_inspections_is_kept(world, login):
    from anbiao.ledgers.testing import make_inspection

    doc = make(RuleDocument, world.ent_a)
    client = login(world.principal_a)
    assert client.post(reverse("ledgers:documents_delete", args=[doc.pk])).status_code == 302
    assert not RuleDocument.objects.filter(pk=doc.pk).exists()
    assert AuditEvent.objects.filter(action="ledgers.document_delete", object_id=str(doc.pk)).exists()
    eq = make(Equipment, world.ent_a)
    make_inspection(eq)
    response = client.post(reverse("ledgers:equipment_delete", args=[eq.pk]), follow=True)
    assert "不能删除" in response.content.decode()
    assert Equipment.objects.filter(pk=eq.pk).exists()


def test_a_document_uploaded_with_a_rule_is_stored_as_evidence_of_the_enterprise(world, login):
    from anbiao.core.testing import png_bytes

    client = login(world.safety_a)
    upload = SimpleUploadedFile("制度.png", png_bytes())
    response = client.post(
        reverse("ledgers:documents_create"), {**_post(world, "documents"), "upload": upload}
    )
    assert response.status_code == 302
    doc = RuleDocument.objects.get()
    assert doc.file.enterprise == world.ent_a and doc.file.owner_id == str(doc.pk)
    assert client.get(reverse("core:file_download", args=[doc.file.pk])).status_code == 200
    assert login(world.principal_b).get(reverse("core:file_download", args=[doc.file.pk])).status_code == 404


def test_a_refused_upload_type_writes_no_row(world, login):
    client = login(world.safety_a)
    upload = SimpleUploadedFile("x.html", b"<html><script>alert(1)</script></html>")
    response = client.post(
        reverse("ledgers:documents_create"), {**_post(world, "documents"), "upload": upload}
    )
    assert response.status_code == 200 and "不支持的文件类型" in response.content.decode()
    assert (
        RuleDocument.objects.count() == 0
        and EvidenceFile.objects.filter(owner_type__startswith="ledgers").count() == 0
    )


@pytest.mark.parametrize("key", list(KINDS))
def test_every_ledger_list_runs_a_fixed_number_of_queries(world, login, key, django_assert_max_num_queries):
    model = KINDS[key].model
    for i in range(15):
        make(model, world.ent_a if i % 2 else world.ent_a1)
    client = login(world.county_admin)
    client.get(reverse(f"ledgers:{key}_list"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse(f"ledgers:{key}_list"))
    assert len(response.context["rows"]) == 15


@pytest.mark.parametrize("key", list(KINDS))
def test_every_ledger_exports_what_the_list_shows_and_the_file_reads_back(world, login, key):
    model = KINDS[key].model
    make(model, world.ent_a)
    make(model, world.ent_b)
    response = login(world.admin_a).get(reverse(f"ledgers:{key}_export"))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("企业", "监管单位")
    assert [r[0] for r in rows[1:]] == [world.ent_a.name]


def test_the_list_filters_by_unit_subtree_enterprise_search_and_due_state(world, login):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    make(RuleDocument, world.ent_a, title="过期制度", next_review_on=today - datetime.timedelta(days=1))
    make(RuleDocument, world.ent_a1, title="临期制度", next_review_on=today + datetime.timedelta(days=10))
    make(RuleDocument, world.ent_b, title="乙制度", next_review_on=today + datetime.timedelta(days=400))
    client = login(world.county_admin)

    def titles(**params):
        return {o.title for o, _ in client.get(reverse("ledgers:documents_list"), params).context["rows"]}

    assert titles(unit=world.unit_a.pk) == {"过期制度", "临期制度"}
    assert titles(enterprise=world.ent_a1.pk) == {"临期制度"}
    assert titles(q="乙") == {"乙制度"}
    assert titles(review="overdue") == {"过期制度"}
    assert titles(review="due") == {"临期制度"}


def test_equipment_inspections_move_the_due_date_and_are_marked_backdated(world, login):
    eq = make(Equipment, world.ent_a)
    client = login(world.safety_a)
    data = {
        "kind": "periodic",
        "inspected_on": "2026-05-01",
        "agency": "泉州市特种设备检验所",
        "result": "pass",
        "next_due": "2027-05-01",
    }
    response = client.post(reverse("ledgers:inspection_add", args=[eq.pk]), data)
    assert response.status_code == 302
    eq.refresh_from_db()
    assert str(eq.next_inspection_due) == "2027-05-01"
    inspection = eq.inspections.get()
    assert inspection.backdated and inspection.recorded_by == world.safety_a
    assert AuditEvent.objects.filter(
        action="ledgers.inspection_create", object_id=str(inspection.pk)
    ).exists()
    page = client.get(reverse("ledgers:equipment_detail", args=[eq.pk])).content.decode()
    assert "泉州市特种设备检验所" in page and "补录" in page


def test_an_inspection_in_the_future_or_with_a_bad_next_date_is_refused(world, login):
    eq = make(Equipment, world.ent_a)
    client = login(world.safety_a)
    base = {"kind": "periodic", "agency": "检验所", "result": "pass"}
    r1 = client.post(
        reverse("ledgers:inspection_add", args=[eq.pk]),
        {**base, "inspected_on": "2099-01-01", "next_due": "2100-01-01"},
        follow=True,
    )
    assert "不能晚于今天" in r1.content.decode()
    r2 = client.post(
        reverse("ledgers:inspection_add", args=[eq.pk]),
        {**base, "inspected_on": "2025-01-01", "next_due": "2024-01-01"},
        follow=True,
    )
    assert "须晚于本次日期" in r2.content.decode()
    assert eq.inspections.count() == 0


def test_drill_photos_are_images_only_and_belong_to_the_drill(world, login):
    from anbiao.core.testing import png_bytes
    from anbiao.ledgers.models import Drill

    drill = make(Drill, world.ent_a)
    client = login(world.safety_a)
    ok = client.post(
        reverse("ledgers:drill_photo_add", args=[drill.pk]),
        {"photo": SimpleUploadedFile("p.png", png_bytes()), "title": "疏散"},
    )
    assert ok.status_code == 302
    photo = EvidenceFile.objects.get(owner_type="ledgers.drill", owner_id=str(drill.pk))
    assert photo.kind == "photo"
    bad = client.post(
        reverse("ledgers:drill_photo_add", args=[drill.pk]),
        {"photo": SimpleUploadedFile("p.pdf", b"%PDF-1.4 test")},
        follow=True,
    )
    assert "只能上传照片" in bad.content.decode()
    assert EvidenceFile.objects.filter(owner_type="ledgers.drill").count() == 1
    assert "疏散" in client.get(reverse("ledgers:drills_detail", args=[drill.pk])).content.decode()


def test_a_drill_may_not_point_at_another_enterprises_plan(world, login):
    from anbiao.ledgers.models import Drill, EmergencyPlan

    other_plan = make(EmergencyPlan, world.ent_a1)
    client = login(world.admin_a)
    response = client.post(reverse("ledgers:drills_create"), _post(world, "drills", plan=other_plan.pk))
    assert response.status_code == 200 and "预案不属于该企业" in response.content.decode()
    assert Drill.objects.count() == 0


@pytest.mark.parametrize("key", ["regulations", "equipment", "plans", "supplies", "training", "drills"])
def test_every_simple_ledger_row_can_be_deleted_by_its_enterprise_with_an_audit_row(world, login, key):
    obj = make(KINDS[key].model, world.ent_a)
    client = login(world.safety_a)
    response = client.post(reverse(f"ledgers:{key}_delete", args=[obj.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(f"ledgers:{key}_list")
    assert not KINDS[key].model.objects.filter(pk=obj.pk).exists()
    event = AuditEvent.objects.get(action=f"ledgers.{obj.audit_name}_delete", object_id=str(obj.pk))
    assert event.before and event.enterprise_id == world.ent_a.pk


def test_a_drill_records_the_enterprises_standing_rescue_team_only(world, login):
    import datetime

    from django.apps import apps

    from anbiao.ledgers.models import Drill

    Team = apps.get_model("duty", "RescueTeam")
    own = Team.objects.create(
        enterprise=world.ent_a,
        name="义务消防队",
        employment="part_time",
        valid_from=datetime.date(2024, 1, 1),
    )
    other = Team.objects.create(
        enterprise=world.ent_a1,
        name="甲二消防队",
        employment="part_time",
        valid_from=datetime.date(2024, 1, 1),
    )
    disbanded = Team.objects.create(
        enterprise=world.ent_a,
        name="旧队伍",
        employment="part_time",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2023, 1, 1),
    )
    client = login(world.admin_a)
    options = client.get(reverse("ledgers:drills_create")).context["form"].fields["team"].queryset
    assert own in options and disbanded not in options
    refused = client.post(reverse("ledgers:drills_create"), _post(world, "drills", team=other.pk))
    assert "救援队伍不属于该企业" in refused.content.decode()
    response = client.post(reverse("ledgers:drills_create"), _post(world, "drills", team=own.pk))
    assert response.status_code == 302
    assert Drill.objects.get().team == own and list(own.drills.all()) == [Drill.objects.get()]
