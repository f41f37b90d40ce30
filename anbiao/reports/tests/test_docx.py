"""The docx drafts of the 季度工作总结 and 年度工作总结: opened again with python-docx, every figure is where
it should be; the downloads are scoped like the tables."""

import datetime
import io
import re
from decimal import Decimal
from urllib.parse import quote

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from anbiao.orgs.choices import OrgKind
from anbiao.orgs.models import Organization
from anbiao.reports import docx_drafts, tables
from anbiao.reports.cells import CELLS
from anbiao.reports.context import Quarter
from anbiao.reports.views_docx import DOCX_MIME

Q3 = Quarter(2025, 3)


def unit():
    return Organization(name="测试基层社", kind=OrgKind.GRASSROOTS, code="T-1", contact_phone="0595-87000000")


def distinct_values(offset=1000, step=7):
    """A different number for every cell, none a part of another (all four digits)."""
    return {key: offset + step * i for i, key in enumerate(CELLS)}


def reopen(document):
    buf = io.BytesIO()
    document.save(buf)
    buf.seek(0)
    return docx.Document(buf)


def body_text(document):
    return "\n".join(p.text for p in document.paragraphs)


NOT_APPLICABLE = {
    "t1.grade.local.1",
    "t1.grade.local.2",
    "t1.grade.local.3",
}  # 地标不分级: only in the tables


def has_number(text, value):
    return re.search(rf"(?<![\d.]){re.escape(str(value))}(?![\d.])", text) is not None


def table_values(table):
    """A compact table as {(栏目, 项目): [value per value column]} (merged cells repeat their text)."""
    out = {}
    head = 2 if table.cell(1, 0).text == "栏目" else 1
    for row in table.rows[head:]:
        texts = [c.text for c in row.cells]
        out[(texts[0], texts[1])] = texts[2:]
    return out


def value_column_labels(table):
    return [c.text for c in table.rows[1].cells[2:]] if table.cell(1, 0).text == "栏目" else [""]


def report_tables(document):
    return {n: document.tables[-4 + n] for n in (1, 2, 3)}


def assert_tables_show(document, values):
    for number, table in report_tables(document).items():
        rows = table_values(table)
        labels = value_column_labels(table)
        assert labels == [r for r in tables.ROWS[number] if r] or labels == [""]
        for cell in (c for c in CELLS.values() if c.table == number):
            item = " / ".join(cell.path[1:]) or cell.path[0]
            shown = rows[(cell.path[0], item)]
            expected = docx_drafts._n(values[cell.key])
            if cell.row:
                assert shown[labels.index(cell.row)] == expected, cell.key
            else:
                assert set(shown) == {expected}, cell.key


# ------------------------------------------------------------------------------------------ builders


def test_the_quarterly_summary_states_every_figure_given():
    values = distinct_values()
    document = reopen(docx_drafts.quarterly_summary(unit(), Q3, values, filler="张三", phone="13800000000"))
    text = body_text(document)
    for key in CELLS.keys() - NOT_APPLICABLE:
        assert has_number(text, values[key]), key
    v = values
    assert (
        f"共{v['t1.base.total']}家，其中规上企业{v['t1.base.above_scale']}家、中等企业{v['t1.base.medium']}家"
        in text
    )
    assert f"企业自查隐患{v['t1.lists.self_found']}条，已整改销号{v['t1.lists.self_rectified']}条" in text
    rate = Decimal(v["t1.lists.self_rectified"]) * 100 / Decimal(v["t1.lists.self_found"])
    assert f"整改率{rate:.1f}%" in text
    assert (
        f"告知书》的企业{v['t2.letters']}家，签订" in text
        and f"承诺书》的企业{v['t2.commitments']}家" in text
    )
    assert (
        f"检查企业{v['t3.inspections']}家次，发现隐患{v['t3.found']}条，督促整改{v['t3.rectified']}条" in text
    )
    assert f"挂牌督办{v['t3.listing.enterprises']}家次、{v['t3.listing.hazards']}条" in text
    assert f"举办专题培训{v['t2.training.sessions']}场次" in text
    assert f"红色的{v['t1.colour.major']}家" in text and f"蓝色的{v['t1.colour.low']}家" in text
    assert f"国标{v['t1.grade.national.total']}家（一级{v['t1.grade.national.1']}家" in text
    assert f"五星{v['t1.stars.5']}家" in text
    assert f"内部报告隐患{v['t3.reporting.hazards']}条" in text


