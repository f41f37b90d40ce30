"""Self-assessment: start, step-by-step scoring, submit (locks), announce, return; report; query ceilings."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document

from anbiao.core.models import AuditEvent
from anbiao.core.scope import Scope
from anbiao.core.testing import system_scope
from anbiao.standards import services, workflow
from anbiao.standards.models import AssessmentEntry, SelfAssessment, Standard

DAY = datetime.date(2026, 3, 1)


def _start(world, enterprise=None, year=2026, **kw):
    return services.assessment_create(
        actor=None,
        scope=system_scope(world.county),
        enterprise=enterprise or world.ent_a,
        year=year,
        leader_name="张三",
        started_on=datetime.date(year, 3, 1),
        **kw,
    )


def _score_all(world, a, deduction=0):
    rows = {
        e.pk: {"applicable": True, "deduction": D(deduction), "reason": "缺记录" if deduction else ""}
        for e in a.entries.all()
    }
    return services.entries_save(actor=None, scope=system_scope(world.county), assessment=a, rows=rows)


def test_the_standard_is_chosen_by_the_enterprise_class(world):
    small = _start(world)
    assert small.standard.code == "QZ-ZXW-DBXZ"
    world.ent_a1.size_class = "above_scale"
    world.ent_a1.save()
    big = _start(world, world.ent_a1)
    assert big.standard.code == "GB/T 33000-2016"
    assert big.entries.count() == Standard.objects.get(code="GB/T 33000-2016").items.filter(level=3).count()


def test_the_gbt_catalogue_has_8_elements_and_28_sub_elements(db):
    gbt = Standard.objects.get(code="GB/T 33000-2016")
    assert gbt.items.filter(level=1).count() == 8
    assert gbt.items.filter(level=2).count() == 28
    assert gbt.items.filter(level=3, unverified=True).count() == gbt.items.filter(level=3).count()
    assert gbt.items.filter(is_veto=True).exists()


def test_one_assessment_per_enterprise_and_year(world):
    _start(world)
    with pytest.raises(ValidationError):
        _start(world)
    assert SelfAssessment.objects.filter(enterprise=world.ent_a).count() == 1


def test_scoring_a_step_recomputes_the_totals_and_is_audited(world):
    a = _start(world)
    entries = list(a.entries.select_related("item"))
    first, second = entries[0], entries[1]
    services.entries_save(
        actor=world.principal_a,
        scope=Scope.for_user(world.principal_a),
        assessment=a,
        rows={
            first.pk: {"applicable": True, "deduction": D("2"), "reason": "未公示"},
            second.pk: {"applicable": False},
        },
    )
    a.refresh_from_db()
    assert a.full_score == D("100") and a.not_applicable_score == second.item.score
    assert a.earned_score == D("100") - second.item.score - 2
    expected = ((a.earned_score / (D("100") - second.item.score)) * 100).quantize(D("0.1"))
    assert a.percent == expected
    assert AuditEvent.objects.filter(action="standards.assessment_score", object_id=str(a.pk)).count() == 1


def test_a_deduction_without_reason_or_above_the_item_score_is_refused_and_nothing_is_saved(world):
    a = _start(world)
    first, second = list(a.entries.select_related("item"))[:2]
    scope = system_scope(world.county)
    with pytest.raises(ValidationError) as exc:
        services.entries_save(
            actor=None,
            scope=scope,
            assessment=a,
            rows={
                first.pk: {"deduction": D("1"), "reason": "ok"},
                second.pk: {"deduction": D("1"), "reason": ""},
            },
        )
    assert second.item.code in str(exc.value)
    assert not AssessmentEntry.objects.filter(assessment=a, checked=True).exists()
    with pytest.raises(ValidationError):
        services.entries_save(
            actor=None,
            scope=scope,
            assessment=a,
            rows={first.pk: {"deduction": first.item.score + 1, "reason": "x"}},
        )


def test_submit_needs_every_item_scored_then_locks_the_assessment(world):
    a = _start(world)
    principal = Scope.for_user(world.principal_a)
    with pytest.raises(ValidationError, match="未评"):
        services.assessment_submit(
            actor=world.principal_a, scope=principal, assessment=a, assessed_on=DAY, conclusion="好"
        )
    _score_all(world, a, deduction=1)
    a = services.assessment_submit(
        actor=world.principal_a, scope=principal, assessment=a, assessed_on=DAY, conclusion="基本符合"
    )
    assert a.status == "submitted" and a.submitted_by == world.principal_a
    assert a.result_basis["thresholds"] == {
        "1": "60.0",
        "2": "60.0",
        "3": "60.0",
    }  # 泉州标准: 不分级, 60 达标
    assert a.level_supported == 4
    before = AuditEvent.objects.count()
    entry = a.entries.first()
    with pytest.raises(ValidationError, match="锁定"):
        services.entries_save(
            actor=world.principal_a, scope=principal, assessment=a, rows={entry.pk: {"deduction": D("0")}}
        )
    with pytest.raises(ValidationError, match="锁定"):
        services.assessment_update(
            actor=world.principal_a, scope=principal, assessment=a, data={"leader_name": "李四"}
        )
    assert AuditEvent.objects.count() == before
    entry.refresh_from_db()
    assert entry.deduction == D("1")


def test_the_locked_step_page_redirects_and_a_post_changes_nothing(world, login):
    a = _start(world)
    _score_all(world, a)
    services.assessment_submit(
        actor=None, scope=system_scope(world.county), assessment=a, assessed_on=DAY, conclusion="x"
    )
    client = login(world.principal_a)
    assert client.get(reverse("standards:assessment_step", args=[a.pk])).status_code == 302
    entry = a.entries.select_related("item__parent__parent").first()
    response = client.post(
        reverse("standards:assessment_step", args=[a.pk]),
        {"element": entry.item.parent.parent.code, f"e{entry.pk}-deduction": "3", f"e{entry.pk}-reason": "x"},
    )
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.deduction == 0


def test_a_veto_finding_blocks_the_level_on_submission(world):
    a = _start(world)
    _score_all(world, a)
    veto = a.entries.filter(item__is_veto=True).first()
    services.entries_save(
        actor=None,
        scope=system_scope(world.county),
        assessment=a,
        rows={veto.pk: {"veto_failed": True, "reason": "未落实"}},
    )
    a = services.assessment_submit(
        actor=None, scope=system_scope(world.county), assessment=a, assessed_on=DAY, conclusion="x"
    )
    assert a.percent == D("100.0") and a.veto_failed
    assert a.level_by_score is None and a.level_supported is None
    assert "否决项" in a.level_reasons[0]


# --- workflow table, by role ------------------------------------------------------------------------------
MOVES = [
    # (action, from status, user, allowed)
    ("submit", "draft", "principal_a", True),
    ("submit", "draft", "safety_a", False),
    ("submit", "draft", "admin_a", True),
    ("submit", "draft", "leader", False),
    ("submit", "submitted", "principal_a", False),
    ("announce", "submitted", "principal_a", True),
    ("announce", "submitted", "safety_a", False),
    ("announce", "draft", "principal_a", False),
    ("announce", "announced", "principal_a", False),
    ("reopen", "submitted", "admin_a", True),
    ("reopen", "submitted", "principal_a", False),
    ("reopen", "announced", "admin_a", False),
    ("reopen", "draft", "admin_a", False),
]


@pytest.mark.parametrize(("action", "status", "user", "allowed"), MOVES)
def test_every_assessment_move_by_role(world, action, status, user, allowed):
    a = _start(world)
    _score_all(world, a)
    root = system_scope(world.county)
    if status in ("submitted", "announced"):
        a = services.assessment_submit(actor=None, scope=root, assessment=a, assessed_on=DAY, conclusion="x")
    if status == "announced":
        a = services.assessment_announce(
            actor=None, scope=root, assessment=a, announced_on=DAY, method="职工大会"
        )
    actor = getattr(world, user)
    data = {
        "conclusion": "结论",
        "assessed_on": DAY,
        "announced_on": DAY,
        "method": "公示栏",
        "reason": "补充证据",
    }
    events = AuditEvent.objects.count()
    if allowed:
        result = services.perform(
            actor=actor, scope=Scope.for_user(actor), assessment=a, action=action, data=data
        )
        assert result.status == workflow.find(workflow.ASSESSMENT, status, action).target
        assert AuditEvent.objects.filter(action=f"standards.assessment_{action}").exists()
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            services.perform(actor=actor, scope=Scope.for_user(actor), assessment=a, action=action, data=data)
        a.refresh_from_db()
        assert a.status == status and AuditEvent.objects.count() == events


def test_the_sibling_units_admin_cannot_reach_an_assessment(world, login):
    a = _start(world)
    client = login(world.admin_b)
    for name in ("assessment_detail", "assessment_step", "assessment_report"):
        assert client.get(reverse(f"standards:{name}", args=[a.pk])).status_code == 404
    assert (
        client.post(reverse("standards:assessment_action", args=[a.pk]), {"action": "submit"}).status_code
        == 404
    )


# --- pages ------------------------------------------------------------------------------------------------
def test_the_principal_starts_scores_step_by_step_submits_and_announces_through_the_pages(world, login):
    client = login(world.principal_a)
    response = client.post(
        reverse("standards:assessment_create"),
        {
            "enterprise": world.ent_a.pk,
            "year": 2026,
            "leader_name": "张三",
            "team_members": "李四 安全员",
            "started_on": "2026-03-01",
        },
    )
    a = SelfAssessment.objects.get(enterprise=world.ent_a, year=2026)
    assert response.status_code == 302 and response["Location"].endswith(f"/assessments/{a.pk}/step/")
    elements = list(a.standard.items.filter(level=1))
    page = client.get(reverse("standards:assessment_step", args=[a.pk]))
    assert page.status_code == 200 and page.context["element"] == elements[0]
    for n, el in enumerate(elements):
        data = {"element": el.code, "go": "next" if n + 1 < len(elements) else "done"}
        for e in a.entries.filter(item__parent__parent=el):
            data[f"e{e.pk}-applicable"] = "1"
            data[f"e{e.pk}-deduction"] = "1" if n == 0 else "0"
            data[f"e{e.pk}-reason"] = "资料缺失" if n == 0 else ""
        response = client.post(reverse("standards:assessment_step", args=[a.pk]), data)
        assert response.status_code == 302, response.content.decode()[:500]
    a.refresh_from_db()
    assert not a.entries.filter(checked=False).exists() and a.percent < 100
    response = client.post(
        reverse("standards:assessment_action", args=[a.pk]),
        {"action": "submit", "assessed_on": "2026-04-01", "conclusion": "体系运行有效"},
    )
    a.refresh_from_db()
    assert a.status == "submitted"
    client.post(
        reverse("standards:assessment_action", args=[a.pk]),
        {"action": "announce", "announced_on": "2026-04-02", "method": "职工大会"},
    )
    a.refresh_from_db()
    assert a.status == "announced" and a.announce_method == "职工大会"
    detail = client.get(reverse("standards:assessment_detail", args=[a.pk]))
    assert detail.status_code == 200 and "已通报" in detail.content.decode()


def test_a_step_with_a_bad_number_shows_the_error_and_saves_nothing(world, login):
    a = _start(world)
    client = login(world.safety_a)
    el = a.standard.items.filter(level=1).first()
    entries = list(a.entries.filter(item__parent__parent=el))
    data = {"element": el.code, "go": "next"}
    for e in entries:
        data[f"e{e.pk}-deduction"] = "1"
        data[f"e{e.pk}-reason"] = "x"
    data[f"e{entries[-1].pk}-deduction"] = "abc"
    response = client.post(reverse("standards:assessment_step", args=[a.pk]), data)
    assert response.status_code == 400
    assert "abc" in response.content.decode()
    assert not a.entries.filter(checked=True).exists()


def test_an_evidence_file_is_stored_with_a_step(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anbiao.core.models import EvidenceFile
    from anbiao.core.testing import png_bytes

    a = _start(world)
    client = login(world.principal_a)
    el = a.standard.items.filter(level=1).first()
    entry = a.entries.filter(item__parent__parent=el).first()
    response = client.post(
        reverse("standards:assessment_step", args=[a.pk]),
        {"element": el.code, "go": "stay", f"e{entry.pk}-file": SimpleUploadedFile("ev.png", png_bytes())},
    )
    assert response.status_code == 302
    f = EvidenceFile.objects.get(owner_type="standards.assessmententry", owner_id=str(entry.pk))
    assert f.enterprise == world.ent_a
    assert client.get(reverse("standards:assessment_step", args=[a.pk])).content.decode().count("ev.png") == 1


def test_the_header_can_be_edited_while_a_draft(world, login):
    a = _start(world)
    client = login(world.principal_a)
    assert client.get(reverse("standards:assessment_update", args=[a.pk])).status_code == 200
    client.post(
        reverse("standards:assessment_update", args=[a.pk]),
        {"leader_name": "王五", "started_on": "2026-03-02"},
    )
    a.refresh_from_db()
    assert a.leader_name == "王五"


def test_the_report_is_a_word_document_that_reads_back(world, login):
    last = _start(world, year=2025)
    _score_all(world, last, deduction=2)
    services.assessment_submit(
        actor=None,
        scope=system_scope(world.county),
        assessment=last,
        assessed_on=datetime.date(2025, 5, 1),
        conclusion="x",
    )
    a = _start(world)
    _score_all(world, a, deduction=1)
    a = services.assessment_submit(
        actor=None, scope=system_scope(world.county), assessment=a, assessed_on=DAY, conclusion="体系运行有效"
    )
    services.improvements_from_assessment(
        actor=None,
        scope=system_scope(world.county),
        assessment=a,
        responsible_name="李四",
        deadline=datetime.date(2026, 6, 1),
    )
    response = login(world.principal_a).get(reverse("standards:assessment_report", args=[a.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "甲一超市" in text and "2026年度安全生产标准化自评报告" in text
    for heading in (
        "企业概况",
        "自评组织",
        "自评方法",
        "得分情况",
        "扣分项",
        "否决项",
        "持续改进计划",
        "自评结论",
        "主要负责人（签字）",
        "单位盖章",
    ):
        assert heading in text, heading
    assert "与2025年度自评" in text
    tables = doc.tables
    score_table = next(t for t in tables if t.rows[0].cells[0].text == "一级要素")
    assert score_table.rows[-1].cells[0].text == "合计" and score_table.rows[-1].cells[4].text == str(
        a.percent
    )
    plan = next(t for t in tables if t.rows[0].cells[0].text == "问题")
    assert len(plan.rows) == a.entries.count() + 1 and plan.rows[1].cells[2].text == "李四"


def test_the_assessment_list_runs_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.county_admin)
    for year in (2024, 2025, 2026):
        _start(world, year=year)
        _start(world, world.ent_b, year=year)
    client.get(reverse("standards:assessment_list"))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("standards:assessment_list"))
    assert len(response.context["object_list"]) == 6
