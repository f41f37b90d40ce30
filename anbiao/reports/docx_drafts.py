"""Drafts of the written work summaries a unit sends with its tables (notice 五(四)): the 季度工作总结 due
with each quarter's tables, and the 年度工作总结 due on 5 January of the next year.

Pure builders: every number comes from the ``values`` passed in (cell key → value, as
``figures.report_values`` gives them); the only other input is the unit object's own attributes. What the
records cannot know (problems, plans, experience) is left as bracketed prompts for the unit to complete.
Layout follows the usual official-document format: A4, 仿宋_GB2312 三号 body on a 28 pt line, 黑体 first-level
and 楷体_GB2312 second-level headings, the tables in a landscape section at the end.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from anbiao.campaigns.choices import Level, NormKind, PostType
from anbiao.orgs.choices import SizeClass
from anbiao.reports import checks, tables
from anbiao.reports.cells import CELLS
from anbiao.reports.cells.table1 import GRADE_ROWS
from anbiao.reports.context import Quarter
from anbiao.standards.choices import GradeType

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
TITLE_FONT = "方正小标宋简体"
LATIN_FONT = "Times New Roman"
TABLE_STYLE = "表格文字"
TITLE_STYLE = "公文标题"
NOTICE = (
    "《惠安县供销合作社联合社关于印发惠安县供销社系统落实企业全员安全生产责任制拓展安全生产标准化"
    "提升专项行动2025年持续深化方案的通知》（惠供联〔2025〕7号）"
)
CAMPAIGN = "落实企业全员安全生产责任制拓展安全生产标准化提升专项行动"
RECIPIENT = "县社基层股"


# The five phases of the 2025 campaign (notice 四): name, start, deadline, what units do, what to report.
PHASES = (
    (
        "动员部署阶段",
        datetime.date(2025, 1, 26),
        datetime.date(2025, 2, 10),
        "制定本单位2025年持续深化方案，以新办企业、商贸企业、小微企业、“九小场所”等“四类市场主体”查缺补漏"
        "为重点摸清企业底数，逐家送达告知书、签订承诺书，方案于2025年2月10日前报县社基层股备案",
        "（请填写：本单位方案的制定、印发和报送备案情况，企业底数查缺补漏情况。）",
    ),
    (
        "自评自纠阶段",
        datetime.date(2025, 2, 11),
        datetime.date(2025, 3, 31),
        "采取“回头看”方式全面评估2021年8月以来专项行动开展情况，建立持续改进清单并逐项整改，评估报告经主要"
        "负责人审核签字、加盖公章于2025年3月25日前报县社基层股备案；全面开展一次标准化管理体系运行情况自评",
        "（请填写：评估报告形成和报送情况，持续改进清单及整改情况，标准化运行自评及结果通报情况。）",
    ),
    (
        "督导帮扶阶段",
        datetime.date(2025, 4, 1),
        datetime.date(2025, 9, 30),
        "成立专项督导帮扶队伍，深入重点区域、重点企业开展督导帮扶，运用“33456”工作法规范“三张清单”、"
        "“四色”动态管控、“5S”现场管理和“六有”可视化警示标识",
        "（请填写：督导帮扶队伍组成，帮扶的重点企业和重点要素，推广标杆企业经验做法情况。）",
    ),
    (
        "执法推动阶段",
        datetime.date(2025, 10, 1),
        datetime.date(2025, 11, 30),
        "积极配合执法部门监督检查，严查应排未排、应改未改的重大事故隐患，及时曝光典型执法案例",
        "（请填写：配合执法检查开展情况和典型案例。）",
    ),
    (
        "总结完善阶段",
        datetime.date(2025, 12, 1),
        datetime.date(2025, 12, 31),
        "全面总结工作情况，分析共性问题和突出的个性问题，提炼典型经验做法，固化形成长效机制",
        "（请填写：总结完善工作情况，提炼的典型经验做法和形成的长效机制。）",
    ),
)

# The figures followed quarter by quarter in the annual summary:
# (label, key), or (label, (done, of)) for a rate.
PROGRESSION = (
    ("企业底数(家)", "t1.base.total"),
    ("建立全员责任制及其考核清单(家)", "t1.duty.lists"),
    ("建立“三张清单”企业(家)", "t1.lists.enterprises"),
    ("企业自查隐患(条)", "t1.lists.self_found"),
    ("自查隐患已整改(条)", "t1.lists.self_rectified"),
    ("自查隐患整改率", ("t1.lists.self_rectified", "t1.lists.self_found")),
    ("函告企业(家)", "t2.letters"),
    ("签订承诺书企业(家)", "t2.commitments"),
    ("专题培训(场次)", "t2.training.sessions"),
    ("现场观摩(场次)", "t2.site_visit.sessions"),
    ("检查企业(家次)", "t3.inspections"),
    ("检查发现隐患(条)", "t3.found"),
    ("督促整改隐患(条)", "t3.rectified"),
    ("检查发现隐患整改率", ("t3.rectified", "t3.found")),
    ("挂牌督办隐患(条)", "t3.listing.hazards"),
    ("挂牌隐患已整改(条)", "t3.listing.rectified"),
    ("国标达标企业(家)", f"t1.grade.{GradeType.NATIONAL}.total"),
    ("省标达标企业(家)", f"t1.grade.{GradeType.PROVINCIAL}.total"),
    ("地标达标企业(家)", f"t1.grade.{GradeType.LOCAL}.total"),
    ("建立内部报告奖励机制企业(家)", "t3.reporting.enterprises"),
)


# ---------------------------------------------------------------------------------------------------- text


def _n(value) -> str:
    """A cell value as printed: integers as they are, 万元 amounts without trailing zeros, never blank."""
    if value is None:
        return "0"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "") else text
    if isinstance(value, float):
        return format(value, "g")
    return str(value)


def _rate(done, of) -> str:
    if not of:
        return "—（无此类隐患）"
    return f"{Decimal(done) * 100 / Decimal(of):.1f}%"


def _date(d: datetime.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _since(key: str) -> str:
    window = CELLS[key].window
    return f"{window.year}年{window.month}月以来" if window else "截至季末"


def quarter_start(quarter: Quarter) -> datetime.date:
    return datetime.date(quarter.year, quarter.q * 3 - 2, 1)


def quarterly_due(quarter: Quarter) -> datetime.date:
    """Day 1 of the first month of the next quarter (notes under every table)."""
    return quarter.end + datetime.timedelta(days=1)


def annual_due(year: int) -> datetime.date:
    """The year's summary and tables are due on 5 January of the next year (2026-01-05 for 2025)."""
    return datetime.date(year + 1, 1, 5)


