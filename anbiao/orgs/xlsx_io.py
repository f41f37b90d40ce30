"""Enterprise registry import template, import and export (xlsx)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl.worksheet.datavalidation import DataValidation

from anbiao.core import audit, parsing, privacy
from anbiao.core.scope import Scope
from anbiao.core.xlsx import XlsxError, read_upload, set_cell, write_table
from anbiao.orgs import services, uscc
from anbiao.orgs.choices import NineSmallKind, SizeClass, Status
from anbiao.orgs.models import Enterprise, Industry, Organization, Township

SHEET = "企业名录"
YES_NO = ["是", "否"]


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False
    width: int = 14
    note: str = ""


COLUMNS = [
    Column("统一社会信用代码", "uscc", True, 22, "18位，系统校验校验位；已存在的代码将更新该企业"),
    Column("企业名称", "name", True, 30),
    Column("监管单位", "unit", True, 24, "从下拉列表选择（编码 名称），或只填单位编码"),
    Column("企业规模", "size_class", True, 12, "规上企业 / 中等企业 / 小微企业"),
    Column("行业", "industry", True, 16, "从下拉列表选择"),
    Column("乡镇（街道）", "township", False, 14, "从下拉列表选择"),
    Column("经营地址", "address", False, 30),
    Column("法定代表人", "legal_representative"),
    Column("主要负责人", "principal_name"),
    Column("主要负责人电话", "principal_phone", False, 16),
    Column("安全管理员", "safety_officer_name"),
    Column("安全管理员电话", "safety_officer_phone", False, 16),
    Column("从业人员数", "employee_count", False, 12, "整数"),
    Column("新办企业", "tag_new", False, 10, "是 / 否"),
    Column("商贸企业", "tag_trade", False, 10, "是 / 否"),
    Column("小微企业", "tag_micro", False, 10, "是 / 否"),
    Column("九小场所类别", "nine_small_kind", False, 16, "不是九小场所则留空"),
    Column("出租经营网点", "is_rental_outlet", False, 12, "是 / 否"),
    Column("出租单位", "landlord_unit", False, 24, "出租经营网点必填，填法同监管单位"),
    Column("危险物品生产经营储存", "handles_dangerous_goods", False, 12, "是 / 否"),
    Column("经营状态", "status", False, 10, "在营 / 停业 / 注销，留空为在营"),
    Column("纳入名录日期", "registered_on", False, 14, "如 2024-03-01；留空为今天"),
    Column("经度", "longitude", False, 12, "可留空"),
    Column("纬度", "latitude", False, 12, "可留空"),
]
HEADERS = [c.header for c in COLUMNS]


def _labels(choices) -> dict[str, str]:
    mapping = {str(label): value for value, label in choices}
    mapping.update({value: value for value, _ in choices})
    return mapping


SIZE_OPTIONS = _labels(SizeClass.choices) | {
    "规上": SizeClass.ABOVE_SCALE,
    "中等": SizeClass.MEDIUM,
    "小微": SizeClass.SMALL,
}
STATUS_OPTIONS = _labels(Status.choices)
NINE_OPTIONS = _labels(NineSmallKind.choices)


def unit_label(unit: Organization) -> str:
    return f"{unit.code} {unit.name}"


# --- Template -------------------------------------------------------------------------------------------
def build_template(*, scope: Scope) -> openpyxl.Workbook:
    units = list(
        Organization.objects.visible_to(scope, "enterprise.manage").filter(is_active=True).order_by("path")
    )
    lists = {
        "监管单位": [unit_label(u) for u in units],
        "企业规模": [str(label) for _, label in SizeClass.choices],
        "行业": list(Industry.objects.filter(is_active=True).values_list("name", flat=True)),
        "乡镇（街道）": list(Township.objects.filter(is_active=True).values_list("name", flat=True)),
        "九小场所类别": [str(label) for _, label in NineSmallKind.choices],
        "经营状态": [str(label) for _, label in Status.choices],
        "是否": YES_NO,
    }
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    write_table(ws, HEADERS, [], [c.width for c in COLUMNS])
    codes = wb.create_sheet("代码表")
    for col, (title, values) in enumerate(lists.items(), start=1):
        set_cell(codes.cell(row=1, column=col), title)
        for row, value in enumerate(values, start=2):
            set_cell(codes.cell(row=row, column=col), value)
    codes.sheet_state = "hidden"
    list_column = {title: idx for idx, title in enumerate(lists, start=1)}
    yes_no_fields = {"tag_new", "tag_trade", "tag_micro", "is_rental_outlet", "handles_dangerous_goods"}
    for idx, column in enumerate(COLUMNS, start=1):
        key = {
            "unit": "监管单位",
            "landlord_unit": "监管单位",
            "size_class": "企业规模",
            "industry": "行业",
            "township": "乡镇（街道）",
            "nine_small_kind": "九小场所类别",
            "status": "经营状态",
        }.get(column.field)
        if column.field in yes_no_fields:
            key = "是否"
        if key is None:
            continue
        letter = openpyxl.utils.get_column_letter(list_column[key])
        count = max(len(lists[key]), 1)
        dv = DataValidation(
            type="list",
            formula1=f"代码表!${letter}$2:${letter}${count + 1}",
            allow_blank=not column.required,
            showErrorMessage=True,
            errorTitle="输入错误",
            error=f"「{column.header}」请从下拉列表中选择。",
        )
        ws.add_data_validation(dv)
        col_letter = openpyxl.utils.get_column_letter(idx)
        dv.add(f"{col_letter}2:{col_letter}5001")
    info = wb.create_sheet("填写说明")
    write_table(
        info,
        ["列", "是否必填", "填写要求"],
        [(c.header, "必填" if c.required else "", c.note) for c in COLUMNS],
        [20, 10, 60],
    )
    n = len(COLUMNS) + 3
    for i, line in enumerate(
        [
            "1. 在「企业名录」工作表第2行起每行填写一家企业，不要修改表头、不要改工作表名称。",
            "2. 统一社会信用代码已在系统中登记的企业将被更新；新代码将新增企业。",
            "3. 任何一行有错误时，整个文件都不会导入；系统会列出每个错误所在的行和列，改正后重新上传。",
            "4. 不要在单元格中使用公式；日期请写成 2024-03-01 的形式。",
            "5. 只能导入到您管辖范围内的单位。",
        ],
        start=n,
    ):
        set_cell(info.cell(row=i, column=1), line)
    return wb


# --- Import -----------------------------------------------------------------------------------------------
@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _unit_finder(scope: Scope) -> Callable[[str], Organization]:
    units = list(Organization.objects.visible_to(scope, "enterprise.manage").filter(is_active=True))
    by_code = {u.code.upper(): u for u in units}
    by_name: dict[str, list[Organization]] = {}
    for u in units:
        by_name.setdefault(u.name, []).append(u)

    def find(raw: str) -> Organization:
        token = raw.split(" ", 1)[0].upper()
        if token in by_code:
            return by_code[token]
        if len(by_name.get(raw, [])) == 1:
            return by_name[raw][0]
        if len(by_name.get(raw, [])) > 1:
            raise ValueError(f"单位名称「{raw}」不唯一，请填写单位编码")
        raise ValueError(f"单位「{raw}」不存在或不在您的管辖范围内")

    return find


def _lookup(model, raw: str, label: str):
    obj = model.objects.filter(name=raw).first() or model.objects.filter(code=parsing.normal(raw)).first()
    if obj is None:
        raise ValueError(f"{label}「{raw}」不在可选列表中")
    return obj


def _remembering(lookup: Callable) -> Callable:
    """``lookup`` asked once per distinct value in a file (a 10,000-row file names a few dozen industries)."""
    seen: dict[tuple, object] = {}

    def find(*args):
        if args not in seen:
            try:
                seen[args] = lookup(*args)
            except ValueError as exc:
                seen[args] = exc
        if isinstance(seen[args], ValueError):
            raise seen[args]
        return seen[args]

    return find


def parse_rows(sheet, scope: Scope) -> tuple[list[tuple[int, dict]], list[str]]:
    errors: list[str] = []
    missing = [h for h in HEADERS if h not in sheet.headers]
    if missing:
        return [], [f"表头缺少列：{'、'.join(missing)}。请使用系统提供的导入模板，不要修改表头。"]
    index = {h: sheet.headers.index(h) for h in HEADERS}
    find_unit = _unit_finder(scope)
    lookup = _remembering(_lookup)
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    for rownum, values in sheet.rows:
        data: dict = {}
        row_errors: list[str] = []
        for column in COLUMNS:
            raw = values[index[column.header]] if index[column.header] < len(values) else None
            try:
                data[column.field] = _parse(column, raw, find_unit, lookup)
            except ValueError as exc:
                row_errors.append(f"第{rownum}行「{column.header}」：{exc}。")
        code = data.get("uscc")
        if code:
            if code in seen:
                row_errors.append(f"第{rownum}行「统一社会信用代码」：与第{seen[code]}行重复。")
            seen.setdefault(code, rownum)
        errors.extend(row_errors)
        if not row_errors:
            parsed.append((rownum, data))
    return parsed, errors


def _parse(column: Column, raw, find_unit, lookup=_lookup):
    value = parsing.text(raw)
    if column.required and value == "":
        raise ValueError("必填")
    f = column.field
    if f == "uscc":
        code = uscc.normalize(value)
        problem = uscc.problem(code)
        if problem:
            raise ValueError(f"{problem}（填写为「{value}」）")
        return code
    if f in {"unit", "landlord_unit"}:
        return find_unit(value) if value else None
    if f == "size_class":
        return parsing.choice(value, SIZE_OPTIONS)
    if f == "status":
        return parsing.choice(value, STATUS_OPTIONS, required=False) or Status.OPERATING
    if f == "nine_small_kind":
        return parsing.choice(value, NINE_OPTIONS, required=False)
    if f == "industry":
        return lookup(Industry, value, "行业")
    if f == "township":
        return lookup(Township, value, "乡镇（街道）") if value else None
    if f == "employee_count":
        n = parsing.integer(raw)
        if n is not None and n < 0:
            raise ValueError("不能为负数")
        return n or 0
    if f in {"tag_new", "tag_trade", "tag_micro", "is_rental_outlet", "handles_dangerous_goods"}:
        return parsing.boolean(raw)
    if f == "registered_on":
        return parsing.date(raw)
    if f in {"longitude", "latitude"}:
        return parsing.decimal(raw)
    return value


def import_enterprises(*, actor, scope: Scope, upload) -> ImportResult:
    """Validate every row first; write all rows in one transaction only when none has an error."""
    if not scope.has_perm("enterprise.import"):
        raise PermissionDenied("没有导入权限。")
    try:
        sheet = read_upload(upload, sheet_name=SHEET)
    except XlsxError as exc:
        return ImportResult(errors=[str(exc)])
    if not sheet.rows:
        return ImportResult(errors=["「企业名录」工作表没有数据行。"])
    parsed, errors = parse_rows(sheet, scope)
    if errors:
        return ImportResult(errors=errors)
    existing = {
        e.uscc: e
        for e in Enterprise.objects.filter(uscc__in=[d["uscc"] for _, d in parsed]).select_related("unit")
    }
    visible = set(
        Enterprise.objects.visible_to(scope, "enterprise.manage")
        .filter(uscc__in=list(existing))
        .values_list("uscc", flat=True)
    )
    for rownum, data in parsed:
        if data["uscc"] in existing and data["uscc"] not in visible:
            errors.append(
                f"第{rownum}行「统一社会信用代码」：该企业已由您管辖范围以外的单位登记，请联系县社管理员。"
            )
    if errors:
        return ImportResult(errors=errors)
    result = ImportResult()
    new = [(rownum, data) for rownum, data in parsed if data["uscc"] not in existing]
    try:
        with transaction.atomic():
            for rownum, data in parsed:
                if data["uscc"] not in existing:
                    continue  # written together below
                try:
                    _write_row(actor, scope, data, existing[data["uscc"]], result)
                except ValidationError as exc:
                    errors.extend(_row_messages(rownum, exc))
            try:
                services.enterprise_create_many(actor=actor, scope=scope, rows=[_new_row(d) for _, d in new])
                result.created += len(new)
            except services.InvalidRows as exc:
                errors.extend(m for index, e in exc.errors for m in _row_messages(new[index][0], e))
            if errors:
                errors.sort(key=_row_number)
                raise _Rollback
            audit.record(
                actor=actor,
                action="orgs.enterprise_import",
                org_path=min(scope.q_paths("enterprise.import"), key=len, default=""),
                object_repr=getattr(upload, "name", "")[:200],
                after={"created": result.created, "updated": result.updated, "rows": len(parsed)},
            )
    except _Rollback:
        return ImportResult(errors=errors)
    return result


class _Rollback(Exception):
    pass


def _new_row(data: dict) -> dict:
    """A new enterprise's data as ``_write_row`` would pass it (no date: the model's default, today)."""
    return {k: v for k, v in data.items() if not (k == "registered_on" and v is None)}


def _row_number(message: str) -> int:
    digits = message[1 : message.find("行")] if message.startswith("第") else ""
    return int(digits) if digits.isdigit() else 0


def _write_row(actor, scope, data: dict, existing: Enterprise | None, result: ImportResult) -> None:
    if data.get("registered_on") is None:
        data.pop("registered_on")
    if existing is None:
        services.enterprise_create(actor=actor, scope=scope, data=data)
        result.created += 1
    else:
        data.pop("registered_on", None)
        services.enterprise_update(actor=actor, scope=scope, enterprise=existing, data=data)
        result.updated += 1


def _row_messages(rownum: int, exc: ValidationError) -> list[str]:
    by_field = {c.field: c.header for c in COLUMNS}
    if hasattr(exc, "error_dict"):
        return [
            f"第{rownum}行「{by_field.get(name, name)}」：{message}"
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [f"第{rownum}行：{message}" for message in exc.messages]


# --- Export ---------------------------------------------------------------------------------------------
def export_enterprises(queryset, *, scope=None) -> openpyxl.Workbook:
    """The registry as the import template's sheet. Phone numbers are masked unless ``scope`` may see them
    (core/privacy.py); without a scope they are masked."""
    show = privacy.Revealer(scope).show
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    rows = (
        (
            e.uscc,
            e.name,
            unit_label(e.unit),
            e.get_size_class_display(),
            e.industry.name,
            e.township.name if e.township else "",
            e.address,
            e.legal_representative,
            e.principal_name,
            show(e.principal_phone, e),
            e.safety_officer_name,
            show(e.safety_officer_phone, e),
            e.employee_count,
            *("是" if getattr(e, f) else "否" for f in ("tag_new", "tag_trade", "tag_micro")),
            e.get_nine_small_kind_display() if e.nine_small_kind else "",
            "是" if e.is_rental_outlet else "否",
            unit_label(e.landlord_unit) if e.landlord_unit else "",
            "是" if e.handles_dangerous_goods else "否",
            e.get_status_display(),
            e.registered_on,
            float(e.longitude) if e.longitude is not None else None,
            float(e.latitude) if e.latitude is not None else None,
        )
        for e in queryset.select_related("unit", "industry", "township", "landlord_unit")
    )
    write_table(ws, HEADERS, rows, [c.width for c in COLUMNS])
    for cell in ws["V"][1:]:
        cell.number_format = "yyyy-mm-dd"
    return wb
