"""Build the 泉州 platform export for one enterprise or a unit's subtree, and write it as JSON or xlsx.

``build`` runs one selector per dataset of the catalogue and the pure row builders; ``json_document`` and
``workbook`` only format what ``build`` returns, so the page, the downloads and the API give the same data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import openpyxl
from django.utils import timezone
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from anbiao.cityplatform import rows as row_builders
from anbiao.cityplatform import selectors
from anbiao.cityplatform.catalogue import COMMON_FIELDS, GROUPS, Dataset, Field, Group
from anbiao.core import privacy
from anbiao.core.xlsx import HEADER_FILL, set_cell
from anbiao.orgs.models import Enterprise, Organization

FORMAT = "anbiao.cityplatform"
FORMAT_VERSION = 1
TITLE = "泉州市安全生产标准化智慧管理平台数据项"


@dataclass
class DatasetData:
    dataset: Dataset
    rows: list[dict]

    @property
    def fields(self) -> tuple[Field, ...]:
        return COMMON_FIELDS + self.dataset.fields


@dataclass
class GroupData:
    group: Group
    datasets: list[DatasetData]

    @property
    def count(self) -> int:
        return sum(len(d.rows) for d in self.datasets)


@dataclass
class Export:
    subject: Organization | Enterprise
    as_of: datetime.date
    enterprise_count: int
    groups: list[GroupData]
    generated_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def subject_kind(self) -> str:
        return "enterprise" if isinstance(self.subject, Enterprise) else "unit"

    @property
    def subject_text(self) -> str:
        if self.subject_kind == "enterprise":
            return f"{self.subject.name}（{self.subject.uscc}）"
        return f"{self.subject.name}及其下级单位监管的企业（不含已注销企业）"

    @property
    def filename_stem(self) -> str:
        return f"泉州平台数据_{self.subject.name}_{self.as_of:%Y%m%d}"


# Personal numbers in the datasets (by the catalogue field's source): masked for users who may not see them
# on the owning enterprise (core/privacy.py; the read-only leader downloads this export too).
PII_SOURCES = {
    "orgs.Enterprise.principal_phone": "phone",
    "orgs.Enterprise.safety_officer_phone": "phone",
    "duty.SafetyOfficer.person.phone": "phone",
    "duty.Certificate.number": "text",
    "risks.RiskPoint.responsible_phone": "phone",
    "duty.RescueTeam.contact_phone": "phone",
}


def _pii_keys(dataset: Dataset) -> dict[str, str]:
    return {f.key: PII_SOURCES[f.source] for f in dataset.fields if f.source in PII_SOURCES}


def enterprises_of(scope, subject):
    if isinstance(subject, Enterprise):
        return selectors.one_enterprise(scope, subject)
    return selectors.unit_enterprises(scope, subject)


def build(*, scope, subject, as_of: datetime.date | None = None) -> Export:
    """Every dataset's rows for ``subject`` (an Enterprise or an Organization's subtree) as seen by ``scope``.

    The query count is fixed by the catalogue (one query per dataset plus its prefetches), whatever the number
    of enterprises and records.
    """
    as_of = as_of or timezone.localdate()
    enterprises = enterprises_of(scope, subject)
    reveal = privacy.Revealer(scope)
    groups: list[GroupData] = []
    enterprise_count = 0
    for group in GROUPS:
        datasets = []
        for dataset in group.datasets:
            key = (group.key, dataset.key)
            source = selectors.SOURCES[key]
            builder = row_builders.BUILDERS[key]
            data = []
            pii = _pii_keys(dataset)
            for obj in selectors.dataset_rows(*key, scope=scope, enterprises=enterprises, as_of=as_of):
                owner = _enterprise_of(obj, source.enterprise)
                row = {**row_builders.common(owner), **builder(obj, as_of)}
                for name, kind in pii.items():
                    row[name] = reveal.show(row.get(name), owner, kind)
                data.append(row)
            if key == ("basic_info", "enterprises"):
                enterprise_count = len(data)
            datasets.append(DatasetData(dataset, data))
        groups.append(GroupData(group, datasets))
    return Export(subject=subject, as_of=as_of, enterprise_count=enterprise_count, groups=groups)


def counts(*, scope, subject, as_of: datetime.date | None = None) -> dict:
    """The preview: how many rows each group and dataset would export (one count query per dataset)."""
    as_of = as_of or timezone.localdate()
    by_dataset = selectors.dataset_counts(
        scope=scope, enterprises=enterprises_of(scope, subject), as_of=as_of
    )
    groups = []
    for group in GROUPS:
        items = [(d, by_dataset[(group.key, d.key)]) for d in group.datasets]
        groups.append({"group": group, "datasets": items, "count": sum(n for _, n in items)})
    return {
        "as_of": as_of,
        "enterprise_count": by_dataset[("basic_info", "enterprises")],
        "groups": groups,
    }


def _enterprise_of(obj, path: str):
    for name in path.split("__") if path else ():
        obj = getattr(obj, name)
    return obj


# --- JSON -------------------------------------------------------------------------------------------------
def json_value(value, kind: str):
    if value is None:
        return None
    if kind == "list":
        return [str(v) for v in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and kind == "int" else float(value)
    return value


def json_document(export: Export) -> dict:
    """The export as JSON (``docs/city-platform.md`` describes every key)."""
    subject = export.subject
    if export.subject_kind == "enterprise":
        about = {"kind": "enterprise", "id": subject.pk, "name": subject.name, "uscc": subject.uscc}
    else:
        about = {"kind": "unit", "id": subject.pk, "name": subject.name, "code": subject.code}
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "title": TITLE,
        "subject": about,
        "as_of": export.as_of.isoformat(),
        "generated_at": timezone.localtime(export.generated_at).isoformat(timespec="seconds"),
        "enterprise_count": export.enterprise_count,
        "groups": {
            g.group.key: {
                "label": g.group.label,
                "has_source": g.group.has_source,
                "note": "" if g.group.has_source else g.group.no_source,
                "uncovered": list(g.group.uncovered),
                "record_count": g.count,
                "datasets": {
                    d.dataset.key: {
                        "label": d.dataset.label,
                        "source": d.dataset.source,
                        "count": len(d.rows),
                        "fields": [{"key": f.key, "label": f.label, "kind": f.kind} for f in d.fields],
                        "records": [
                            {f.key: json_value(row[f.key], f.kind) for f in d.fields} for row in d.rows
                        ],
                    }
                    for d in g.datasets
                },
            }
            for g in export.groups
        },
    }


# --- xlsx -------------------------------------------------------------------------------------------------
WIDTHS = {"longtext": 40, "date": 12, "datetime": 17, "int": 10, "decimal": 12, "bool": 8, "list": 24}
FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}
NO_ROWS = "（无记录）"


def cell_value(value, kind: str):
    """A value as a spreadsheet cell: 是/否, dates as dates (local time, no zone), lists joined by 、."""
    if value is None or value == "":
        return None
    if kind == "list":
        return "、".join(str(v) for v in value) or None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _title_row(ws, row: int, text: str, span: int) -> None:
    set_cell(ws.cell(row=row, column=1), text)
    ws.cell(row=row, column=1).font = Font(bold=True, size=12)
    if span > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)


def _header_row(ws, row: int, fields) -> None:
    for col, f in enumerate(fields, start=1):
        cell = ws.cell(row=row, column=col)
        set_cell(cell, f.label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _group_sheet(ws, g: GroupData) -> None:
    """One block per dataset: a title line, the Chinese header row, one row per record, a blank line."""
    row = 1
    _title_row(ws, row, f"{g.group.label}：{g.group.meaning}", 6)
    row += 1
    if not g.group.has_source:
        set_cell(ws.cell(row=row, column=1), g.group.no_source)
        row += 1
    if g.group.uncovered:
        set_cell(ws.cell(row=row, column=1), "系统中暂无数据来源的内容：" + "；".join(g.group.uncovered))
        row += 1
    widths: dict[int, int] = {}
    for d in g.datasets:
        row += 1
        fields = d.fields
        _title_row(ws, row, f"【{d.dataset.label}】共 {len(d.rows)} 条", len(fields))
        row += 1
        _header_row(ws, row, fields)
        row += 1
        if not d.rows:
            set_cell(ws.cell(row=row, column=1), NO_ROWS)
            row += 1
        for record in d.rows:
            for col, f in enumerate(fields, start=1):
                cell = ws.cell(row=row, column=col)
                set_cell(cell, cell_value(record[f.key], f.kind))
                if f.kind in FORMATS:
                    cell.number_format = FORMATS[f.kind]
                if f.kind == "longtext":
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
        for col, f in enumerate(fields, start=1):
            width = 30 if f.key == "enterprise_name" else 20 if f.key == "enterprise_uscc" else 16
            widths[col] = max(widths.get(col, 0), WIDTHS.get(f.kind, width))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def _summary_sheet(ws, export: Export) -> None:
    lines = [
        (TITLE, None),
        ("导出范围", export.subject_text),
        ("数据日期", export.as_of),
        ("生成时间", timezone.localtime(export.generated_at).replace(tzinfo=None)),
        ("企业数", export.enterprise_count),
    ]
    for r, (key, value) in enumerate(lines, start=1):
        set_cell(ws.cell(row=r, column=1), key)
        set_cell(ws.cell(row=r, column=2), value)
    ws["A1"].font = Font(bold=True, size=14)
    ws["B3"].number_format = FORMATS["date"]
    ws["B4"].number_format = FORMATS["datetime"]
    headers = ["数据组", "数据项", "记录数", "数据来源", "说明"]
    start = len(lines) + 2
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=start, column=col)
        set_cell(cell, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    r = start + 1
    for g in export.groups:
        if not g.group.has_source:
            for col, value in enumerate([g.group.label, "", 0, "", g.group.no_source], start=1):
                set_cell(ws.cell(row=r, column=col), value)
            r += 1
        for d in g.datasets:
            values = [g.group.label, d.dataset.label, len(d.rows), d.dataset.source, d.dataset.meaning]
            for col, value in enumerate(values, start=1):
                set_cell(ws.cell(row=r, column=col), value)
            r += 1
        if g.group.uncovered:
            note = "系统中暂无数据来源：" + "；".join(g.group.uncovered)
            for col, value in enumerate([g.group.label, "（未覆盖）", None, "", note], start=1):
                set_cell(ws.cell(row=r, column=col), value)
            r += 1
    for col, width in zip("ABCDE", (14, 24, 8, 28, 70), strict=True):
        ws.column_dimensions[col].width = width


SUMMARY_SHEET = "说明"


def workbook(export: Export) -> openpyxl.Workbook:
    """A ``说明`` sheet, then one sheet per group named by its Chinese label; every cell formula-safe."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SUMMARY_SHEET
    _summary_sheet(ws, export)
    for g in export.groups:
        _group_sheet(wb.create_sheet(g.group.label), g)
    return wb
