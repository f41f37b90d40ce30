"""Enterprise registry xlsx: the template, the all-or-nothing import and the formula-safe export.

Every refusal checks that the messages point at the row and the column at fault and that nothing at all was
written (no enterprise, no state, no audit event).
"""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl.utils import get_column_letter

from anbiao.core import audit
from anbiao.core import xlsx as core_xlsx
from anbiao.core.models import AuditEvent
from anbiao.core.scope import Scope
from anbiao.core.testing import png_bytes, system_scope
from anbiao.orgs import services, xlsx_io
from anbiao.orgs.models import Enterprise, EnterpriseState, Industry, Township
from anbiao.orgs.tests import xlsx_corpus as corpus
from anbiao.orgs.tests.factories import enterprise_data, valid_uscc

FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


# --- helpers --------------------------------------------------------------------------------------------
def letter(header: str) -> str:
    return get_column_letter(xlsx_io.HEADERS.index(header) + 1)


def good_row(name: str = "导入测试超市") -> dict:
    return {
        "统一社会信用代码": valid_uscc(),
        "企业名称": name,
        "监管单位": "TA 甲供销社",
        "企业规模": "小微企业",
        "行业": "商贸零售",
        "主要负责人": "李四",
        "主要负责人电话": "13900000000",
        "从业人员数": 8,
    }


def filled(user, rows) -> openpyxl.Workbook:
    """The real template as ``user`` downloads it, with ``rows`` ({row number: {header: value}}) filled in."""
    wb = xlsx_io.build_template(scope=Scope.for_user(user))
    ws = wb[xlsx_io.SHEET]
    if isinstance(rows, list):
        rows = dict(enumerate(rows, start=2))
    for rownum, values in rows.items():
        for header, value in values.items():
            ws.cell(row=rownum, column=xlsx_io.HEADERS.index(header) + 1, value=value)
    return wb


def upload(content, name: str = "企业名录.xlsx") -> SimpleUploadedFile:
    if isinstance(content, openpyxl.Workbook):
        content = corpus.to_bytes(content)
    return SimpleUploadedFile(name, content, content_type=core_xlsx.XLSX_MIME)


def import_as(user, content, name: str = "企业名录.xlsx") -> xlsx_io.ImportResult:
    return xlsx_io.import_enterprises(actor=user, scope=Scope.for_user(user), upload=upload(content, name))


def counts() -> tuple[int, int, int]:
    """What an import writes; a refusal's own record (core.write_refused) is not the import's."""
    events = AuditEvent.objects.exclude(action="core.write_refused")
    return Enterprise.objects.count(), EnterpriseState.objects.count(), events.count()


def assert_refused(result, before, *fragments) -> str:
    """Refused with every fragment in the messages, and nothing written. Returns the joined messages."""
    assert not result.ok
    assert result.created == 0 and result.updated == 0
    assert all(isinstance(e, str) and e for e in result.errors)
    text = "\n".join(result.errors)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in {text!r}"
    assert counts() == before
    return text


def assert_row_refused(result, before, rownum: int, header: str, *fragments) -> str:
    return assert_refused(result, before, f"第{rownum}行", f"「{header}」", *fragments)


def valid_bytes(world, n: int = 1) -> bytes:
    return corpus.to_bytes(filled(world.admin_a, [good_row(f"文件测试{i}") for i in range(n)]))


