"""The export built from constructed records: every group, the JSON, the xlsx, dated states, query bounds."""

import datetime
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anbiao.cityplatform import export
from anbiao.cityplatform.catalogue import COMMON_FIELDS, GROUPS, Group
from anbiao.cityplatform.tests.conftest import norm_document
from anbiao.core.scope import Scope
from anbiao.core.testing import system_scope
from anbiao.orgs import services as org_services
from anbiao.orgs.tests.factories import enterprise_data

AS_OF = datetime.date(2025, 12, 31)


def build(user, subject, as_of=AS_OF):
    return export.build(scope=Scope.for_user(user), subject=subject, as_of=as_of)


def rows_of(data, group_key, dataset_key):
    g = next(g for g in data.groups if g.group.key == group_key)
    return next(d for d in g.datasets if d.dataset.key == dataset_key).rows


def one(data, group_key, dataset_key, **match):
    found = [r for r in rows_of(data, group_key, dataset_key) if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (group_key, dataset_key, match, found)
    return found[0]


def test_every_group_is_exported_from_the_records_of_the_unit_subtree_and_nothing_else(populated):
    w = populated
    data = build(w.admin_a, w.unit_a)
    allowed = {(w.ent_a.name, w.ent_a.uscc), (w.ent_a1.name, w.ent_a1.uscc)}
    for g in data.groups:
        assert g.count > 0, g.group.key
        for d in g.datasets:
            assert d.rows, (g.group.key, d.dataset.key)
            keys = [f.key for f in COMMON_FIELDS + d.dataset.fields]
            for row in d.rows:
                assert list(row) == keys, (g.group.key, d.dataset.key)
                assert (row["enterprise_name"], row["enterprise_uscc"]) in allowed
    assert data.enterprise_count == 2

    a = w.ent_a.name
    basic = one(data, "basic_info", "enterprises", enterprise_name=a)
    assert basic["unit"] == "甲供销社" and basic["status"] == "在营" and basic["size_class"] == "小微企业"
    assert basic["industry"] and basic["state_since"] == datetime.date(2024, 1, 1)

    boss_post = one(data, "responsibility", "posts", post_name="总经理")
    assert boss_post["holders"] == ["甲负责人"] and boss_post["level"] == "主要负责人"
    assert boss_post["list_version"] == 1 and boss_post["duty_item_count"] > 0
    assert boss_post["signature_count"] == 1 and boss_post["published_place"] == "公司公示栏"
    assert one(data, "responsibility", "safety_officers")["employment"] == "兼职"
    assert one(data, "responsibility", "safety_bodies")["name"] == "安全生产委员会"
    annual = one(data, "responsibility", "annual_assessments")
    assert (annual["year"], annual["scored_count"], annual["reward_count"]) == (2025, 1, 1)
    assert annual["reward_amount"] == 2000

    assert one(data, "institutional_management", "regulations")["category"] == "法律"
    assert one(data, "institutional_management", "documents")["title"] == "安全生产责任制度"
    assert one(data, "institutional_management", "norm_documents")["kind"] == "安全检查清单"

    session = one(data, "education_training", "sessions")
    assert session["attendee_count"] == 1 and session["kind"] == "年度再培训"
    assert one(data, "education_training", "attendances")["training_title"] == "年度安全生产再培训"
    certificate = one(data, "education_training", "certificates")
    assert certificate["number"] == "甲ZY-001" and certificate["valid"] is True
    assert one(data, "education_training", "campaign_attendances")["category"] == "企业主要负责人"

    forklift = one(data, "equipment_facilities", "equipment")
    assert forklift["category"] == "特种设备" and forklift["special_kind"].startswith(
        "场（厂）内专用机动车辆"
    )
    assert one(data, "equipment_facilities", "inspections")["result"] == "合格"

    site = one(data, "site_management", "site_assessments")
    assert site["kind"] == "5S现场管理" and site["passed"] is True and site["item_count"] > 0
    assert site["failed_items"] == []

    point = one(data, "risk_control", "risk_points")
    assert point["name"] == "配电房" and point["kind"] == "场所区域" and point["level"]
    assert point["colour"] in {"红", "橙", "黄", "蓝"} and point["accident_types"]
    assert {r["enterprise_name"] for r in rows_of(data, "risk_control", "enterprise_grades")} == {
        w.ent_a.name,
        w.ent_a1.name,
    }
    assert one(data, "risk_control", "site_maps")["marked_point_count"] == 1

    inspection = one(data, "hazard_management", "inspections")
    assert inspection["failed_count"] == 1 and inspection["hazard_count"] >= 1
    assert one(data, "hazard_management", "listings")["organization"] == "甲供销社"
    assert any(h["level"] == "重大隐患" for h in rows_of(data, "hazard_management", "hazards"))
    assert one(data, "hazard_management", "reporting_channels")["is_open"] is True
    report = rows_of(data, "hazard_management", "internal_reports")[0]
    assert report["location"] == "冷库门口" and "reporter_name" not in report

    assert one(data, "emergency_management", "plans")["kind"] == "综合应急预案"
    assert one(data, "emergency_management", "drills")["scenario"] == "仓库火灾疏散"
    assert one(data, "emergency_management", "supplies")["name"] == "干粉灭火器"
    assert one(data, "emergency_management", "rescue_teams")["member_count"] == 1

    accident = one(data, "accident_management", "accidents")
    assert accident["kind"] == "车辆伤害" and accident["minor_injuries"] == 1

    assert one(data, "continuous_improvement", "self_assessments")["status"] == "已提交"
    assert one(data, "continuous_improvement", "improvement_items")["problem"] == "资料不全"
    assert one(data, "continuous_improvement", "lookback_reports")["signed_by"] == "张三"
    grade = one(data, "continuous_improvement", "grade_records")
    assert (grade["grade_type"], grade["level"], grade["state"]) == ("地标", "", "有效")
    assert one(data, "continuous_improvement", "star_ratings")["stars"] == 3
    assert one(data, "continuous_improvement", "letters")["deadline"] == datetime.date(2025, 3, 31)


def test_the_sibling_unit_exports_only_its_own_records_and_the_county_exports_both(populated):
    w = populated
    b = build(w.admin_b, w.unit_b)
    names = {r["enterprise_name"] for g in b.groups for d in g.datasets for r in d.rows}
    assert names == {w.ent_b.name}
    county = build(w.county_admin, w.county)
    accidents = rows_of(county, "accident_management", "accidents")
    assert {r["enterprise_name"] for r in accidents} == {w.ent_a.name, w.ent_b.name}


def test_an_enterprise_users_export_of_their_enterprise_has_only_its_rows(populated):
    w = populated
    data = build(w.principal_a, w.ent_a)
    names = {r["enterprise_name"] for g in data.groups for d in g.datasets for r in d.rows}
    assert names == {w.ent_a.name}
    # 四项规范 are kept by the supervising unit: enterprise users do not see them (as in the campaigns app).
    assert rows_of(data, "institutional_management", "norm_documents") == []
    assert rows_of(build(w.admin_a, w.ent_a), "institutional_management", "norm_documents")


def test_dated_states_are_read_on_the_export_date(populated):
    w = populated
    before = build(w.admin_a, w.unit_a, as_of=datetime.date(2024, 12, 31))
    assert rows_of(before, "responsibility", "posts") == []  # established 2025-01-01
    assert rows_of(before, "responsibility", "safety_officers") == []
    assert rows_of(before, "continuous_improvement", "star_ratings") == []
    after = build(w.admin_a, w.unit_a)
    assert one(after, "responsibility", "posts", post_name="营业员")["holders"] == ["甲员工"]
    assert one(after, "continuous_improvement", "grade_records")["state"] == "有效"
    later = build(w.admin_a, w.unit_a, as_of=datetime.date(2031, 1, 1))
    assert one(later, "continuous_improvement", "grade_records")["state"] == "已过期"


def test_a_closed_enterprise_is_left_out_of_the_unit_export_but_exported_on_its_own(populated):
    w = populated
    org_services.enterprise_close(
        actor=None, scope=system_scope(w.county), enterprise=w.ent_a1, on=datetime.date(2025, 6, 1)
    )
    data = build(w.admin_a, w.unit_a)
    assert [r["enterprise_name"] for r in rows_of(data, "basic_info", "enterprises")] == [w.ent_a.name]
    own = build(w.admin_a, w.ent_a1)
    assert one(own, "basic_info", "enterprises")["status"] == "注销"


def test_the_preview_counts_equal_the_exported_rows(populated):
    w = populated
    scope = Scope.for_user(w.admin_a)
    preview = export.counts(scope=scope, subject=w.unit_a, as_of=AS_OF)
    data = export.build(scope=scope, subject=w.unit_a, as_of=AS_OF)
    assert preview["enterprise_count"] == data.enterprise_count == 2
    for p, g in zip(preview["groups"], data.groups, strict=True):
        assert p["count"] == g.count
        assert [n for _, n in p["datasets"]] == [len(d.rows) for d in g.datasets]


def test_the_json_follows_the_catalogue_key_for_key(populated):
    w = populated
    data = build(w.admin_a, w.unit_a)
    doc = json.loads(json.dumps(export.json_document(data), ensure_ascii=False))
    assert doc["format"] == "anbiao.cityplatform" and doc["version"] == 1
    assert doc["subject"] == {"kind": "unit", "id": w.unit_a.pk, "name": "甲供销社", "code": "TA"}
    assert doc["as_of"] == "2025-12-31" and doc["enterprise_count"] == 2
    assert list(doc["groups"]) == [g.key for g in GROUPS]
    for g in GROUPS:
        out = doc["groups"][g.key]
        assert out["label"] == g.label and out["has_source"] is True and out["note"] == ""
        assert out["uncovered"] == list(g.uncovered)
        assert list(out["datasets"]) == [d.key for d in g.datasets]
        assert out["record_count"] == sum(d["count"] for d in out["datasets"].values())
        for d in g.datasets:
            block = out["datasets"][d.key]
            keys = [f.key for f in COMMON_FIELDS + d.fields]
            assert block["label"] == d.label and block["source"] == d.source
            assert [f["key"] for f in block["fields"]] == keys
            assert block["count"] == len(block["records"]) > 0
            for record in block["records"]:
                assert list(record) == keys
                for f in COMMON_FIELDS + d.fields:
                    value = record[f.key]
                    expected = {
                        "text": str,
                        "longtext": str,
                        "date": str,
                        "datetime": str,
                        "int": int,
                        "decimal": (int, float),
                        "bool": bool,
                        "list": list,
                    }[f.kind]
                    assert value is None or isinstance(value, expected), (g.key, d.key, f.key, value)
                    if f.kind in {"text", "longtext"}:
                        assert value is not None, (g.key, d.key, f.key)
                    if f.kind == "date" and value:
                        datetime.date.fromisoformat(value)
    accident = doc["groups"]["accident_management"]["datasets"]["accidents"]["records"][0]
    assert accident["occurred_at"] == "2025-08-01T10:00+08:00"
    assert accident["enterprise_uscc"] == w.ent_a.uscc


def _blocks(ws):
    """{dataset title: (header, [rows])} read from a group sheet."""
    blocks, current = {}, None
    lines = list(ws.iter_rows(values_only=True))
    i = 0
    while i < len(lines):
        first = lines[i][0]
        if isinstance(first, str) and first.startswith("【"):
            title = first[1 : first.index("】")]
            header = [v for v in lines[i + 1] if v is not None]
            current = (header, [])
            blocks[title] = current
            i += 2
            continue
        if current is not None and first is not None and first != "（无记录）":
            current[1].append(list(lines[i][: len(current[0])]))
        elif first is None:
            current = None
        i += 1
    return blocks


def test_the_xlsx_has_one_sheet_per_group_with_chinese_headers_and_the_enterprise_on_every_row(populated):
    w = populated
    data = build(w.admin_a, w.unit_a)
    buf = io.BytesIO()
    export.workbook(data).save(buf)
    wb = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    assert wb.sheetnames == ["说明", *[g.label for g in GROUPS]]
    summary = [r for r in wb["说明"].iter_rows(values_only=True) if r[0]]
    assert summary[4][:2] == ("企业数", 2)
    for g in data.groups:
        blocks = _blocks(wb[g.group.label])
        assert list(blocks) == [d.dataset.label for d in g.datasets]
        for d in g.datasets:
            header, lines = blocks[d.dataset.label]
            assert header == [f.label for f in d.fields]
            assert header[:2] == ["企业名称", "统一社会信用代码"]
            assert len(lines) == len(d.rows)
            for line in lines:
                assert (line[0], line[1]) in {(w.ent_a.name, w.ent_a.uscc), (w.ent_a1.name, w.ent_a1.uscc)}
    accidents = _blocks(wb["事故管理"])["事故和未遂事件"]
    header, (line,) = accidents
    record = dict(zip(header, line, strict=True))
    assert record["发生时间"] == datetime.datetime(2025, 8, 1, 10, 0)
    assert record["未遂事件"] == "否" and record["轻伤人数"] == 1
    post_header, post_lines = _blocks(wb["全员责任制"])["岗位与责任清单"]
    posts = dict(zip(post_header, post_lines[0], strict=True))
    assert posts["设立日期"] == datetime.datetime(2025, 1, 1)
    uncovered = [r[0] for r in wb["现场管理"].iter_rows(values_only=True) if r[0]]
    assert any("职业健康" in str(v) for v in uncovered)


def test_text_that_looks_like_a_formula_is_stored_as_text_in_the_xlsx(populated):
    w = populated
    norm_document(w.unit_a, w.ent_a, title='=HYPERLINK("http://evil.example","点我")')
    data = build(w.admin_a, w.unit_a)
    wb = export.workbook(data)
    ws = wb["制度化管理"]
    cells = [
        c for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("http://evil.example","点我")'
    ]
    assert len(cells) == 1 and cells[0].data_type == "s" and cells[0].quotePrefix
    buf = io.BytesIO()
    wb.save(buf)
    reread = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    assert not any(c.data_type == "f" for row in reread["制度化管理"].iter_rows() for c in row)


def test_a_group_without_a_source_says_so_instead_of_inventing_rows(populated, monkeypatch):
    w = populated
    empty = Group("safety_investment", "安全生产投入", "安全生产费用的提取和使用。")
    monkeypatch.setattr(export, "GROUPS", (*GROUPS, empty))
    data = build(w.admin_a, w.unit_a)
    doc = export.json_document(data)["groups"]["safety_investment"]
    assert doc == {
        "label": "安全生产投入",
        "has_source": False,
        "note": "本组在系统中暂无数据来源，导出时不填写任何数据。",
        "uncovered": [],
        "record_count": 0,
        "datasets": {},
    }
    wb = export.workbook(data)
    texts = [r[0] for r in wb["安全生产投入"].iter_rows(values_only=True)]
    assert "本组在系统中暂无数据来源，导出时不填写任何数据。" in texts
    summary = [r for r in wb["说明"].iter_rows(values_only=True) if r[0] == "安全生产投入"]
    assert summary and summary[0][4] == empty.no_source
    preview = export.counts(scope=Scope.for_user(w.admin_a), subject=w.unit_a)
    assert preview["groups"][-1]["count"] == 0


def _more_enterprises(world, n):
    from anbiao.duty.testing import build_for
    from anbiao.hazards.tests import factories as hazard_factories
    from anbiao.ledgers.models import Equipment, TrainingSession
    from anbiao.ledgers.testing import make, make_accident, make_attendance, make_person
    from anbiao.risks.testing import make_point

    scope = system_scope(world.county)
    for i in range(n):
        e = org_services.enterprise_create(
            actor=None, scope=scope, data=enterprise_data(unit=world.unit_a1, name=f"扩充企业{i}")
        )
        build_for(e, prefix=f"扩{i}")
        make(Equipment, e, registration_number=f"车11闽C1{i:04d}")
        session = make(TrainingSession, e)
        make_attendance(session, make_person(e, name=f"扩{i}学员"))
        make_accident(e)
        make_point(world, e)
        hazard_factories.hazard(world, e)
        hazard_factories.internal_report(world, e)


def test_the_query_count_of_an_export_does_not_grow_with_the_number_of_enterprises(populated):
    w = populated
    scope = Scope.for_user(w.county_admin)
    with CaptureQueriesContext(connection) as few:
        small = export.build(scope=scope, subject=w.county, as_of=AS_OF)
        export.json_document(small)
        export.workbook(small)
    with CaptureQueriesContext(connection) as preview_few:
        export.counts(scope=scope, subject=w.county, as_of=AS_OF)
    _more_enterprises(w, 3)
    with CaptureQueriesContext(connection) as many:
        large = export.build(scope=scope, subject=w.county, as_of=AS_OF)
        export.json_document(large)
        export.workbook(large)
    with CaptureQueriesContext(connection) as preview_many:
        export.counts(scope=scope, subject=w.county, as_of=AS_OF)
    assert large.enterprise_count == small.enterprise_count + 3
    assert len(rows_of(large, "responsibility", "posts")) > len(rows_of(small, "responsibility", "posts"))
    assert len(many.captured_queries) == len(few.captured_queries) <= 40
    assert len(preview_many.captured_queries) == len(preview_few.captured_queries) <= 36


@pytest.mark.parametrize("kind", ["date", "datetime", "bool", "list", "decimal"])
def test_cell_and_json_values_are_written_the_way_offices_and_programs_read_them(kind):
    from decimal import Decimal

    from django.utils import timezone

    value = {
        "date": datetime.date(2025, 3, 1),
        "datetime": timezone.make_aware(datetime.datetime(2025, 3, 1, 8, 30)),
        "bool": True,
        "list": ["甲", "乙"],
        "decimal": Decimal("12.50"),
    }[kind]
    cell = {
        "date": datetime.date(2025, 3, 1),
        "datetime": datetime.datetime(2025, 3, 1, 8, 30),
        "bool": "是",
        "list": "甲、乙",
        "decimal": 12.5,
    }[kind]
    js = {
        "date": "2025-03-01",
        "datetime": "2025-03-01T08:30+08:00",
        "bool": True,
        "list": ["甲", "乙"],
        "decimal": 12.5,
    }[kind]
    assert export.cell_value(value, kind) == cell
    assert export.json_value(value, kind) == js
    assert export.cell_value(None, kind) is None and export.json_value(None, kind) is None
