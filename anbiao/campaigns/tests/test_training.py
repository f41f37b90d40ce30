import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anbiao.campaigns import ledger_services, report_cells, xlsx_io
from anbiao.campaigns.choices import Level, SessionKind
from anbiao.campaigns.models import Attendance, TrainingSession
from anbiao.core.models import AuditEvent
from anbiao.orgs.models import Organization

D = datetime.date
MARCH_1 = D(2025, 3, 1)


def _session(
    world,
    scope_of,
    unit=None,
    kind=SessionKind.TRAINING,
    held_on=MARCH_1,
    level=Level.TOWNSHIP,
    user=None,
):
    user = user or world.admin_a
    return ledger_services.session_create(
        actor=user,
        scope=scope_of(user),
        unit=unit or world.unit_a,
        data={
            "kind": kind,
            "level": level,
            "organizer": "甲供销社",
            "held_on": held_on,
            "topic": "标准化培训",
        },
    )


def _xlsx(rows, headers=xlsx_io.HEADERS, sheet=xlsx_io.SHEET):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("名单.xlsx", buf.getvalue())


def test_attendance_import_reports_unmatched_rows_by_row_and_writes_nothing(world, scope_of):
    session = _session(world, scope_of)
    audits = AuditEvent.objects.count()
    upload = _xlsx(
        [
            ["张三", "甲一超市", "", "企业主要负责人", "经理", "13800000000"],
            ["李四", "不存在的公司", "", "企业安全管理员", "", ""],
            ["王五", "", world.ent_b.uscc, "企业主要负责人", "", ""],  # a sibling unit's enterprise
            ["赵六", "", "", "火星人", "", ""],
        ]
    )
    result = xlsx_io.import_attendance(
        actor=world.admin_a, scope=scope_of(world.admin_a), session=session, upload=upload
    )
    assert not result.ok
    assert result.errors[0].startswith("第3行") and "不存在的公司" in result.errors[0]
    assert result.errors[1].startswith("第4行") and "找不到对应企业" in result.errors[1]
    assert result.errors[2].startswith("第5行") and "人员类别" in result.errors[2]
    assert len(result.errors) == 3
    assert not Attendance.objects.exists() and AuditEvent.objects.count() == audits


def test_attendance_import_matches_by_code_or_name_inside_the_scope(world, scope_of):
    session = _session(world, scope_of)
    upload = _xlsx(
        [
            ["张三", "甲一超市", "", "企业主要负责人", "经理", "13800000000"],
            ["李四", "", world.ent_a1.uscc.lower(), "安全管理员", "", ""],
            ["网格员甲", "", "", "基层网格员", "", ""],
        ]
    )
    result = xlsx_io.import_attendance(
        actor=world.admin_a, scope=scope_of(world.admin_a), session=session, upload=upload
    )
    assert result.ok and result.created == 3
    rows = {a.person_name: a for a in Attendance.objects.filter(session=session)}
    assert rows["张三"].enterprise == world.ent_a and rows["李四"].enterprise == world.ent_a1
    assert rows["网格员甲"].enterprise is None
    assert AuditEvent.objects.filter(action="campaigns.attendance_import", object_id=str(session.pk)).exists()
    again = xlsx_io.import_attendance(
        actor=world.admin_a,
        scope=scope_of(world.admin_a),
        session=session,
        upload=_xlsx([["张三", "甲一超市", "", "企业主要负责人"]]),
    )
    assert not again.ok and "已登记在本场次" in again.errors[0]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("a.xlsx", b"not a zip"), "不是 Excel"),
        ("wrong_sheet", "找不到工作表"),
        ("missing_column", "缺少列"),
        ("formula", "含有公式"),
    ],
)
def test_broken_attendance_files_are_refused_with_a_chinese_reason(world, scope_of, upload, message):
    session = _session(world, scope_of)
    if upload == "wrong_sheet":
        upload = _xlsx([["张三"]], sheet="Sheet1")
    elif upload == "missing_column":
        upload = _xlsx([["张三"]], headers=["姓名"])
    elif upload == "formula":
        upload = _xlsx([["=1+1", "", "", "企业主要负责人"]])
    result = xlsx_io.import_attendance(
        actor=world.admin_a, scope=scope_of(world.admin_a), session=session, upload=upload
    )
    assert not result.ok and message in result.errors[0]
    assert not Attendance.objects.exists()