def _figure_sections(values: dict, as_of: datetime.date) -> list[tuple[str, list[str]]]:
    """The work done, as sentences with the figures: (second-level heading, paragraphs)."""

    def v(key):
        return _n(values[key])

    sizes = "、".join(f"{label}{v(f't1.base.{size}')}家" for size, label in SizeClass.choices)
    grades = []
    for gt, row in GRADE_ROWS:
        total = f"{row}{v(f't1.grade.{gt}.total')}家"
        if gt == GradeType.LOCAL:
            grades.append(f"{total}（按不分级达标统计）")
        else:
            levels = "、".join(f"{'一二三'[n - 1]}级{v(f't1.grade.{gt}.{n}')}家" for n in (1, 2, 3))
            grades.append(f"{total}（{levels}）")
    self_assessed = "、".join(f"{row}{v(f't1.self.{gt}')}家" for gt, row in GRADE_ROWS)
    stars = "、".join(f"{'一二三四五'[n - 1]}星{v(f't1.stars.{n}')}家" for n in (5, 4, 3, 2, 1))
    levels = [(str(level), str(label)) for level, label in Level.choices]
    town_cases = "、".join(f"{label}{v(f't2.town_cases.{level}')}个" for level, label in levels)
    enterprise_cases = "；".join(
        label
        + "、".join(
            f"{size_label}{v(f't2.enterprise_cases.{level}.{size}')}个"
            for size, size_label in SizeClass.choices
        )
        for level, label in levels
    )
    thousand = "、".join(
        f"{SizeClass(size).label}{v(f't2.thousand.{size}')}家"
        for size in (SizeClass.ABOVE_SCALE, SizeClass.MEDIUM)
    )
    posts = "；".join(
        label
        + "、".join(f"{post_label}{v(f't2.posts.{level}.{post}')}个" for post, post_label in PostType.choices)
        for level, label in levels
    )
    norms = "、".join(f"{label}{v(f't3.norms.{kind}')}份" for kind, label in NormKind.choices)
    return [
        (
            "摸清企业底数",
            [
                f"截至{_date(as_of)}，本单位及下属单位监管的在营企业（含各类出租经营网点）共"
                f"{v('t1.base.total')}家，其中{sizes}。"
            ],
        ),
        (
            "落实全员安全生产责任制",
            [
                f"{_since('t1.duty.lists')}累计，建立全员责任制及其考核清单的企业{v('t1.duty.lists')}家，"
                f"依法依规设置安全生产管理机构的企业{v('t1.duty.body')}家，依法依规配备专兼职安全生产管理人员的"
                f"企业{v('t1.duty.officers')}家、人员{v('t1.duty.officer_people')}人，建立专兼职应急救援队伍的企业"
                f"{v('t1.rescue.enterprises')}家、队员{v('t1.rescue.people')}人。",
            ],
        ),
        (
            "运用“33456”工作法",
            [
                f"{_since('t1.lists.enterprises')}，按检查清单开展自查、建立隐患排查治理“三张清单”的企业"
                f"{v('t1.lists.enterprises')}家。{_since('t1.lists.self_found')}，企业自查隐患"
                f"{v('t1.lists.self_found')}条，已整改销号{v('t1.lists.self_rectified')}条，整改率"
                f"{_rate(values['t1.lists.self_rectified'], values['t1.lists.self_found'])}。",
                f"实行“四色”安全风险分级动态监管，季末企业整体安全风险等级为红色的{v('t1.colour.major')}家、"
                f"橙色的{v('t1.colour.significant')}家、黄色的{v('t1.colour.general')}家、蓝色的"
                f"{v('t1.colour.low')}家；强化5S现场管理的企业{v('t1.five_s')}家，完善“六有”可视化警示标识的企业"
                f"{v('t1.six_have')}家。",
            ],
        ),
        (
            "标准化创建提升和星级管理",
            [
                f"{_since(f't1.grade.{GradeType.NATIONAL}.total')}，通过达标评审的企业：{'，'.join(grades)}。"
                f"{_since(f't1.self.{GradeType.NATIONAL}')}，只完成内部自评、尚未定级（达标）的企业："
                f"{self_assessed}。",
                f"{_since('t1.stars.5')}，实施星级管理的企业：{stars}。",
            ],
        ),
        (
            "宣传发动和教育培训",
            [
                f"{_since('t2.letters')}，逐家送达《关于持续深化安全生产标准化建设告知书》的企业"
                f"{v('t2.letters')}家，签订《关于持续深化安全生产标准化建设承诺书》的企业{v('t2.commitments')}家；"
                f"举办专题培训{v('t2.training.sessions')}场次，参训企业{v('t2.training.enterprises')}家次、"
                f"{v('t2.training.persons')}人次；组织现场观摩{v('t2.site_visit.sessions')}场次，参加企业"
                f"{v('t2.site_visit.enterprises')}家次、{v('t2.site_visit.persons')}人次。",
            ],
        ),
        (
            "典型示范创建",
            [
                f"{_since(f't2.town_cases.{Level.COUNTY}')}，认定十佳乡镇（街道、园区）案例：{town_cases}；"
                f"认定百优企业案例：{enterprise_cases}。参加千企达标评审的企业：{thousand}。"
                f"万岗达标：{posts}。",
            ],
        ),
        (
            "完善“四项规范”",
            [f"{_since('t3.norms.checklist')}，本单位及下属单位编制或修订{norms}。"],
        ),
        (
            "督导检查和隐患治理",
            [
                f"{_since('t3.inspections')}，通过督查、督导帮扶、执法和网格员检查，检查企业"
                f"{v('t3.inspections')}家次，发现隐患{v('t3.found')}条，督促整改{v('t3.rectified')}条，整改率"
                f"{_rate(values['t3.rectified'], values['t3.found'])}；对重大事故隐患挂牌督办"
                f"{v('t3.listing.enterprises')}家次、{v('t3.listing.hazards')}条，已整改销号"
                f"{v('t3.listing.rectified')}条。",
            ],
        ),
        (
            "执法推动和约束激励",
            [
                f"{_since('t3.fine.count')}，配合执法部门依法查处违法违规行为：罚款{v('t3.fine.count')}家次、"
                f"金额{v('t3.fine.amount')}万元，责令停产停业整顿{v('t3.suspend')}家次，暂扣或吊销证照"
                f"{v('t3.licence')}家次，取缔关闭{v('t3.close')}家次，移送司法机关{v('t3.judicial')}人次；"
                f"曝光典型案例{v('t3.expose')}家次，约谈警示{v('t3.interview')}家次；实施激励"
                f"{v('t3.incentive')}家次、约束{v('t3.constraint')}家次。",
            ],
        ),
        (
            "全员责任制考核和事故隐患内部报告奖励",
            [
                f"{_since('t3.assess.enterprises')}，完成全员安全生产责任制年度考核的企业"
                f"{v('t3.assess.enterprises')}家，兑现奖励企业{v('t3.assess.rewarded')}家、奖励资金"
                f"{v('t3.assess.funds')}万元、获得奖励岗位{v('t3.assess.posts')}个；建立事故隐患内部报告奖励机制的"
                f"企业{v('t3.reporting.enterprises')}家，内部报告隐患{v('t3.reporting.hazards')}条，兑现奖励企业"
                f"{v('t3.reporting.rewarded')}家、{v('t3.reporting.people')}人次、奖励资金"
                f"{v('t3.reporting.funds')}万元。",
            ],
        ),
    ]


