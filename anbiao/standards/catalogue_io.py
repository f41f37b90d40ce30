"""Catalogue import and export, JSON and xlsx, in one format (anbiao.standard/1).

Everything is validated before anything is written; any error means nothing is written, and every error
names the row (第N行 in xlsx, 第N条 in JSON) and the column. Export writes the same format, so an exported
catalogue can be edited and imported again (as a new standard code or version).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

import openpyxl

from anbiao.core import parsing
from anbiao.core.xlsx import XlsxError, read_upload, set_cell, write_table
from anbiao.orgs.choices import SizeClass
from anbiao.standards.choices import GradeType, ItemLevel

FORMAT = "anbiao.standard/1"
META_SHEET = "标准信息"
ITEM_SHEET = "条款"
META_FIELDS = [
    ("code", "标准编号"),
    ("title", "标准名称"),
    ("version", "版本"),
    ("grade_type", "达标类型"),
    ("applies_to", "适用企业规模"),
    ("is_graded", "分级"),
    ("level1_min", "一级分数线"),
    ("level2_min", "二级分数线"),
    ("level3_min", "三级分数线"),
    ("is_active", "启用"),
    ("source", "来源与说明"),
]
ITEM_COLUMNS = [
    ("level", "层级"),
    ("code", "编号"),
    ("title", "名称"),
    ("score", "标准分值"),
    ("scoring_rule", "评分标准"),
    ("is_veto", "否决项"),
    ("unverified", "待核实"),
]
ITEM_HEADERS = [label for _, label in ITEM_COLUMNS]
CODE_RE = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$")
LEVEL_OPTIONS = {str(label): value for value, label in ItemLevel.choices} | {
    str(v): v for v in ItemLevel.values
}
GRADE_OPTIONS = {str(label): value for value, label in GradeType.choices} | {v: v for v in GradeType.values}
SIZE_OPTIONS = {str(label): value for value, label in SizeClass.choices} | {v: v for v in SizeClass.values}
SIZE_OPTIONS |= {"规上": SizeClass.ABOVE_SCALE, "中等": SizeClass.MEDIUM, "小微": SizeClass.SMALL}
MAX_ITEMS = 2000


@dataclass
class Catalogue:
    meta: dict = field(default_factory=dict)
    items: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- validation (pure) ------------------------------------------------------------------------------------
def _percent(raw, label: str) -> Decimal:
    value = parsing.decimal(raw)
    if value is None:
        raise ValueError("必填")
    if not (0 <= value <= 100):
        raise ValueError(f"应在 0–100 之间，实际为「{value}」")
    return value


def _sizes(raw) -> list[str]:
    if isinstance(raw, list):
        tokens = [parsing.normal(t) for t in raw]
    else:
        tokens = [t for t in re.split(r"[、,，;；/\s]+", parsing.normal(raw)) if t]
    out = []
    for t in tokens:
        if t not in SIZE_OPTIONS:
            raise ValueError(f"「{t}」不是企业规模（可选：规上企业、中等企业、小微企业）")
        out.append(SIZE_OPTIONS[t])
    return list(dict.fromkeys(out))


def validate(meta_raw: dict, rows: list[tuple[str, dict]]) -> Catalogue:
    """``meta_raw`` by field name; ``rows`` as (where, {field: raw}) with ``where`` like "第3行"."""
    cat = Catalogue()
    meta: dict = {}
    labels = dict(META_FIELDS)

    def meta_error(name, msg):
        cat.errors.append(f"{META_SHEET}「{labels[name]}」：{msg}。")

    for name, max_len in (("code", 60), ("title", 200), ("version", 40)):
        value = parsing.text(meta_raw.get(name))
        if not value:
            meta_error(name, "必填")
        elif len(value) > max_len:
            meta_error(name, f"不能超过 {max_len} 个字")
        meta[name] = value
    meta["source"] = parsing.text(meta_raw.get("source"))
    checks = {
        "grade_type": lambda v: parsing.choice(v, GRADE_OPTIONS),
        "applies_to": _sizes,
        "is_graded": lambda v: parsing.boolean(True if v is None else v),
        "is_active": lambda v: parsing.boolean(True if v is None else v),
        "level1_min": lambda v: _percent(v, "一级"),
        "level2_min": lambda v: _percent(v, "二级"),
        "level3_min": lambda v: _percent(v, "三级"),
    }
    for name, check in checks.items():
        try:
            meta[name] = check(meta_raw.get(name))
        except ValueError as exc:
            meta_error(name, str(exc))
    if all(meta.get(f"level{n}_min") is not None for n in (1, 2, 3)) and not (
        meta["level1_min"] >= meta["level2_min"] >= meta["level3_min"]
    ):
        meta_error("level1_min", "分数线须满足 一级 ≥ 二级 ≥ 三级")
    cat.meta = meta

    if not rows:
        cat.errors.append(f"{ITEM_SHEET}：没有条款。")
        return cat
    if len(rows) > MAX_ITEMS:
        cat.errors.append(f"{ITEM_SHEET}：条款过多，一次最多 {MAX_ITEMS} 条。")
        return cat
    col = dict(ITEM_COLUMNS)
    seen: dict[str, tuple[str, int]] = {}
    items: list[dict] = []
    for order, (where, raw) in enumerate(rows, start=1):
        errs: list[str] = []

        def err(name, msg, where=where, errs=errs):
            errs.append(f"{where}「{col[name]}」：{msg}。")

        item: dict = {"sort_order": order * 10}
        try:
            lv = parsing.choice(raw.get("level"), LEVEL_OPTIONS)
            item["level"] = int(lv)
        except ValueError as exc:
            err("level", str(exc))
        code = parsing.normal(raw.get("code"))
        if not code:
            err("code", "必填")
        elif not CODE_RE.match(code) or len(code) > 30:
            err("code", f"格式不正确（应如 5.1.2），实际为「{code}」")
        elif code in seen:
            err("code", f"与{seen[code][0]}重复")
        item["code"] = code
        title = parsing.text(raw.get("title"))
        if not title:
            err("title", "必填")
        elif len(title) > 500:
            err("title", "不能超过 500 个字")
        item["title"] = title
        item["scoring_rule"] = parsing.text(raw.get("scoring_rule"))
        for name in ("is_veto", "unverified"):
            try:
                item[name] = parsing.boolean(False if raw.get(name) is None else raw.get(name))
            except ValueError as exc:
                err(name, str(exc))
        level = item.get("level")
        item["score"] = Decimal("0")
        if level == ItemLevel.CONTENT:
            try:
                score = parsing.decimal(raw.get("score"))
                if score is None:
                    raise ValueError("考评内容须填写标准分值")
                if not (0 < score <= 1000) or score.as_tuple().exponent < -2:
                    raise ValueError(f"应为大于0、不超过1000、最多两位小数的数，实际为「{score}」")
                item["score"] = score
            except ValueError as exc:
                err("score", str(exc))
        if level and code and level > 1:
            parent = code.rsplit(".", 1)[0] if "." in code else ""
            if parent not in seen or seen[parent][1] != level - 1:
                err("code", f"找不到上级条款「{parent or '（无）'}」（须在本行之前、层级为{level - 1}）")
            item["parent_code"] = parent
        else:
            item["parent_code"] = ""
        if item.get("is_veto") and level != ItemLevel.CONTENT:
            err("is_veto", "只有考评内容可以是否决项")
        if code and code not in seen and level:
            seen[code] = (where, level)
        cat.errors.extend(errs)
        items.append(item)
    if not cat.errors:
        has_children = {i["parent_code"] for i in items}
        for item, (where, _) in zip(items, rows, strict=True):
            if item["level"] < ItemLevel.CONTENT and item["code"] not in has_children:
                cat.errors.append(f"{where}「编号」：{item['level']}级条款「{item['code']}」下没有下级条款。")
        if not any(i["level"] == ItemLevel.CONTENT for i in items):
            cat.errors.append(f"{ITEM_SHEET}：没有考评内容（层级3）。")
    cat.items = items
    return cat


def write(standard_model, item_model, cat: Catalogue):
    """Create the standard and its items (caller holds the transaction and has validated ``cat``)."""
    standard = standard_model.objects.create(**cat.meta)
    by_code: dict[str, object] = {}
    for data in cat.items:
        fields = {k: v for k, v in data.items() if k != "parent_code"}
        by_code[data["code"]] = item_model.objects.create(
            standard=standard, parent=by_code.get(data["parent_code"]), **fields
        )
    totals: dict[str, Decimal] = {}
    for data in cat.items:
        if data["level"] == ItemLevel.CONTENT:
            code = data["parent_code"]
            while code:
                totals[code] = totals.get(code, Decimal("0")) + data["score"]
                code = next((i["parent_code"] for i in cat.items if i["code"] == code), "")
    for code, total in totals.items():
        item = by_code[code]
        item.score = total
        item.save(update_fields=["score"])
    return standard


# --- JSON -------------------------------------------------------------------------------------------------
def from_json(raw: bytes) -> Catalogue:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Catalogue(errors=[f"文件不是有效的 JSON（UTF-8）：{exc}"])
    return from_dict(data)


def from_dict(data) -> Catalogue:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return Catalogue(errors=[f"JSON 须为对象，且 format 为「{FORMAT}」。"])
    meta = data.get("standard")
    items = data.get("items")
    if not isinstance(meta, dict):
        return Catalogue(errors=["JSON 缺少 standard 对象。"])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return Catalogue(errors=["JSON 的 items 须为条款对象的列表。"])
    return validate(meta, [(f"第{n}条", i) for n, i in enumerate(items, start=1)])


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def to_dict(standard) -> dict:
    return {
        "format": FORMAT,
        "standard": {
            "code": standard.code,
            "title": standard.title,
            "version": standard.version,
            "grade_type": standard.grade_type,
            "applies_to": list(standard.applies_to or []),
            "is_graded": standard.is_graded,
            "level1_min": _num(standard.level1_min),
            "level2_min": _num(standard.level2_min),
            "level3_min": _num(standard.level3_min),
            "is_active": standard.is_active,
            "source": standard.source,
        },
        "items": [
            {
                "level": i.level,
                "code": i.code,
                "title": i.title,
                "score": _num(i.score) if i.level == ItemLevel.CONTENT else "",
                "scoring_rule": i.scoring_rule,
                "is_veto": i.is_veto,
                "unverified": i.unverified,
            }
            for i in standard.items.order_by("sort_order", "id")
        ],
    }


def to_json(standard) -> bytes:
    return json.dumps(to_dict(standard), ensure_ascii=False, indent=2).encode("utf-8")


# --- xlsx -------------------------------------------------------------------------------------------------
def to_xlsx(standard) -> openpyxl.Workbook:
    data = to_dict(standard)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = META_SHEET
    meta = data["standard"]
    sizes = dict(SizeClass.choices)
    shown = {
        **meta,
        "grade_type": str(dict(GradeType.choices)[meta["grade_type"]]),
        "applies_to": "、".join(str(sizes[s]) for s in meta["applies_to"]),
        "is_graded": "是" if meta["is_graded"] else "否",
        "is_active": "是" if meta["is_active"] else "否",
    }
    write_table(ws, ["项目", "内容"], [(label, shown[name]) for name, label in META_FIELDS], [16, 80])
    items = wb.create_sheet(ITEM_SHEET)
    levels = dict(ItemLevel.choices)
    rows = [
        (
            str(levels[i["level"]]),
            i["code"],
            i["title"],
            float(i["score"]) if i["score"] else None,
            i["scoring_rule"],
            "是" if i["is_veto"] else "否",
            "是" if i["unverified"] else "否",
        )
        for i in data["items"]
    ]
    write_table(items, ITEM_HEADERS, rows, [10, 12, 60, 10, 60, 8, 8])
    for row in items.iter_rows(min_row=2, min_col=2, max_col=2):
        for cell in row:
            set_cell(cell, cell.value)
            cell.number_format = "@"
    return wb


def from_xlsx(raw: bytes) -> Catalogue:
    try:
        meta_sheet = read_upload(io.BytesIO(raw), sheet_name=META_SHEET)
        item_sheet = read_upload(io.BytesIO(raw), sheet_name=ITEM_SHEET, max_rows=MAX_ITEMS)
    except XlsxError as exc:
        return Catalogue(errors=[str(exc)])
    by_label = {label: name for name, label in META_FIELDS}
    meta: dict = {}
    errors: list[str] = []
    for rownum, values in meta_sheet.rows:
        label = parsing.text(values[0] if values else "")
        if label not in by_label:
            errors.append(f"{META_SHEET}第{rownum}行：「{label}」不是可识别的项目。")
            continue
        meta[by_label[label]] = values[1] if len(values) > 1 else None
    missing = [h for h in ITEM_HEADERS if h not in item_sheet.headers]
    if missing:
        errors.append(f"{ITEM_SHEET}表头缺少列：{'、'.join(missing)}。请使用导出的文件格式，不要修改表头。")
    if errors:
        return Catalogue(errors=errors)
    index = {name: item_sheet.headers.index(label) for name, label in ITEM_COLUMNS}
    rows = []
    for rownum, values in item_sheet.rows:
        raw_row = {name: values[i] if i < len(values) else None for name, i in index.items()}
        if isinstance(raw_row["code"], float):  # 5.1 typed as a number by a spreadsheet
            raw_row["code"] = repr(raw_row["code"])
        rows.append((f"{ITEM_SHEET}第{rownum}行", raw_row))
    return validate(meta, rows)