def test_the_quarterly_summary_has_the_heading_lines_sections_and_prompts():
    document = reopen(docx_drafts.quarterly_summary(unit(), Q3, distinct_values(), filler="张三"))
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == docx_drafts.TITLE_STYLE
    assert paragraphs[0].text == f"测试基层社2025年第三季度{docx_drafts.CAMPAIGN}工作总结"
    text = body_text(document)
    assert "填报单位：测试基层社（盖章）" in text
    assert "报告期：2025年第三季度（2025年7月1日至2025年9月30日）" in text
    assert "填表人：张三    联系电话：0595-87000000" in text  # the unit's phone when none is given
    assert "2025年10月1日前将书面工作总结和季报表" in text
    assert "惠供联〔2025〕7号" in text
    assert "督导帮扶阶段（2025年9月30日前）" in text and "执法推动阶段" in text  # this quarter, the next
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、工作开展情况", "二、存在问题", "三、下一步工作打算"]
    after = {h: paragraphs[i + 1].text for i, p in enumerate(paragraphs) for h in headings if p.text == h}
    assert after["二、存在问题"].startswith("（请填写")
    assert any(p.text.startswith("（请填写：下一季度") for p in paragraphs)
    subheadings = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert subheadings[0] == "（一）阶段工作推进情况" and subheadings[-1].startswith("（十一）")


def test_the_quarterly_summary_appends_the_three_tables_with_their_headers_and_values():
    values = distinct_values()
    values["t3.fine.amount"] = Decimal("1.2300")
    document = reopen(docx_drafts.quarterly_summary(unit(), Q3, values))
    assert len(document.tables) == 3
    text = body_text(document)
    for number in (1, 2, 3):
        assert tables.TITLES[number] in text
    t1, t2, t3 = (report_tables(document)[n] for n in (1, 2, 3))
    assert t1.cell(0, 0).text == "栏目" and t1.cell(0, 1).text == "项目"
    assert value_column_labels(t1) == ["国标", "省标", "地标"]
    assert value_column_labels(t2) == ["市级", "县级", "乡级"]
    rows = table_values(t1)
    assert rows[("企业底数(家)", "总数")] == [str(values["t1.base.total"])] * 3
    assert rows[("落实全员安全生产责任制数量", "三张清单 / 自查隐患数量(条)")][0] == str(
        values["t1.lists.self_found"]
    )
    assert rows[("创建提升数量(家)", "达标评审 / 一级企业")] == [
        str(values[f"t1.grade.{gt}.1"]) for gt in ("national", "provincial", "local")
    ]
    assert table_values(t3)[("罚款", "金额(万元)")] == ["1.23"]
    assert table_values(t3)[("检查企业(家次)", "检查企业(家次)")] == [str(values["t3.inspections"])]
    assert_tables_show(document, values)


