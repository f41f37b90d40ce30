"""Attendance import (xlsx): template, validate every row, then write all rows in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl.worksheet.datavalidation import DataValidation

from anbiao.campaigns import ledger_services
from anbiao.campaigns.choices import TraineeCategory
from anbiao.campaigns.models import Attendance
from anbiao.core import parsing
from anbiao.core.xlsx import XlsxError, read_upload, write_table
from anbiao.orgs import uscc
from anbiao.orgs.models import Enterprise

SHEET = "参训人员"
HEADERS = ["姓名", "企业名称", "统一社会信用代码", "人员类别", "职务", "联系电话"]
REQUIRED = {"姓名", "人员类别"}
CATEGORY_OPTIONS = (
    {str(label): value for value, label in TraineeCategory.choices}
    | {v: v for v in TraineeCategory.values}
    | {
        "主要负责人": TraineeCategory.PRINCIPAL,
        "安全管理员": TraineeCategory.SAFETY_MANAGER,
        "从业人员": TraineeCategory.WORKER,
    }
)


@dataclass
class ImportResult:
    created: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def build_template():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    write_table(ws, HEADERS, [], widths=[12, 30, 22, 22, 14, 16])
    labels = [str(label) for _, label in TraineeCategory.choices]
    lists = wb.create_sheet("代码表")
    for i, label in enumerate(labels, start=1):
        lists.cell(row=i, column=1, value=label)
    dv = DataValidation(type="list", formula1=f"=代码表!$A$1:$A${len(labels)}", allow_blank=False)
    ws.add_data_validation(dv)
    dv.add("D2:D1000")
    notes = wb.create_sheet("说明")
    for i, line in enumerate(
        [
            "每行一名参训人员。姓名、人员类别必填。",
            "企业按统一社会信用代码匹配；未填代码时按企业名称（须与企业名录完全一致）匹配；只匹配您管辖范围内的企业。",
            "非企业人员（领导干部、安监人员、网格员、专家等）企业名称和代码留空。",
            "任何一行有错误时整个文件不导入，请按提示修改后重新上传。",
        ],
        start=1,
    ):
        notes.cell(row=i, column=1, value=line)
    return wb


def import_attendance(*, actor, scope, session, upload) -> ImportResult:
    """Match every row to an enterprise inside the importer's scope; any error → nothing written."""
    result = ImportResult()
    try:
        sheet = read_upload(upload, sheet_name=SHEET)
    except XlsxError as exc:
        result.errors.append(str(exc))
        return result
    missing = [h for h in HEADERS if h not in sheet.headers]
    if missing:
        result.errors.append(f"第1行缺少列：{'、'.join(missing)}。请使用系统提供的导入模板。")
        return result
    col = {h: sheet.headers.index(h) for h in HEADERS}
    visible = Enterprise.objects.visible_to(scope, "campaign.file")
    by_code = {e.uscc: e for e in visible.only("id", "name", "uscc", "unit_id")}
    by_name: dict[str, list[Enterprise]] = {}
    for e in by_code.values():
        by_name.setdefault(e.name, []).append(e)
    existing = set(Attendance.objects.filter(session=session).values_list("enterprise_id", "person_name"))
    rows, seen = [], set()
    if not sheet.rows:
        result.errors.append("文件中没有数据行。")
    for rownum, values in sheet.rows:

        def cell(header, values=values):
            i = col[header]
            return values[i] if i < len(values) else None

        errors = []
        name = parsing.text(cell("姓名"))
        if not name:
            errors.append("「姓名」必填")
        try:
            category = parsing.choice(cell("人员类别"), CATEGORY_OPTIONS)
        except ValueError as exc:
            errors.append(f"「人员类别」{exc}")
            category = ""
        code = uscc.normalize(parsing.normal(cell("统一社会信用代码")))
        ent_name = parsing.text(cell("企业名称"))
        enterprise = None
        if code:
            enterprise = by_code.get(code)
            if enterprise is None:
                errors.append(f"「统一社会信用代码」{code} 在您管辖范围内找不到对应企业")
            elif ent_name and ent_name != enterprise.name:
                errors.append(f"「企业名称」与代码 {code} 登记的名称「{enterprise.name}」不一致")
        elif ent_name:
            matches = by_name.get(ent_name, [])
            if not matches:
                errors.append(f"「企业名称」{ent_name} 在您管辖范围内找不到对应企业")
            elif len(matches) > 1:
                errors.append(f"「企业名称」{ent_name} 对应多家企业，请填写统一社会信用代码")
            else:
                enterprise = matches[0]
        key = (enterprise.pk if enterprise else None, name)
        if name and (key in existing or key in seen):
            errors.append(f"「姓名」{name} 已登记在本场次")
        seen.add(key)
        if errors:
            result.errors.append(f"第{rownum}行：" + "；".join(errors))
            continue
        rows.append(
            {
                "enterprise": enterprise,
                "person_name": name,
                "category": category,
                "position": parsing.text(cell("职务"))[:50],
                "phone": parsing.normal(cell("联系电话"))[:20],
            }
        )
    if result.errors:
        return result
    try:
        result.created = ledger_services.attendance_bulk_add(
            actor=actor, scope=scope, session=session, rows=rows
        )
    except (ValidationError, PermissionDenied) as exc:
        result.errors.extend(getattr(exc, "messages", [str(exc)]))
    return result