def test_training_counts_sessions_enterprise_attendances_and_person_attendances(world, scope_of):
    s1 = _session(world, scope_of, held_on=D(2025, 1, 1))
    s2 = _session(world, scope_of, unit=world.unit_a1, held_on=D(2025, 6, 30), level=Level.COUNTY)
    visit = _session(world, scope_of, kind=SessionKind.SITE_VISIT, held_on=D(2025, 4, 1))
    _session(world, scope_of, held_on=D(2024, 12, 31))  # before the window
    scope = scope_of(world.admin_a)
    for session, people in (
        (s1, [("张三", world.ent_a), ("李四", world.ent_a), ("王五", world.ent_a1)]),
        (s2, [("张三", world.ent_a)]),
        (visit, [("赵六", world.ent_a1), ("孙七", None)]),
    ):
        for name, ent in people:
            ledger_services.attendance_add(
                actor=world.admin_a,
                scope=scope,
                session=session,
                data={"enterprise": ent, "person_name": name, "category": "principal"},
            )
    units = Organization.objects.filter(path__startswith=world.unit_a.path)
    assert report_cells.session_counts(units, SessionKind.TRAINING, D(2025, 6, 30)) == {
        "sessions": 2,
        "enterprise_attendances": 3,
        "person_attendances": 4,
    }
    assert report_cells.session_counts(units, SessionKind.TRAINING, D(2025, 6, 29)) == {
        "sessions": 1,
        "enterprise_attendances": 2,
        "person_attendances": 3,
    }
    assert report_cells.training_sessions(units, D(2025, 12, 31), level=Level.COUNTY) == 1
    assert report_cells.site_visit_sessions(units, D(2025, 12, 31)) == 1
    assert report_cells.site_visit_enterprise_attendances(units, D(2025, 12, 31)) == 1
    assert report_cells.site_visit_person_attendances(units, D(2025, 12, 31)) == 2
    only_a1 = Organization.objects.filter(path__startswith=world.unit_a1.path)
    assert report_cells.training_person_attendances(only_a1, D(2025, 12, 31)) == 1


def test_a_unit_admin_records_a_session_adds_and_imports_attendees_on_the_pages(world, login):
    client = login(world.admin_a)
    assert client.get(reverse("campaigns:session_create")).status_code == 200
    client.post(
        reverse("campaigns:session_create"),
        {
            "unit": world.unit_a.pk,
            "kind": "training",
            "level": "township",
            "organizer": "甲供销社",
            "held_on": "2025-03-01",
            "topic": "全员责任制培训",
            "targets": ["principal", "safety_manager"],
        },
    )
    session = TrainingSession.objects.get(topic="全员责任制培训")
    assert session.targets == ["principal", "safety_manager"] and session.backdated
    detail = reverse("campaigns:session_detail", args=[session.pk])
    assert client.get(detail).status_code == 200
    client.post(
        reverse("campaigns:attendance_add", args=[session.pk]),
        {"enterprise": world.ent_a.pk, "person_name": "张三", "category": "principal"},
    )
    bad = client.post(
        reverse("campaigns:attendance_import", args=[session.pk]),
        {"file": _xlsx([["李四", "查无此企业", "", "企业主要负责人"]])},
    )
    assert bad.status_code == 400 and "第2行" in bad.content.decode()
    client.post(
        reverse("campaigns:attendance_import", args=[session.pk]),
        {"file": _xlsx([["李四", "甲二仓储", "", "企业安全管理员"]])},
    )
    assert set(session.attendances.values_list("person_name", flat=True)) == {"张三", "李四"}
    template = client.get(reverse("campaigns:attendance_template"))
    assert [
        c.value for c in openpyxl.load_workbook(io.BytesIO(template.content))[xlsx_io.SHEET][1]
    ] == xlsx_io.HEADERS
    one = session.attendances.get(person_name="李四")
    client.post(reverse("campaigns:attendance_remove", args=[one.pk]))
    assert not Attendance.objects.filter(pk=one.pk).exists()
    assert AuditEvent.objects.filter(action="campaigns.attendance_remove").exists()
    edit = client.post(
        reverse("campaigns:session_update", args=[session.pk]),
        {
            "kind": "site_visit",
            "level": "county",
            "organizer": "县社",
            "held_on": "2025-03-02",
            "topic": "观摩",
        },
    )
    session.refresh_from_db()
    assert edit.status_code == 302 and session.kind == "site_visit"


def test_the_session_list_and_export_are_scoped_and_read_back(
    world, scope_of, login, django_assert_max_num_queries
):
    for _ in range(3):
        _session(world, scope_of)
    _session(world, scope_of, unit=world.unit_b, user=world.admin_b)
    client = login(world.admin_a)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("campaigns:session_list"))
    assert len(response.context["object_list"]) == 3
    ws = openpyxl.load_workbook(io.BytesIO(client.get(reverse("campaigns:session_export")).content)).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3 and rows[0][1] == "专题培训" and rows[0][7] == "甲供销社"


def test_a_session_dated_in_the_future_is_refused(world, scope_of):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _session(world, scope_of, held_on=D(2099, 1, 1))
    assert not TrainingSession.objects.exists()