def exported(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert response["Content-Type"] == core_xlsx.XLSX_MIME
    return openpyxl.load_workbook(io.BytesIO(response.content))


def sheet_rows(wb) -> list[dict]:
    ws = wb[xlsx_io.SHEET]
    headers = [c.value for c in ws[1]]
    return [dict(zip(headers, (c.value for c in r), strict=False)) for r in ws.iter_rows(min_row=2)]


# --- template -------------------------------------------------------------------------------------------
def test_the_template_has_the_registry_sheet_the_instructions_and_a_hidden_code_sheet(world, login):
    response = login(world.admin_a).get(reverse("orgs:enterprise_template"))
    wb = exported(response)
    assert "attachment" in response["Content-Disposition"]
    assert set(wb.sheetnames) == {"企业名录", "填写说明", "代码表"}
    assert wb.sheetnames[0] == "企业名录"
    assert wb["代码表"].sheet_state == "hidden"
    assert wb["企业名录"].sheet_state == "visible"
    assert [c.value for c in wb["企业名录"][1]] == xlsx_io.HEADERS
    assert wb["企业名录"].max_row == 1
    notes = [r[0] for r in wb["填写说明"].iter_rows(min_row=2, max_col=1, values_only=True)]
    assert notes[: len(xlsx_io.HEADERS)] == xlsx_io.HEADERS


def test_the_template_offers_drop_down_lists_for_size_industry_and_unit(world):
    wb = openpyxl.load_workbook(io.BytesIO(corpus.to_bytes(filled(world.admin_a, {}))))
    validations = {str(dv.sqref): dv for dv in wb["企业名录"].data_validations.dataValidation}
    codes = wb["代码表"]
    code_columns = {c.value: c.column_letter for c in codes[1]}
    for header, list_title in [("企业规模", "企业规模"), ("行业", "行业"), ("监管单位", "监管单位")]:
        col = letter(header)
        dv = validations[f"{col}2:{col}5001"]
        assert dv.type == "list"
        assert dv.formula1.startswith(f"代码表!${code_columns[list_title]}$2:")
        assert header in dv.error
    assert validations[f"{letter('企业规模')}2:{letter('企业规模')}5001"].allow_blank is not True
    size_col = code_columns["企业规模"]
    assert [c.value for c in codes[size_col][1:] if c.value] == ["规上企业", "中等企业", "小微企业"]
    industry_col = code_columns["行业"]
    industries = [c.value for c in codes[industry_col][1:] if c.value]
    assert industries == list(Industry.objects.filter(is_active=True).values_list("name", flat=True))


def test_the_code_sheet_lists_only_the_units_in_the_downloaders_scope(world, login):
    wb = exported(login(world.admin_a).get(reverse("orgs:enterprise_template")))
    codes = wb["代码表"]
    unit_col = {c.value: c.column_letter for c in codes[1]}["监管单位"]
    units = [c.value for c in codes[unit_col][1:] if c.value]
    assert units == ["TA 甲供销社", "TA1 甲供销社服务中心"]
    assert not any("乙供销社" in str(c.value) for row in codes.iter_rows() for c in row)
    dv = next(
        dv
        for dv in wb["企业名录"].data_validations.dataValidation
        if str(dv.sqref) == f"{letter('监管单位')}2:{letter('监管单位')}5001"
    )
    assert dv.formula1 == f"代码表!${unit_col}$2:${unit_col}$3"


def test_the_county_admins_template_lists_every_active_unit(world):
    wb = filled(world.county_admin, {})
    codes = wb["代码表"]
    units = [r[0] for r in codes.iter_rows(min_row=2, max_col=1, values_only=True) if r[0]]
    assert units == ["T 测试县供销社", "TA 甲供销社", "TA1 甲供销社服务中心", "TB 乙供销社"]


# --- happy path -----------------------------------------------------------------------------------------
def test_two_valid_rows_create_two_enterprises_with_open_states_and_audit_events(world):
    before = counts()
    a, b = (
        good_row("导入甲超市"),
        good_row("导入乙仓储")
        | {
            "监管单位": "TA1",
            "企业规模": "中等企业",
            "行业": "仓储物流",
            "乡镇（街道）": "螺城镇",
            "新办企业": "是",
            "九小场所类别": "小商店",
            "经营状态": "停业",
            "纳入名录日期": "2024-03-01",
            "经度": "118.796012",
            "纬度": "25.030123",
        },
    )
    result = import_as(world.admin_a, filled(world.admin_a, [a, b]))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 0)
    assert counts()[:2] == (before[0] + 2, before[1] + 2)
    first = Enterprise.objects.get(uscc=a["统一社会信用代码"])
    assert first.unit == world.unit_a and first.size_class == "small" and first.employee_count == 8
    assert first.registered_on == timezone.localdate()
    second = Enterprise.objects.get(uscc=b["统一社会信用代码"])
    assert second.unit == world.unit_a1
    assert second.industry.name == "仓储物流" and second.township == Township.objects.get(name="螺城镇")
    assert second.size_class == "medium" and second.status == "suspended"
    assert second.tag_new and second.nine_small_kind == "shop"
    assert second.registered_on == datetime.date(2024, 3, 1)
    assert second.longitude == Decimal("118.796012") and second.latitude == Decimal("25.030123")
    for e in (first, second):
        state = e.states.get()
        assert state.valid_to is None and state.unit_id == e.unit_id and state.size_class == e.size_class
        assert state.recorded_by == world.admin_a
    events = AuditEvent.objects.filter(actor=world.admin_a)
    assert events.filter(action="orgs.enterprise_create").count() == 2
    assert set(events.filter(action="orgs.enterprise_create").values_list("object_id", flat=True)) == {
        str(first.pk),
        str(second.pk),
    }
    summary = events.get(action="orgs.enterprise_import")
    assert summary.after == {"created": 2, "updated": 0, "rows": 2}
    assert summary.object_repr == "企业名录.xlsx"
    assert counts()[2] == before[2] + 3


def test_re_importing_a_changed_size_class_updates_the_enterprise_and_opens_a_new_state(world):
    row = good_row("规模变化超市") | {"纳入名录日期": "2024-03-01"}
    assert import_as(world.admin_a, filled(world.admin_a, [row])).created == 1
    e = Enterprise.objects.get(uscc=row["统一社会信用代码"])
    before = counts()
    result = import_as(world.admin_a, filled(world.admin_a, [row | {"企业规模": "规上企业"}]))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 1)
    e.refresh_from_db()
    assert e.size_class == "above_scale"
    assert e.registered_on == datetime.date(2024, 3, 1)
    assert counts()[:2] == (before[0], before[1] + 1)
    old, new = e.states.order_by("valid_from")
    assert old.size_class == "small" and old.valid_to == timezone.localdate()
    assert new.size_class == "above_scale" and new.valid_to is None
    assert AuditEvent.objects.filter(action="orgs.enterprise_update", object_id=str(e.pk)).count() == 1