def test_the_drafts_use_chinese_fonts_on_a4_with_official_margins_and_a_landscape_annex():
    document = reopen(docx_drafts.quarterly_summary(unit(), Q3, distinct_values()))

    def east_asia(style_name):
        fonts = document.styles[style_name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsiaTheme")) is None
        return fonts.get(qn("w:eastAsia"))

    assert east_asia("Normal") == "仿宋_GB2312"
    assert east_asia("Heading 1") == "黑体"
    assert east_asia("Heading 2") == "楷体_GB2312"
    assert east_asia(docx_drafts.TITLE_STYLE) == "方正小标宋简体"
    assert document.styles["Normal"].font.size.pt == 16
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    portrait, annex = document.sections
    assert round(portrait.page_width.mm) == 210 and round(portrait.page_height.mm) == 297
    assert round(portrait.top_margin.mm) == 37 and round(portrait.left_margin.mm) == 28
    assert annex.orientation == WD_ORIENT.LANDSCAPE and round(annex.page_width.mm) == 297
    assert "PAGE" in portrait.footer.paragraphs[0]._p.xml


def test_the_annual_summary_has_the_due_date_the_progression_and_the_year_end_tables():
    by_quarter = {Quarter(2025, q): distinct_values(offset=1000 * q, step=3) for q in (1, 2, 3, 4)}
    document = reopen(docx_drafts.annual_summary(unit(), 2025, by_quarter, filler="李四"))
    text = body_text(document)
    year_end = by_quarter[Quarter(2025, 4)]
    assert document.paragraphs[0].text == f"测试基层社2025年度{docx_drafts.CAMPAIGN}工作总结"
    assert "报送时限：2026年1月5日前将年度工作总结连同有关报表报送县社基层股" in text
    assert "报告期：2025年1月1日至2025年12月31日" in text
    assert "截至2025年12月31日" in text
    for key in CELLS.keys() - NOT_APPLICABLE:
        assert has_number(text, year_end[key]), key
    for phase in ("动员部署阶段", "自评自纠阶段", "督导帮扶阶段", "执法推动阶段", "总结完善阶段"):
        assert phase in text
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、全年工作开展情况",
        "二、各季度工作进展",
        "三、存在问题",
        "四、典型经验做法",
        "五、下一年度工作打算",
    ]
    progression = document.tables[0]
    assert [c.text for c in progression.rows[0].cells] == [
        "指标",
        "第一季度末",
        "第二季度末",
        "第三季度末",
        "第四季度末",
        "口径",
    ]
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in progression.rows[1:]}
    assert rows["企业底数(家)"][:4] == [
        str(by_quarter[Quarter(2025, q)]["t1.base.total"]) for q in (1, 2, 3, 4)
    ]
    assert rows["检查发现隐患(条)"][3] == str(year_end["t3.found"])
    assert rows["检查发现隐患(条)"][4] == "2025.1起"
    rate = Decimal(year_end["t3.rectified"]) * 100 / Decimal(year_end["t3.found"])
    assert rows["检查发现隐患整改率"][3] == f"{rate:.1f}%"
    assert len(document.tables) == 4
    assert_tables_show(document, year_end)
    assert document.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    assert "附件：2025年度季报表(一)(二)(三)（截至2025年12月31日）" in text


def test_the_annual_due_date_is_the_fifth_of_january_next_year_and_q4_is_required():
    assert docx_drafts.annual_due(2025) == datetime.date(2026, 1, 5)
    assert docx_drafts.quarterly_due(Quarter(2025, 4)) == datetime.date(2026, 1, 1)
    with pytest.raises(ValueError):
        docx_drafts.annual_summary(unit(), 2025, {Quarter(2025, 3): distinct_values()})
    partial = {Quarter(2021, q): distinct_values() for q in (3, 4)}  # the first year counted starts in Q3
    document = reopen(docx_drafts.annual_summary(unit(), 2021, partial))
    assert document.tables[0].rows[1].cells[1].text == "—"
    assert "惠供联" not in body_text(document) and "阶段（" not in body_text(document)


def test_gaps_in_the_figures_become_hints_under_the_problems():
    values = dict.fromkeys(CELLS, 0)
    values.update(
        {"t1.lists.self_found": 9, "t1.lists.self_rectified": 4, "t2.letters": 3, "t2.commitments": 5}
    )
    text = body_text(reopen(docx_drafts.quarterly_summary(unit(), Q3, values)))
    assert "企业自查隐患尚未整改销号的5条" in text
    assert "报表核对未通过：签订承诺书企业数 ≤ 函告企业数（5 与 3）" in text
    assert "整改率44.4%" in text and "整改率—（无此类隐患）" in text


# ------------------------------------------------------------------------------------------ views


# The persona world (as in test_pages.py): the ``demo`` fixture of tests/conftest.py is not visible here, and
# importing it would build a second demo snapshot in a full run.


def download(client, name, unit, **params):
    return client.get(reverse(f"reports:{name}", args=[unit.pk]), params)