def _hints(values: dict) -> list[str]:
    """Gaps the figures themselves show, offered as starting points for 存在问题."""
    out = []
    for text, left, right in (
        ("在营企业中尚未建立全员责任制及其考核清单的{}家", "t1.base.total", "t1.duty.lists"),
        ("企业自查隐患尚未整改销号的{}条", "t1.lists.self_found", "t1.lists.self_rectified"),
        ("检查发现隐患尚未整改销号的{}条", "t3.found", "t3.rectified"),
        ("挂牌督办隐患尚未整改销号的{}条", "t3.listing.hazards", "t3.listing.rectified"),
        ("已函告但尚未签订承诺书的企业{}家", "t2.letters", "t2.commitments"),
    ):
        gap = values[left] - values[right]
        if gap > 0:
            out.append(text.format(_n(gap)))
    high = values["t1.colour.major"] + values["t1.colour.significant"]
    if high:
        out.append(f"整体风险等级为红色、橙色的企业{_n(high)}家，需重点管控")
    for check in checks.run(values):
        if not check["ok"]:
            out.append(
                f"报表核对未通过：{check['text']}（{_n(check['left'])} 与 {_n(check['right'])}），"
                "请核实相关记录"
            )
    return out


# ---------------------------------------------------------------------------------------------------- layout