def test_a_rental_outlet_row_with_a_landlord_unit_is_accepted(world):
    row = good_row("出租网点") | {"出租经营网点": "是", "出租单位": "TA1 甲供销社服务中心"}
    result = import_as(world.admin_a, filled(world.admin_a, [row]))
    assert result.ok, result.errors
    e = Enterprise.objects.get(uscc=row["统一社会信用代码"])
    assert e.is_rental_outlet and e.landlord_unit == world.unit_a1


def test_text_dates_and_real_date_cells_are_accepted_for_the_registration_date(world):
    values = ["2024年3月1日", "2024/3/1", "20240301", "2024.03.01", datetime.date(2024, 3, 1)]
    values.append(datetime.datetime(2024, 3, 1, 9, 30))
    rows = [good_row(f"日期{i}") | {"纳入名录日期": v} for i, v in enumerate(values)]
    result = import_as(world.admin_a, filled(world.admin_a, rows))
    assert result.ok, result.errors
    assert result.created == len(values)
    dates = Enterprise.objects.filter(uscc__in=[r["统一社会信用代码"] for r in rows]).values_list(
        "registered_on", flat=True
    )
    assert set(dates) == {datetime.date(2024, 3, 1)}


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2024-02-30", "不存在"),
        ("2023年2月29日", "不存在"),
        ("去年", "日期格式无法识别"),
        ("2024-3", "日期格式"),
    ],
)
def test_an_impossible_or_unreadable_date_is_refused_by_row_and_column(world, value, reason):
    before = counts()
    rows = [good_row(), good_row() | {"纳入名录日期": value}]
    result = import_as(world.admin_a, filled(world.admin_a, rows))
    text = assert_row_refused(result, before, 3, "纳入名录日期", reason, value)
    assert "第2行" not in text


def test_full_width_digits_in_the_uscc_and_the_employee_count_are_normalised(world):
    code = valid_uscc()
    row = good_row("全角超市") | {"统一社会信用代码": code.translate(FULL_WIDTH), "从业人员数": "１２"}
    assert row["统一社会信用代码"] != code
    result = import_as(world.admin_a, filled(world.admin_a, [row]))
    assert result.ok, result.errors
    e = Enterprise.objects.get(name="全角超市")
    assert e.uscc == code and e.employee_count == 12


def test_a_lower_case_uscc_is_accepted_and_stored_in_upper_case(world):
    code = valid_uscc()
    assert code.lower() != code
    result = import_as(
        world.admin_a, filled(world.admin_a, [good_row("小写代码") | {"统一社会信用代码": code.lower()}])
    )
    assert result.ok, result.errors
    assert Enterprise.objects.get(name="小写代码").uscc == code


def test_a_lower_case_uscc_of_a_registered_enterprise_updates_it(world):
    result = import_as(
        world.admin_a,
        filled(world.admin_a, [good_row("甲一超市更名") | {"统一社会信用代码": world.ent_a.uscc.lower()}]),
    )
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 1)
    world.ent_a.refresh_from_db()
    assert world.ent_a.name == "甲一超市更名"


def test_full_width_brackets_in_a_company_name_are_kept_as_written(world):
    """Registered names use full-width brackets (惠安县某某（集团）有限公司); only codes are normalised."""
    row = good_row("惠安县某某（集团）有限公司") | {"经营地址": "螺城镇中山路１号　二楼"}
    result = import_as(world.admin_a, filled(world.admin_a, [row]))
    assert result.ok, result.errors
    e = Enterprise.objects.get(uscc=row["统一社会信用代码"])
    assert e.name == "惠安县某某（集团）有限公司"


def test_blank_rows_in_the_middle_are_skipped(world):
    blank = {h: "  " for h in ("统一社会信用代码", "企业名称", "经营地址")}
    rows = {2: good_row("空行前"), 4: blank, 6: good_row("空行后")}
    result = import_as(world.admin_a, filled(world.admin_a, rows))
    assert result.ok, result.errors
    assert result.created == 2
    assert AuditEvent.objects.get(action="orgs.enterprise_import").after["rows"] == 2


def test_after_blank_rows_the_row_numbers_in_errors_still_match_the_sheet(world):
    before = counts()
    blank = {"统一社会信用代码": " ", "企业名称": "\t"}
    rows = {2: good_row(), 4: blank, 5: good_row(), 8: good_row() | {"从业人员数": "十二"}}
    result = import_as(world.admin_a, filled(world.admin_a, rows))
    text = assert_row_refused(result, before, 8, "从业人员数", "十二")
    assert len(result.errors) == 1 and "第4行" not in text and "第5行" not in text


