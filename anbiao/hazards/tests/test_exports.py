"""The three lists as xlsx 表样 (title, subtitle, header row 3, data rows, signature line) and the checklist
as a blank form; exports follow scope and filters; text that looks like a formula stays text."""

import pytest
from django.utils import timezone

from anbiao.hazards.choices import Level, State
from anbiao.hazards.documents import HAZARD_HEADERS, INSPECTION_HEADERS, RECTIFICATION_HEADERS
from anbiao.hazards.tests import factories
from anbiao.hazards.tests.helpers import build, data_rows, workbook

TODAY = timezone.localdate()


@pytest.fixture
def rows(world):
    closed = build(world, world.ent_a, State.CLOSED, description="配电箱门未关")
    open_ = build(world, world.ent_a1, State.PENDING, description="叉车未年检")
    voided = build(world, world.ent_a, State.VOIDED, description="误报：灯已修好")
    sibling = build(world, world.ent_b, State.REGISTERED, description="乙站油罐渗漏")
    return {"closed": closed, "open": open_, "voided": voided, "sibling": sibling}


def test_the_hazard_list_export_has_the_form_layout_and_the_values(world, login, rows):
    ws = workbook(login(world.admin_a).get("/hazards/export/"))
    assert ws["A1"].value == "隐患清单"
    assert "单位：甲供销社" in ws["A2"].value and "范围：全部" in ws["A2"].value
    assert [c.value for c in ws[3]] == HAZARD_HEADERS
    data = data_rows(ws)
    assert len(data) == 3
    by_code = {(r[2], r[1]): r for r in data}
    closed = by_code[("甲一超市", rows["closed"].code)]
    assert closed[0] in {1, 2, 3}
    assert closed[3] == "2025-03-10" and closed[5] == "一号仓库" and closed[7] == "配电箱门未关"
    assert (closed[8], closed[9], closed[10], closed[11]) == ("物的不安全状态", "一般隐患", "自查", "已销号")
    assert "填表人" in ws.cell(row=len(data) + 5, column=1).value


def test_the_rectification_export_excludes_voided_hazards_and_shows_who_accepted(world, login, rows):
    ws = workbook(login(world.admin_a).get("/hazards/rectification/export/"))
    assert ws["A1"].value == "整改清单"
    assert [c.value for c in ws[3]] == RECTIFICATION_HEADERS
    data = data_rows(ws)
    assert {r[3] for r in data} == {"配电箱门未关", "叉车未年检"}
    closed = next(r for r in data if r[3] == "配电箱门未关")
    h = rows["closed"]
    assert (closed[4], closed[5], closed[6]) == ("清理杂物，划定禁放区", "张三", 200)
    assert closed[7] == f"{h.deadline:%Y-%m-%d}" and closed[8] == f"{h.rectified_on:%Y-%m-%d}"
    assert closed[9] == "李四" and closed[10] == f"{h.accepted_on:%Y-%m-%d}" and closed[11] == "已销号"
    pending = next(r for r in data if r[3] == "叉车未年检")
    assert pending[11] == "待整改（逾期）"


def test_a_hazard_accepted_through_the_pages_shows_as_closed_in_the_rectification_export(world, login):
    h = build(world, world.ent_a, State.AWAITING, rectifier=world.safety_a)
    client = login(world.principal_a)
    response = client.post(
        f"/hazards/{h.pk}/accept/", {"accepted_on": h.rectified_on.isoformat(), "note": "合格"}
    )
    assert response.status_code == 302
    data = data_rows(workbook(client.get("/hazards/rectification/export/")))
    row = next(r for r in data if r[1] == h.code)
    assert row[11] == "已销号" and row[9] == "principal_a（principal_a）"


def test_exports_respect_the_scope(world, login, rows):
    for url in ("/hazards/export/", "/hazards/rectification/export/"):
        data = data_rows(workbook(login(world.admin_b).get(url)))
        assert {r[2] for r in data} == {"乙一加油站"}
        data = data_rows(workbook(login(world.principal_a).get(url)))
        assert {r[2] for r in data} == {"甲一超市"}


