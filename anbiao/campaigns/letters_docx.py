"""告知书 (附件1) and 承诺书 (附件2) as docx, in the notice's wording (惠供联〔2025〕7号), with the
enterprise's name and the unit's self-assessment deadline filled in; each in the three copies the notice
asks for (企业留存备查 / 企业公示栏公示 / 报送县社备案), each copy with its own signature block."""

from __future__ import annotations

import datetime
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt

NOTICE_TITLE = "关于持续深化安全生产标准化建设告知书"
COMMITMENT_TITLE = "关于持续深化安全生产标准化建设承诺书"
COPIES = ("第一份：企业留存备查", "第二份：企业公示栏公示", "第三份：报送县社备案")

NOTICE_BODY = (
    "2021年9月1日起施行新修改的《中华人民共和国安全生产法》第21条，明确将“建立健全并落实本单位全员安全生产"
    "责任制，加强安全生产标准化建设”列为生产经营单位主要负责人第一条安全生产工作职责。根据《泉州市安全生产"
    "委员会关于印发泉州市安全生产标准化提升专项行动方案的通知》（泉安委〔2021〕18号）精神，请你单位按照"
    "《企业安全生产标准化基本规范》（GB/T 33000-2016）和本单位创建安全生产标准化选定的评定标准，"
    "{deadline}前完成一次安全生产标准化提升年度自评工作，及时整改不符合项，持续深化本单位安全生产标准化建设、"
    "运行，提升本质安全水平。"
)
NOTICE_NOTE = "注：本告知书一式三份，一份留存企业备查、一份在企业公示栏公示、一份报送县社备案。"

COMMITMENT_BODY = (
    "本单位及本人郑重承诺，按照《企业安全生产标准化基本规范》（GB/T 33000-2016）和有关行业（专业）标准化评定"
    "标准的要求自主创建、自主运行，从目标职责、制度化管理、教育培训、现场管理、安全风险管控及隐患排查治理、"
    "应急管理、事故管理和持续改进等八个方面，建立与本单位日常安全管理相适应、以安全生产标准化为重点的本单位"
    "自主安全生产管理体系，实现安全生产现场管理、操作行为、设备设施和作业环境规范化，并于{deadline}之前完成一次"
    "安全生产标准化年度自评工作，及时整改不符合项，持续深化本单位安全生产标准化建设、运行，提升本质安全水平。"
    "如未正确履行安全生产主体责任，加强安全生产标准化建设，愿意承担一切行政的、民事的和刑事的责任。欢迎社会"
    "公众对我单位安全生产标准化建设及其运行状况进行监督，如发现隐患可向政府及有关部门举报。"
)
COMMITMENT_NOTE = "注：本承诺书一式三份，一份留存企业备查、一份在企业公示栏公示、一份报送县社备案。"

FONT = "仿宋"
TITLE_FONT = "黑体"


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _run(paragraph, text, *, size=16, bold=False, font=FONT):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def _para(doc, text="", *, align=None, size=16, bold=False, font=FONT, indent=False):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.line_spacing = 1.5
    if text:
        _run(p, text, size=size, bold=bold, font=font)
    return p


def _page_break(doc):
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _notice(doc, *, enterprise_name, deadline, issuer, copy_label):
    _para(doc, copy_label, align=WD_ALIGN_PARAGRAPH.RIGHT, size=10)
    _para(doc, NOTICE_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, size=22, font=TITLE_FONT)
    _para(doc, f"{enterprise_name}：")
    _para(doc, NOTICE_BODY.format(deadline=chinese_date(deadline)), indent=True)
    _para(doc, "特此告知！", indent=True)
    _para(doc, f"{issuer}（盖章）", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc)
    _para(doc, f"接收单位（盖章）：{enterprise_name}")
    _para(doc, "主要负责人（签字）：")
    _para(doc, "签收日期：        年    月    日")
    _para(doc, NOTICE_NOTE, size=12)


def _commitment(doc, *, enterprise_name, deadline, copy_label):
    _para(doc, copy_label, align=WD_ALIGN_PARAGRAPH.RIGHT, size=10)
    _para(doc, COMMITMENT_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, size=22, font=TITLE_FONT)
    _para(doc, COMMITMENT_BODY.format(deadline=chinese_date(deadline)), indent=True)
    _para(doc)
    _para(doc, f"承诺单位（盖章）：{enterprise_name}")
    _para(doc, "法定代表人（签名）：")
    _para(doc, "签订日期：        年    月    日")
    _para(doc, COMMITMENT_NOTE, size=12)


def render(letters, *, issuer: str, kinds=("notice", "commitment")) -> bytes:
    """One docx with, for every letter, the chosen documents in three copies each, a page apiece."""
    doc = Document()
    section = doc.sections[0]
    section.top_margin = section.bottom_margin = Pt(72)
    section.left_margin = section.right_margin = Pt(80)
    first = True
    for letter in letters:
        name = letter.enterprise.name
        for kind in kinds:
            for label in COPIES:
                if not first:
                    _page_break(doc)
                first = False
                if kind == "notice":
                    _notice(
                        doc, enterprise_name=name, deadline=letter.deadline, issuer=issuer, copy_label=label
                    )
                else:
                    _commitment(doc, enterprise_name=name, deadline=letter.deadline, copy_label=label)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