# --- row refusals ---------------------------------------------------------------------------------------
def _bad_check_digit(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


ROW_REFUSALS = [
    (
        "bad-check-digit",
        {"统一社会信用代码": _bad_check_digit(valid_uscc(990001))},
        "统一社会信用代码",
        "校验位错误",
    ),
    (
        "17-characters",
        {"统一社会信用代码": valid_uscc(990002)[:17]},
        "统一社会信用代码",
        "应为18位，实际为17位",
    ),
    (
        "letter-O",
        {"统一社会信用代码": valid_uscc(990003)[:10] + "O" + valid_uscc(990003)[11:]},
        "统一社会信用代码",
        "O",
    ),
    ("blank-uscc", {"统一社会信用代码": None}, "统一社会信用代码", "必填"),
    ("unknown-unit", {"监管单位": "ZZ9 不存在的社"}, "监管单位", "不存在或不在您的管辖范围内"),
    ("sibling-unit-code", {"监管单位": "TB"}, "监管单位", "「TB」不存在或不在您的管辖范围内"),
    ("sibling-unit-label", {"监管单位": "TB 乙供销社"}, "监管单位", "不在您的管辖范围内"),
    ("sibling-unit-name", {"监管单位": "乙供销社"}, "监管单位", "不在您的管辖范围内"),
    ("parent-unit", {"监管单位": "T 测试县供销社"}, "监管单位", "不在您的管辖范围内"),
    ("sibling-landlord", {"出租经营网点": "是", "出租单位": "TB"}, "出租单位", "不在您的管辖范围内"),
    ("text-employees", {"从业人员数": "十人"}, "从业人员数", "应为整数"),
    ("negative-employees", {"从业人员数": "-3"}, "从业人员数", "不能为负数"),
    ("fractional-employees", {"从业人员数": 2.5}, "从业人员数", "应为整数"),
    ("huge-employees", {"从业人员数": "99999999999999999999"}, "从业人员数", ""),
    ("unknown-industry", {"行业": "远洋捕捞"}, "行业", "「远洋捕捞」不在可选列表中"),
    ("unknown-size", {"企业规模": "特大"}, "企业规模", "「特大」不是可选值"),
    ("unknown-township", {"乡镇（街道）": "火星镇"}, "乡镇（街道）", "不在可选列表中"),
    ("unknown-status", {"经营状态": "倒闭"}, "经营状态", "不是可选值"),
    ("unknown-nine-small", {"九小场所类别": "大商场"}, "九小场所类别", "不是可选值"),
    ("rental-without-landlord", {"出租经营网点": "是"}, "出租单位", "出租经营网点须填写出租单位"),
    ("landlord-without-rental", {"出租单位": "TA1"}, "出租单位", "只有出租经营网点才填写出租单位"),
    ("maybe-in-yes-no", {"新办企业": "也许"}, "新办企业", "应填写「是」或「否」，实际为「也许」"),
    ("maybe-in-dangerous", {"危险物品生产经营储存": "也许"}, "危险物品生产经营储存", "也许"),
    ("missing-name", {"企业名称": None}, "企业名称", "必填"),
    ("whitespace-name", {"企业名称": "   "}, "企业名称", "必填"),
    ("missing-size", {"企业规模": ""}, "企业规模", "必填"),
    ("bad-phone", {"主要负责人电话": "打电话给我"}, "主要负责人电话", "电话号码格式不正确"),
    ("name-too-long", {"企业名称": "长" * 121}, "企业名称", "120"),
    ("longitude-only", {"经度": "118.5"}, "纬度", "经度和纬度须同时填写"),
    ("longitude-text", {"经度": "东经118度", "纬度": "25"}, "经度", "应为数字"),
    ("longitude-nan", {"经度": "NaN", "纬度": "25"}, "经度", ""),
    ("longitude-out-of-range", {"经度": "181", "纬度": "25"}, "经度", "180"),
]


@pytest.mark.parametrize(
    ("change", "header", "reason"), [c[1:] for c in ROW_REFUSALS], ids=[c[0] for c in ROW_REFUSALS]
)
def test_a_bad_cell_is_reported_by_row_and_column_and_nothing_is_written(world, change, header, reason):
    before = counts()
    rows = [good_row("正确的一行"), good_row("有错的一行") | change]
    result = import_as(world.admin_a, filled(world.admin_a, rows))
    text = assert_row_refused(result, before, 3, header, reason)
    assert "第2行" not in text
    assert not Enterprise.objects.filter(name__in=["正确的一行", "有错的一行"]).exists()


def test_a_uscc_repeated_inside_the_file_is_refused_naming_both_rows(world):
    before = counts()
    first = good_row("第一次")
    rows = [
        first,
        good_row(),
        first | {"企业名称": "第二次", "统一社会信用代码": first["统一社会信用代码"].lower()},
    ]
    result = import_as(world.admin_a, filled(world.admin_a, rows))
    text = assert_row_refused(result, before, 4, "统一社会信用代码", "与第2行重复")
    assert len(result.errors) == 1 and "第3行" not in text


def test_a_uscc_registered_under_a_unit_outside_the_scope_is_refused_and_left_alone(world):
    before = counts()
    rows = [good_row(), good_row("想抢登记") | {"统一社会信用代码": world.ent_b.uscc}]
    result = import_as(world.admin_a, filled(world.admin_a, rows))
    assert_row_refused(result, before, 3, "统一社会信用代码", "管辖范围以外")
    world.ent_b.refresh_from_db()
    assert world.ent_b.name == "乙一加油站" and world.ent_b.unit == world.unit_b


def test_moving_an_enterprise_to_a_unit_outside_the_scope_is_refused(world):
    before = counts()
    row = good_row("甲一超市") | {"统一社会信用代码": world.ent_a.uscc, "监管单位": "TB"}
    result = import_as(world.admin_a, filled(world.admin_a, [row]))
    assert_row_refused(result, before, 2, "监管单位", "TB")
    world.ent_a.refresh_from_db()
    assert world.ent_a.unit == world.unit_a


def test_several_bad_rows_are_all_reported_together_and_nothing_is_written(world):
    before = counts()
    rows = {
        2: good_row() | {"统一社会信用代码": _bad_check_digit(valid_uscc())},
        3: good_row("好的一行"),
        4: good_row() | {"从业人员数": "很多", "行业": "不存在的行业"},
        5: good_row() | {"企业名称": None},
        7: good_row() | {"监管单位": "TB"},
    }
    result = import_as(world.admin_a, filled(world.admin_a, rows))
    assert_refused(
        result,
        before,
        "第2行「统一社会信用代码」",
        "第4行「从业人员数」",
        "第4行「行业」",
        "第5行「企业名称」",
        "第7行「监管单位」",
    )
    assert len(result.errors) == 5
    assert not any("第3行" in e for e in result.errors)


def test_a_model_error_in_a_late_row_rolls_back_the_rows_already_written(world):
    before = counts()
    rows = [good_row(f"先写入{i}") for i in range(3)] + [
        good_row("出租无单位") | {"出租经营网点": "是"},
        good_row() | {"经度": "118.1"},
    ]
    result = import_as(world.admin_a, filled(world.admin_a, rows))
    assert_refused(result, before, "第5行「出租单位」", "第6行「纬度」")
    assert len(result.errors) == 2
    assert not Enterprise.objects.filter(name__startswith="先写入").exists()


# --- file-level refusals --------------------------------------------------------------------------------
def test_a_workbook_without_the_registry_sheet_is_refused(world):
    wb = filled(world.admin_a, [good_row()])
    wb[xlsx_io.SHEET].title = "Sheet1"
    before = counts()
    assert_refused(import_as(world.admin_a, wb), before, "找不到工作表「企业名录」")


def test_a_workbook_whose_header_row_lost_a_column_is_refused(world):
    wb = filled(world.admin_a, [good_row()])
    wb[xlsx_io.SHEET].delete_cols(xlsx_io.HEADERS.index("企业名称") + 1)
    before = counts()
    text = assert_refused(import_as(world.admin_a, wb), before, "表头缺少列", "企业名称")
    assert "统一社会信用代码" not in text


def test_a_renamed_header_is_refused_naming_the_missing_column(world):
    wb = filled(world.admin_a, [good_row()])
    wb[xlsx_io.SHEET].cell(row=1, column=xlsx_io.HEADERS.index("行业") + 1, value="所属行业")
    before = counts()
    assert_refused(import_as(world.admin_a, wb), before, "表头缺少列：行业")


def test_columns_in_another_order_are_read_by_their_headers(world):
    row = good_row("换列顺序")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = xlsx_io.SHEET
    headers = [*reversed(xlsx_io.HEADERS), "备注"]
    ws.append(headers)
    ws.append([row.get(h, "自由备注" if h == "备注" else None) for h in headers])
    result = import_as(world.admin_a, wb)
    assert result.ok, result.errors
    assert Enterprise.objects.get(uscc=row["统一社会信用代码"]).name == "换列顺序"


def test_a_workbook_with_only_the_header_row_is_refused(world):
    before = counts()
    assert_refused(import_as(world.admin_a, filled(world.admin_a, {})), before, "没有数据行")


def test_an_empty_registry_sheet_is_refused(world):
    wb = openpyxl.Workbook()
    wb.active.title = xlsx_io.SHEET
    before = counts()
    result = import_as(world.admin_a, wb)
    assert_refused(result, before)
    assert any("企业名录" in e for e in result.errors)


@pytest.mark.parametrize(
    ("rownum", "column"), [(3, xlsx_io.HEADERS.index("从业人员数") + 1), (2, len(xlsx_io.HEADERS) + 5)]
)
def test_a_formula_anywhere_in_the_data_is_refused_naming_its_cell(world, rownum, column):
    wb = filled(world.admin_a, [good_row(), good_row()])
    wb[xlsx_io.SHEET].cell(row=rownum, column=column, value="=1+1")
    before = counts()
    assert_refused(
        import_as(world.admin_a, wb), before, f"第{rownum}行第{get_column_letter(column)}列", "公式"
    )


def test_a_hyperlink_formula_in_the_name_column_is_refused(world):
    wb = filled(world.admin_a, [good_row() | {"企业名称": '=HYPERLINK("http://evil.example","点我")'}])
    before = counts()
    assert_refused(import_as(world.admin_a, wb), before, f"第2行第{letter('企业名称')}列", "公式")


def test_csv_text_named_xlsx_is_refused(world):
    content = corpus.csv_text(xlsx_io.HEADERS[:3], [[valid_uscc(), "某超市", "TA"]])
    before = counts()
    assert_refused(import_as(world.admin_a, content, "企业名录.xlsx"), before, "不是 Excel", ".csv")


def test_a_png_named_xlsx_is_refused(world):
    before = counts()
    assert_refused(import_as(world.admin_a, png_bytes(), "企业名录.xlsx"), before, "不是 Excel")


def test_an_old_binary_xls_named_xlsx_is_refused_with_a_hint_to_save_as_xlsx(world):
    before = counts()
    assert_refused(import_as(world.admin_a, corpus.ole2_xls()), before, "不是 Excel", "另存为 .xlsx")


def test_a_zip_that_is_not_an_office_package_is_refused(world):
    before = counts()
    assert_refused(import_as(world.admin_a, corpus.plain_zip()), before, "不是 Excel")


def test_a_half_uploaded_workbook_is_refused(world):
    before = counts()
    result = import_as(world.admin_a, corpus.truncated_zip(valid_bytes(world)))
    assert_refused(result, before)
    assert any("Excel" in e or "损坏" in e for e in result.errors)


def test_an_empty_file_is_refused(world):
    before = counts()
    assert_refused(import_as(world.admin_a, b""), before, "文件为空")


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened(world, settings):
    settings.ANBIAO_IMPORT_MAX_BYTES = 1024 * 1024
    content = corpus.incompressible_member(valid_bytes(world), size=1024 * 1024)
    assert len(content) > settings.ANBIAO_IMPORT_MAX_BYTES
    before = counts()
    assert_refused(import_as(world.admin_a, content), before, "文件过大", "1 MB")


def test_a_file_just_under_the_size_limit_is_read(world, settings):
    content = valid_bytes(world)
    settings.ANBIAO_IMPORT_MAX_BYTES = len(content)
    assert import_as(world.admin_a, content).created == 1


def test_a_zip_bomb_of_200_mb_of_zeros_is_refused_without_being_unpacked(world):
    content = corpus.zip_bomb(valid_bytes(world), megabytes=200)
    assert len(content) < 2 * 1024 * 1024
    before = counts()
    assert_refused(import_as(world.admin_a, content), before, "压缩炸弹")


def test_a_small_member_with_an_extreme_compression_ratio_is_refused(world):
    content = corpus.zip_bomb(valid_bytes(world), megabytes=8)
    before = counts()
    assert_refused(import_as(world.admin_a, content), before, "压缩炸弹")


def test_a_package_that_unpacks_past_the_size_cap_is_refused_even_at_a_modest_ratio(world, monkeypatch):
    monkeypatch.setattr(core_xlsx, "MAX_UNCOMPRESSED", 512 * 1024)
    content = corpus.incompressible_member(valid_bytes(world), size=600 * 1024)
    before = counts()
    assert_refused(import_as(world.admin_a, content), before, "解压后过大")


def test_a_workbook_carrying_a_vba_project_is_refused(world):
    content = corpus.with_macro(valid_bytes(world))
    assert "xl/vbaProject.bin" in corpus.members(content)
    before = counts()
    assert_refused(import_as(world.admin_a, content, "企业名录.xlsm"), before, "含有宏")


def test_merged_cells_across_the_header_row_are_refused_with_a_clear_message(world):
    wb = filled(world.admin_a, [good_row()])
    wb[xlsx_io.SHEET].merge_cells("A1:B1")
    before = counts()
    assert_refused(import_as(world.admin_a, wb), before, "表头缺少列", "企业名称", "导入模板")


def test_merged_cells_inside_a_data_row_are_reported_by_row_and_column(world):
    wb = filled(world.admin_a, [good_row(), good_row()])
    ws = wb[xlsx_io.SHEET]
    ws.merge_cells(f"{letter('监管单位')}3:{letter('企业规模')}3")
    before = counts()
    assert_row_refused(import_as(world.admin_a, wb), before, 3, "企业规模", "必填")


def test_more_rows_than_the_limit_are_refused(world, settings):
    settings.ANBIAO_IMPORT_MAX_ROWS = 3
    before = counts()
    result = import_as(world.admin_a, filled(world.admin_a, [good_row() for _ in range(4)]))
    assert_refused(result, before, "数据行过多", "3 行")


def test_exactly_the_row_limit_is_accepted(world, settings):
    settings.ANBIAO_IMPORT_MAX_ROWS = 3
    assert import_as(world.admin_a, filled(world.admin_a, [good_row() for _ in range(3)])).created == 3


def test_a_worksheet_with_broken_xml_is_refused_with_a_message_not_an_exception(world):
    content = corpus.truncated_sheet_xml(valid_bytes(world, 3))
    before = counts()
    result = import_as(world.admin_a, content)
    assert_refused(result, before)
    assert any("损坏" in e or "无法" in e for e in result.errors), result.errors


def test_a_workbook_with_a_damaged_worksheet_member_is_refused_with_a_message_not_an_exception(world):
    content = corpus.corrupted_member(valid_bytes(world, 3))
    before = counts()
    result = import_as(world.admin_a, content)
    assert_refused(result, before)
    assert any("损坏" in e or "无法" in e for e in result.errors), result.errors


def test_a_workbook_with_an_entity_declaration_is_refused(world):
    content = corpus.rewrite(
        valid_bytes(world),
        change={
            corpus.SHEET_XML: lambda d: d.replace(
                b"<worksheet", b'<!DOCTYPE w [<!ENTITY x "xxxxxxxxxx">]><worksheet', 1
            )
        },
    )
    before = counts()
    result = import_as(world.admin_a, content)
    assert_refused(result, before)


def test_rows_beyond_an_understated_sheet_dimension_are_not_silently_dropped(world):
    """Some generators write <dimension ref="A1"/> or a stale range; read-only openpyxl then stops early."""
    rows = [good_row(f"维度{i}") for i in range(3)]
    content = corpus.set_dimension(corpus.to_bytes(filled(world.admin_a, rows)), "A1:X2")
    result = import_as(world.admin_a, content)
    assert result.errors or result.created == 3, (
        f"imported {result.created} of 3 rows without a word: "
        f"{list(Enterprise.objects.filter(name__startswith='维度').values_list('name', flat=True))}"
    )


# --- permissions ----------------------------------------------------------------------------------------
def test_a_user_without_import_permission_gets_403_and_the_service_refuses(world, login):
    client = login(world.principal_a)
    content = valid_bytes(world)
    before = counts()
    assert client.get(reverse("orgs:enterprise_import")).status_code == 403
    assert client.get(reverse("orgs:enterprise_template")).status_code == 403
    assert client.post(reverse("orgs:enterprise_import"), {"file": upload(content)}).status_code == 403
    with pytest.raises(PermissionDenied):
        import_as(world.principal_a, content)
    assert counts() == before
    assert AuditEvent.objects.filter(action="core.write_refused", actor=world.principal_a).count() == 1


def test_an_anonymous_visitor_is_sent_to_the_login_page(world, client):
    response = client.post(reverse("orgs:enterprise_import"), {"file": upload(valid_bytes(world))})
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(reverse("orgs:enterprise_export")).status_code == 302


# --- the web view end to end ----------------------------------------------------------------------------
def test_a_valid_upload_through_the_page_imports_and_redirects_to_the_list(world, login):
    client = login(world.admin_a)
    assert client.get(reverse("orgs:enterprise_import")).status_code == 200
    rows = [good_row("网页导入一"), good_row("网页导入二")]
    response = client.post(reverse("orgs:enterprise_import"), {"file": upload(filled(world.admin_a, rows))})
    assert response.status_code == 302 and response["Location"] == reverse("orgs:enterprise_list")
    assert Enterprise.objects.filter(name__startswith="网页导入").count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "导入成功：新增 2 家，更新 0 家。" in page


def test_a_refused_upload_through_the_page_lists_every_error_and_writes_nothing(world, login):
    client = login(world.admin_a)
    rows = [
        good_row(),
        good_row() | {"统一社会信用代码": valid_uscc()[:17]},
        good_row() | {"新办企业": "也许"},
    ]
    before = counts()
    response = client.post(reverse("orgs:enterprise_import"), {"file": upload(filled(world.admin_a, rows))})
    assert response.status_code == 400
    page = response.content.decode()
    assert "未导入任何数据" in page and "2 处问题" in page
    assert "第3行「统一社会信用代码」" in page and "第4行「新办企业」" in page
    assert counts() == before


@pytest.mark.parametrize(
    "content",
    [b"uscc,name\n1,2\n", png_bytes(), corpus.plain_zip(), corpus.ole2_xls()],
    ids=["csv", "png", "zip", "xls"],
)
def test_a_file_that_is_not_a_workbook_gets_a_message_on_the_page_not_an_error_page(world, login, content):
    client = login(world.admin_a)
    before = counts()
    response = client.post(reverse("orgs:enterprise_import"), {"file": upload(content)})
    assert response.status_code == 400
    assert "不是 Excel" in response.content.decode()
    assert counts() == before


def test_an_empty_upload_through_the_page_is_a_form_error(world, login):
    client = login(world.admin_a)
    before = counts()
    response = client.post(reverse("orgs:enterprise_import"), {"file": upload(b"")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert counts() == before


def test_a_broken_worksheet_through_the_page_is_not_a_server_error(world, login):
    client = login(world.admin_a)
    client.raise_request_exception = False
    before = counts()
    content = corpus.truncated_sheet_xml(valid_bytes(world, 2))
    response = client.post(reverse("orgs:enterprise_import"), {"file": upload(content)})
    assert response.status_code == 400
    assert counts() == before


# --- export ---------------------------------------------------------------------------------------------
def test_the_export_has_the_import_headers_and_only_the_enterprises_in_scope(world, login):
    response = login(world.admin_a).get(reverse("orgs:enterprise_export"))
    wb = exported(response)
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    assert wb.sheetnames == [xlsx_io.SHEET]
    assert [c.value for c in wb[xlsx_io.SHEET][1]] == xlsx_io.HEADERS
    rows = sheet_rows(wb)
    assert {r["企业名称"] for r in rows} == {"甲一超市", "甲二仓储"}
    by_name = {r["企业名称"]: r for r in rows}
    assert by_name["甲一超市"]["统一社会信用代码"] == world.ent_a.uscc
    assert by_name["甲二仓储"]["监管单位"] == "TA1 甲供销社服务中心"
    assert by_name["甲一超市"]["纳入名录日期"].date() == datetime.date(2024, 1, 1)


def test_an_enterprise_user_exports_only_their_own_enterprise(world, login):
    rows = sheet_rows(exported(login(world.principal_a).get(reverse("orgs:enterprise_export"))))
    assert [r["企业名称"] for r in rows] == ["甲一超市"]


@pytest.mark.parametrize(
    ("query", "names"),
    [({"q": "甲一"}, {"甲一超市"}), ({"q": "乙一"}, set()), ({"q": ""}, {"甲一超市", "甲二仓储"})],
)
def test_the_list_filter_in_the_querystring_limits_the_export(world, login, query, names):
    rows = sheet_rows(exported(login(world.admin_a).get(reverse("orgs:enterprise_export"), query)))
    assert {r["企业名称"] for r in rows} == names


def test_the_unit_filter_limits_the_export_to_a_subtree(world, login):
    client = login(world.admin_a)
    rows = sheet_rows(exported(client.get(reverse("orgs:enterprise_export"), {"unit": world.unit_a1.pk})))
    assert [r["企业名称"] for r in rows] == ["甲二仓储"]


FORMULA_PAYLOADS = ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "\tx", '=HYPERLINK("http://x","y")']


def test_text_that_looks_like_a_formula_is_exported_as_a_plain_string(world, login):
    root = system_scope(world.county)
    for payload in FORMULA_PAYLOADS:
        services.enterprise_create(
            actor=None,
            scope=root,
            data=enterprise_data(
                unit=world.unit_a,
                name=payload,
                address=payload,
                principal_name=payload,
                legal_representative=payload,
                safety_officer_name=payload,
            ),
        )
    wb = exported(login(world.admin_a).get(reverse("orgs:enterprise_export")))
    ws = wb[xlsx_io.SHEET]
    assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    found = set()
    for row in ws.iter_rows(min_row=2):
        name_cell = row[xlsx_io.HEADERS.index("企业名称")]
        if name_cell.value not in FORMULA_PAYLOADS:
            continue
        found.add(name_cell.value)
        for header in ("企业名称", "经营地址", "法定代表人", "主要负责人", "安全管理员"):
            cell = row[xlsx_io.HEADERS.index(header)]
            assert cell.data_type == "s", (header, cell.value)
            assert cell.value == name_cell.value
    assert found == set(FORMULA_PAYLOADS)


def test_the_exported_file_carries_no_formula_element_at_all(world, login):
    services.enterprise_create(
        actor=None,
        scope=system_scope(world.county),
        data=enterprise_data(unit=world.unit_a, name="=1+1", address="=SUM(A1:A9)"),
    )
    content = login(world.admin_a).get(reverse("orgs:enterprise_export")).content
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        sheet_xml = zf.read(corpus.SHEET_XML)
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    assert b"=1+1" in sheet_xml


# --- round trip -----------------------------------------------------------------------------------------
def _comparable(e: Enterprise) -> dict:
    e.refresh_from_db()
    data = audit.snapshot(e)
    data.pop("updated_at")
    data.pop("revision")  # bookkeeping of the write, like updated_at
    return data


def test_an_exported_file_imported_unchanged_updates_every_row_and_changes_nothing(world, login):
    Enterprise.objects.filter(pk=world.ent_a.pk).update(
        township=Township.objects.get(name="螺城镇"),
        longitude=Decimal("118.796012"),
        latitude=Decimal("25.030123"),
        tag_new=True,
        tag_micro=True,
        nine_small_kind="shop",
        is_rental_outlet=True,
        landlord_unit=world.unit_a1,
        employee_count=12,
        handles_dangerous_goods=True,
        address="螺城镇中山路1号",
        legal_representative="王五",
        safety_officer_name="赵六",
        safety_officer_phone="0595-87654321",
    )
    client = login(world.admin_a)
    content = client.get(reverse("orgs:enterprise_export")).content
    ents = [world.ent_a, world.ent_a1]
    snapshots = [_comparable(e) for e in ents]
    enterprises, states = Enterprise.objects.count(), EnterpriseState.objects.count()
    result = import_as(world.admin_a, content, "企业名录-导出.xlsx")
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 2)
    assert (Enterprise.objects.count(), EnterpriseState.objects.count()) == (enterprises, states)
    assert [_comparable(e) for e in ents] == snapshots


def test_an_exported_file_uploaded_through_the_page_round_trips(world, login):
    client = login(world.admin_a)
    content = client.get(reverse("orgs:enterprise_export")).content
    states = EnterpriseState.objects.count()
    response = client.post(reverse("orgs:enterprise_import"), {"file": upload(content, "导出.xlsx")})
    assert response.status_code == 302
    assert EnterpriseState.objects.count() == states
    assert AuditEvent.objects.get(action="orgs.enterprise_import").after == {
        "created": 0,
        "updated": 2,
        "rows": 2,
    }


def test_a_name_with_full_width_brackets_survives_an_export_and_re_import(world, login):
    services.enterprise_update(
        actor=None,
        scope=system_scope(world.county),
        enterprise=world.ent_a,
        data={"name": "甲一超市（螺城店）"},
    )
    content = login(world.admin_a).get(reverse("orgs:enterprise_export")).content
    result = import_as(world.admin_a, content)
    assert result.ok, result.errors
    world.ent_a.refresh_from_db()
    assert world.ent_a.name == "甲一超市（螺城店）"