def live_values(world, unit, quarter):
    from anbiao.core.scope import Scope
    from anbiao.reports.context import ReportContext
    from anbiao.reports.figures import report_values

    return report_values(ReportContext(scope=Scope.for_user(world.admin_a), unit=unit, as_of=quarter.end))


@pytest.mark.django_db
def test_the_unit_admin_downloads_both_drafts_of_their_unit(world, login, django_assert_max_num_queries):
    from anbiao.hazards.tests import factories as hf

    for n in range(3):
        hf.hazard(world, world.ent_a1, found_on=datetime.date(2025, 2 + 3 * n, 1))  # Q1, Q2, Q3
    unit = world.unit_a
    client = login(world.admin_a)
    with django_assert_max_num_queries(130):
        response = download(client, "summary_docx", unit, quarter="2025Q3")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_MIME
    assert response["Content-Disposition"] == (
        f"attachment; filename*=UTF-8''{quote(f'季度工作总结_{unit.name}_2025Q3.docx')}"
    )
    document = docx.Document(io.BytesIO(response.content))
    values = live_values(world, unit, Q3)
    assert values["t1.base.total"] == 2 and values["t1.lists.self_found"] == 3
    text = body_text(document)
    assert f"共{values['t1.base.total']}家" in text
    assert "企业自查隐患3条" in text
    assert f"填表人：{world.admin_a.display_name}" in text
    assert_tables_show(document, values)

    with django_assert_max_num_queries(470):
        response = download(client, "annual_docx", unit, year="2025")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(quote(f"年度工作总结_{unit.name}_2025.docx"))
    document = docx.Document(io.BytesIO(response.content))
    assert "2026年1月5日前" in body_text(document)
    rows = {r.cells[0].text: [c.text for c in r.cells[1:5]] for r in document.tables[0].rows[1:]}
    assert rows["企业自查隐患(条)"] == ["1", "2", "3", "3"]
    assert rows["企业底数(家)"] == [
        str(live_values(world, unit, Quarter(2025, q))["t1.base.total"]) for q in (1, 2, 3, 4)
    ]
    assert_tables_show(document, live_values(world, unit, Quarter(2025, 4)))


@pytest.mark.django_db
def test_the_report_page_links_the_drafts_and_the_annual_one_only_for_a_fourth_quarter(world, login):
    client = login(world.admin_a)
    page = client.get(reverse("reports:unit_report", args=[world.unit_a.pk]), {"quarter": "2025Q4"})
    html = page.content.decode()
    assert f"{reverse('reports:summary_docx', args=[world.unit_a.pk])}?quarter=2025Q4" in html
    assert f"{reverse('reports:annual_docx', args=[world.unit_a.pk])}?year=2025" in html
    page = client.get(reverse("reports:unit_report", args=[world.unit_a.pk]), {"quarter": "2025Q3"})
    html = page.content.decode()
    assert "季度工作总结(docx)" in html and "年度工作总结(docx)" not in html


@pytest.mark.django_db
def test_a_sibling_unit_an_unfinished_year_or_quarter_is_not_found(world, login):
    client = login(world.admin_a)
    assert download(client, "summary_docx", world.unit_b, quarter="2025Q3").status_code == 404
    assert download(client, "annual_docx", world.unit_b, year="2025").status_code == 404
    this_year = timezone.localdate().year
    for year in (str(this_year), "2020", "x", "99999", "-1"):
        assert download(client, "annual_docx", world.unit_a, year=year).status_code == 404, year
    assert download(client, "summary_docx", world.unit_a, quarter=f"{this_year}Q4").status_code == 404
    default = download(client, "annual_docx", world.unit_a)  # the last year whose fourth quarter has ended
    assert quote(f"_{this_year - 1}.docx") in default["Content-Disposition"]
    assert download(client, "annual_docx", world.unit_a1, year="2021").status_code == 200  # from 2021Q3 on
    for user in (world.principal_a, world.inspector):
        assert download(login(user), "summary_docx", world.unit_a, quarter="2025Q3").status_code in {403, 404}