def _fonts(rpr, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set the fonts of an rPr element explicitly (theme fonts would override them)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _style_font(style, east_asia: str, size: float, *, bold: bool = False) -> None:
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element.get_or_add_rPr(), east_asia)


def _line(fmt, *, exact: float | None = 28, indent: bool = True, align=None) -> None:
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(exact)
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Pt(32) if indent else Pt(0)
    if align is not None:
        fmt.alignment = align


def _portrait(section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    # GB/T 9704: 版心 156 mm × 225 mm
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)


def _landscape(section) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(20)


def _page_number_footer(section) -> None:
    """— 1 — centred at the foot of every page (a PAGE field, one run per field part)."""
    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("— ")
    for part in ("begin", " PAGE ", "separate", "1", "end"):
        if part == "1":
            para.add_run(part)  # shown until the field is updated
            continue
        el = OxmlElement("w:fldChar" if part.strip() != "PAGE" else "w:instrText")
        if part.strip() == "PAGE":
            el.set(qn("xml:space"), "preserve")
            el.text = part
        else:
            el.set(qn("w:fldCharType"), part)
        para.add_run()._r.append(el)
    para.add_run(" —")
    for r in para.runs:
        r.font.size = Pt(14)
        _fonts(r._r.get_or_add_rPr(), "宋体")