def test_exports_follow_the_filters_and_name_them(world, login, rows):
    client = login(world.admin_a)
    ws = workbook(client.get("/hazards/export/", {"state": "closed"}))
    assert [r[1] for r in data_rows(ws)] == [rows["closed"].code]
    assert "状态=已销号" in ws["A2"].value
    ws = workbook(client.get("/hazards/export/", {"enterprise_name": "甲二"}))
    assert {r[2] for r in data_rows(ws)} == {"甲二仓储"}
    ws = workbook(client.get("/hazards/export/", {"overdue": "true"}))
    assert [r[7] for r in data_rows(ws)] == ["叉车未年检"]
    ws = workbook(client.get("/hazards/export/", {"found_after": "2025-03-11"}))
    assert data_rows(ws) == []
    ws = workbook(client.get("/hazards/export/", {"unit": world.unit_a1.pk}))
    assert {r[2] for r in data_rows(ws)} == {"甲二仓储"}


def test_text_that_looks_like_a_formula_is_stored_as_text(world, login):
    h = factories.hazard(world, world.ent_a, description='=HYPERLINK("http://x","点我")', location="+1 仓库")
    ws = workbook(login(world.admin_a).get("/hazards/export/"))
    row = next(r for r in ws.iter_rows(min_row=4) if r[1].value == h.code)
    assert row[7].value == '=HYPERLINK("http://x","点我")' and row[7].data_type == "s"
    assert row[5].value == "+1 仓库" and row[5].data_type == "s"


def test_the_inspection_record_export_has_one_row_per_checked_item(world, login):
    inspection = factories.inspection(world, world.ent_a, fail=1)
    factories.inspection(world, world.ent_b)
    ws = workbook(login(world.admin_a).get("/inspections/export/"))
    assert ws["A1"].value == "安全检查清单（检查记录）"
    assert [c.value for c in ws[3]] == INSPECTION_HEADERS
    data = data_rows(ws)
    assert len(data) == 2 and {r[2] for r in data} == {"甲一超市"}
    failed = next(r for r in data if r[8] == "不符合")
    passed = next(r for r in data if r[8] == "符合")
    assert (failed[1], failed[3], failed[4], failed[5]) == ("2025-03-10", "基层社检查", "甲供销社", "王检查")
    assert failed[9] == "通道堵塞" and failed[10] == inspection.hazards.get().code
    assert passed[10] in (None, "")
    assert "第1版" in failed[6]
    ws = workbook(login(world.admin_b).get("/inspections/export/"))
    assert {r[2] for r in data_rows(ws)} == {"乙一加油站"}
    ws = workbook(login(world.admin_a).get("/inspections/export/", {"kind": "self"}))
    assert data_rows(ws) == []


def test_the_checklist_export_is_a_blank_form_of_the_current_version(world, login):
    t = factories.template(world, organization=world.unit_a, name="甲社仓库清单", items=3)
    ws = workbook(login(world.principal_a).get(f"/checklists/{t.pk}/export/"))
    assert ws["A1"].value == "甲社仓库清单"
    assert "甲供销社" in ws["A2"].value and "第1版" in ws["A2"].value
    assert [c.value for c in ws[3]][:3] == ["序号", "类别", "检查内容"]
    data = data_rows(ws)
    assert [r[2] for r in data] == [f"甲社仓库清单检查项{n}：疏散通道畅通" for n in (1, 2, 3)]
    assert data[0][1] == "作业现场" and data[0][6] == "□符合 □不符合 □不涉及"
    assert login(world.admin_b).get(f"/checklists/{t.pk}/export/").status_code == 404


def test_a_draft_only_checklist_exports_its_draft(world, login):
    t = factories.template(world, organization=world.unit_a, name="草稿清单", items=1, publish=False)
    ws = workbook(login(world.admin_a).get(f"/checklists/{t.pk}/export/"))
    assert "草稿" in ws["A2"].value and len(data_rows(ws)) == 1


def test_a_major_level_is_written_in_chinese(world, login):
    factories.hazard(world, world.ent_a, level=Level.MAJOR)
    data = data_rows(workbook(login(world.principal_a).get("/hazards/export/")))
    assert data[0][9] == "重大隐患"