def _new_document():
    doc = Document()
    styles = doc.styles
    # document defaults: explicit fonts (no theme fonts) and Chinese as the East Asian language
    rpr_default = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr_default, BODY_FONT)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")

    normal = styles["Normal"]
    _style_font(normal, BODY_FONT, 16)
    _line(normal.paragraph_format, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    normal.paragraph_format.widow_control = False

    for name, font in (("Heading 1", HEADING_FONT), ("Heading 2", SUBHEADING_FONT)):
        style = styles[name]
        _style_font(style, font, 16)
        _line(style.paragraph_format)
        style.paragraph_format.keep_with_next = True

    title = styles.add_style(TITLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = normal
    _style_font(title, TITLE_FONT, 22)
    _line(title.paragraph_format, exact=None, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_after = Pt(16)

    cell = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    _style_font(cell, BODY_FONT, 10.5)
    _line(cell.paragraph_format, exact=None, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)

    section = doc.sections[0]
    _portrait(section)
    _page_number_footer(section)
    return doc


def _para(doc, text: str = "", *, indent: bool = True, align=None, style=None):
    para = doc.add_paragraph(text, style=style)
    if not indent:
        para.paragraph_format.first_line_indent = Pt(0)
    if align is not None:
        para.alignment = align
    return para


def _heading(doc, text: str, level: int):
    return doc.add_paragraph(text, style=f"Heading {level}")


def _cell_text(cell, text, *, bold: bool = False, shade: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER):
    para = cell.paragraphs[0]
    para.style = TABLE_STYLE
    para.alignment = align
    run = para.add_run(str(text))
    if bold:
        run.bold = True
        _fonts(run._r.get_or_add_rPr(), HEADING_FONT)
    if shade:
        tc_pr = cell._tc.get_or_add_tcPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), "DDEBF7")
        tc_pr.append(shd)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _grid(doc, rows: int, cols: int, widths_mm: list[float]):
    table = doc.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, width in enumerate(widths_mm):
        for cell in table.columns[i].cells:
            cell.width = Mm(width)
    return table


def _compact_table(doc, number: int, values: dict, width_mm: float) -> None:
    """One of 季报表(一)(二)(三) flattened: 栏目 | 项目 | the value (one column per row label of the table:
    国标/省标/地标 or 市级/县级/乡级; a value that is one for the whole block spans them)."""
    labels = [label for label in tables.ROWS[number] if label] or [""]
    paths = [c.path for c in tables.columns(number) if not c.label_column]
    head_lines = 2 if labels != [""] else 1
    value_cols = len(labels)
    value_width = 22 if value_cols > 1 else 30
    rest = width_mm - value_width * value_cols
    widths = [rest * 0.4, rest * 0.6] + [value_width] * value_cols
    table = _grid(doc, head_lines + len(paths), 2 + value_cols, widths)

    top = table.rows[0].cells
    if head_lines == 2:
        table.cell(0, 0).merge(table.cell(1, 0))
        table.cell(0, 1).merge(table.cell(1, 1))
        table.cell(0, 2).merge(table.cell(0, 1 + value_cols))
        for i, label in enumerate(labels):
            _cell_text(table.cell(1, 2 + i), label, bold=True, shade=True)
        _repeat_header(table.rows[1])
    _cell_text(top[0], "栏目", bold=True, shade=True)
    _cell_text(top[1], "项目", bold=True, shade=True)
    split = [c.path for c in tables.columns(number) if c.label_column and c.path != tables.UNIT_TYPE]
    if split:
        groups = "、".join(dict.fromkeys(p[0] for p in split))
        _cell_text(table.cell(0, 2), f"数值（{groups}按{split[0][-1]}分列）", bold=True, shade=True)
    else:
        _cell_text(table.cell(0, 2), "数值", bold=True, shade=True)
    _repeat_header(table.rows[0])

    group_start = head_lines
    for i, path in enumerate(paths):
        r = head_lines + i
        if len(path) == 1:
            _cell_text(table.cell(r, 0).merge(table.cell(r, 1)), path[0], align=WD_ALIGN_PARAGRAPH.LEFT)
        else:
            _cell_text(table.cell(r, 1), " / ".join(path[1:]), align=WD_ALIGN_PARAGRAPH.LEFT)
        last_of_group = i + 1 == len(paths) or paths[i + 1][0] != path[0] or len(path) == 1
        if len(path) > 1 and last_of_group:
            merged = (
                table.cell(group_start, 0).merge(table.cell(r, 0)) if r > group_start else table.cell(r, 0)
            )
            _cell_text(merged, path[0], align=WD_ALIGN_PARAGRAPH.LEFT)
        if last_of_group:
            group_start = r + 1
        cells = [tables.cell_at(number, path, label) for label in labels]
        if cells[0].row == "":
            target = (
                table.cell(r, 2).merge(table.cell(r, 1 + value_cols)) if value_cols > 1 else table.cell(r, 2)
            )
            _cell_text(target, _n(values[cells[0].key]))
        else:
            for j, cell in enumerate(cells):
                _cell_text(table.cell(r, 2 + j), _n(values[cell.key]))


def _tables_section(doc, values: dict, unit, as_of: datetime.date, heading: str) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _landscape(section)
    width = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
    _emphasis(_para(doc, heading, indent=False))
    _para(
        doc,
        "（简表：各栏按“栏目 / 项目”逐项列出。报送县社的正式报表请使用系统导出的季报表 xlsx，"
        "加盖单位公章。）",
        indent=False,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        style=TABLE_STYLE,
    )
    for number in (1, 2, 3):
        if number > 1:
            doc.add_paragraph(style=TABLE_STYLE).add_run().add_break(WD_BREAK.PAGE)
        title = _para(
            doc, tables.TITLES[number], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, style=TABLE_STYLE
        )
        _emphasis(title, size=14)
        _para(
            doc,
            f"填报单位(盖章)：{unit.name}    单位类型：{unit.get_kind_display()}    数据截至：{_date(as_of)}",
            indent=False,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            style=TABLE_STYLE,
        )
        _compact_table(doc, number, values, width)
        notes = _para(
            doc,
            "注：" + "".join(tables.NOTES[number]),
            indent=False,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            style=TABLE_STYLE,
        )
        notes.runs[0].font.size = Pt(9)


def _emphasis(para, *, size: float | None = None) -> None:
    """黑体 for the runs of a heading-like paragraph that is not a heading (table titles, annex line)."""
    for run in para.runs:
        if size:
            run.font.size = Pt(size)
        _fonts(run._r.get_or_add_rPr(), HEADING_FONT)


def _header_block(doc, lines: list[str]) -> None:
    for text in lines:
        _para(doc, text, indent=False)


def _signature(doc, unit, year: int) -> None:
    _para(doc)
    _para(doc, f"{unit.name}（盖章）", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, f"{year}年    月    日", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)


def _opening(doc, year: int, period: str) -> None:
    basis = f"根据{NOTICE}要求" if year == 2025 else f"根据县社关于{CAMPAIGN}的部署要求"
    _para(doc, f"{basis}，现将本单位{period}工作开展情况总结如下：")


def _phases_in(start: datetime.date, end: datetime.date):
    return [p for p in PHASES if p[1] <= end and p[2] >= start]


def _phase_paragraphs(doc, phases) -> None:
    for name, _start, deadline, task, prompt in phases:
        para = _para(doc)
        para.add_run(f"{name}（{_date(deadline)}前）：").bold = True
        para.add_run(f"{task}。{prompt}")


def _figures_part(doc, values: dict, as_of: datetime.date, first_number: int) -> None:
    numerals = "一二三四五六七八九十"
    for i, (heading, paragraphs) in enumerate(_figure_sections(values, as_of), start=first_number):
        label = numerals[i - 1] if i <= 10 else "十" + numerals[i - 11]
        _heading(doc, f"（{label}）{heading}", 2)
        for text in paragraphs:
            _para(doc, text)


def _problems(doc, values: dict, prompt: str) -> None:
    _para(doc, prompt)
    hints = _hints(values)
    if hints:
        _para(doc, "（以下为系统根据报表数据生成的提示，请核实后修改或删除：" + "；".join(hints) + "。）")


def _info(unit, filler: str, phone: str) -> str:
    phone = phone or getattr(unit, "contact_phone", "") or "__________"
    return f"填表人：{filler or '__________'}    联系电话：{phone}"


# ---------------------------------------------------------------------------------------------------- drafts


def quarterly_summary(unit, quarter: Quarter, values: dict, *, filler: str = "", phone: str = "") -> Document:
    """The 季度工作总结 draft of ``unit`` for ``quarter`` with the figures of ``values``."""
    doc = _new_document()
    start, end = quarter_start(quarter), quarter.end
    _para(doc, f"{unit.name}{quarter.label}{CAMPAIGN}工作总结", style=TITLE_STYLE)
    _header_block(
        doc,
        [
            f"填报单位：{unit.name}（盖章）",
            f"报告期：{quarter.label}（{_date(start)}至{_date(end)}），数据截至{_date(end)}",
            _info(unit, filler, phone),
            f"报送时限：{_date(quarterly_due(quarter))}前将书面工作总结和季报表（加盖单位公章）及其电子文档"
            f"报送{RECIPIENT}",
        ],
    )
    _opening(doc, quarter.year, quarter.label)
    _heading(doc, "一、工作开展情况", 1)
    _para(doc, "（请简述本季度组织领导、会商调度和专项培训等工作开展情况。）")
    phases = _phases_in(start, end)
    number = 1
    if phases:
        _heading(doc, "（一）阶段工作推进情况", 2)
        _para(doc, f"按照方案五个阶段的部署，本季度涉及{'、'.join(p[0] for p in phases)}：")
        _phase_paragraphs(doc, phases)
        number = 2
    _figures_part(doc, values, end, number)
    _heading(doc, "二、存在问题", 1)
    _problems(
        doc,
        values,
        "（请填写：本季度工作推进中存在的主要问题和薄弱环节，如责任落实、隐患整改、企业参与等方面。）",
    )
    _heading(doc, "三、下一步工作打算", 1)
    nxt = Quarter(quarter.year + (quarter.q == 4), quarter.q % 4 + 1)
    upcoming = _phases_in(quarter_start(nxt), nxt.end)
    if upcoming:
        _para(doc, f"下一季度重点做好{'、'.join(p[0] for p in upcoming)}工作：")
        _phase_paragraphs(doc, upcoming)
    _para(doc, "（请填写：下一季度的工作目标、重点任务、措施和完成时限。）")
    _signature(doc, unit, quarterly_due(quarter).year)
    _tables_section(doc, values, unit, end, f"附件：{quarter.label}季报表(一)(二)(三)")
    return doc


def annual_summary(
    unit,
    year: int,
    values_by_quarter: dict[Quarter, dict],
    *,
    filler: str = "",
    phone: str = "",
) -> Document:
    """The 年度工作总结 draft of ``unit`` for ``year``: the year's figures as of Q4's end, the quarterly
    progression of the main figures, and the three tables as of the year's end."""
    q4 = Quarter(year, 4)
    if q4 not in values_by_quarter:
        raise ValueError(f"{year}年第四季度的数据缺失，无法生成年度工作总结。")
    values = values_by_quarter[q4]
    end = q4.end
    doc = _new_document()
    _para(doc, f"{unit.name}{year}年度{CAMPAIGN}工作总结", style=TITLE_STYLE)
    _header_block(
        doc,
        [
            f"填报单位：{unit.name}（盖章）",
            f"报告期：{_date(datetime.date(year, 1, 1))}至{_date(end)}，数据截至{_date(end)}",
            _info(unit, filler, phone),
            f"报送时限：{_date(annual_due(year))}前将年度工作总结连同有关报表报送{RECIPIENT}",
        ],
    )
    _opening(doc, year, f"{year}年度")
    _heading(doc, "一、全年工作开展情况", 1)
    _para(doc, "（请简述全年组织领导、会商调度、专项培训和督查督导等工作开展情况。）")
    phases = _phases_in(datetime.date(year, 1, 1), end)
    number = 1
    if phases:
        _heading(doc, "（一）各阶段工作完成情况", 2)
        _phase_paragraphs(doc, phases)
        number = 2
    _figures_part(doc, values, end, number)

    _heading(doc, "二、各季度工作进展", 1)
    _para(doc, "各季度末主要数据如下（各项按报表口径累计至当季末）：")
    quarters = [Quarter(year, q) for q in (1, 2, 3, 4)]
    table = _grid(doc, len(PROGRESSION) + 1, 6, [52, 22, 22, 22, 22, 16])
    for c, text in enumerate(["指标", *(f"{q.label[5:]}末" for q in quarters), "口径"]):
        _cell_text(table.cell(0, c), text, bold=True, shade=True)
    _repeat_header(table.rows[0])
    for r, (label, spec) in enumerate(PROGRESSION, start=1):
        _cell_text(table.cell(r, 0), label, align=WD_ALIGN_PARAGRAPH.LEFT)
        for c, q in enumerate(quarters, start=1):
            qv = values_by_quarter.get(q)
            if qv is None:
                text = "—"
            elif isinstance(spec, tuple):
                text = _rate(qv[spec[0]], qv[spec[1]])
            else:
                text = _n(qv[spec])
            _cell_text(table.cell(r, c), text)
        key = spec[1] if isinstance(spec, tuple) else spec
        window = CELLS[key].window
        _cell_text(table.cell(r, 5), f"{window.year}.{window.month}起" if window else "季末数")

    _heading(doc, "三、存在问题", 1)
    _problems(doc, values, "（请填写：全年工作推进中存在的共性问题和突出的个性问题。）")
    _heading(doc, "四、典型经验做法", 1)
    _para(doc, "（请填写：全年可复制、可推广的典型经验做法，以及固化形成的长效机制。）")
    _heading(doc, "五、下一年度工作打算", 1)
    _para(doc, f"（请填写：{year + 1}年的工作目标、重点任务和保障措施。）")
    _signature(doc, unit, annual_due(year).year)
    _tables_section(doc, values, unit, end, f"附件：{year}年度季报表(一)(二)(三)（截至{_date(end)}）")
    return doc
