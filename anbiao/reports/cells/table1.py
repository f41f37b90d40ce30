"""季报表(一): 企业底数, 落实全员安全生产责任制数量, 创建提升数量, 实施星级管理数量."""

from __future__ import annotations

from anbiao.duty import selectors as duty
from anbiao.hazards import selectors as hz
from anbiao.orgs.choices import SizeClass
from anbiao.reports.cells import families as fam
from anbiao.reports.cells.base import D2021, D2024, D2025, Cell, _add
from anbiao.risks import selectors as risks
from anbiao.standards import selectors as std
from anbiao.standards.choices import GradeType

BASE = "企业底数(家)"
DUTY = "落实全员安全生产责任制数量"
RAISE = "创建提升数量(家)"
STARS = "实施星级管理数量(家)"
GRADE_ROWS = ((GradeType.NATIONAL, "国标"), (GradeType.PROVINCIAL, "省标"), (GradeType.LOCAL, "地标"))


def register():
    _add(
        Cell(
            "t1.base.total",
            1,
            (BASE, "总数"),
            "",
            "季末在营、且季末隶属本单位及下级的企业（含出租经营网点），按企业状态历史确定隶属和规模",
            None,
            lambda c: c.operating,
            family=fam.BASE,
        )
    )
    for size, label in SizeClass.choices:
        _add(
            Cell(
                f"t1.base.{size}",
                1,
                (BASE, label),
                "",
                f"企业底数中季末规模为{label}的企业",
                None,
                lambda c, s=size: c.operating_of_size(s),
                family=fam.BASE,
            )
        )
    _add(
        Cell(
            "t1.duty.lists",
            1,
            (DUTY, "建立全员责任制及其考核清单(家)"),
            "",
            "季末在营企业中，设有主要负责人岗位且每个在岗岗位都有生效的责任清单和考核清单的企业",
            D2021,
            lambda c: duty.enterprises_with_duty_lists(c.operating, c.as_of),
            family=fam.DUTY,
        )
    )
    _add(
        Cell(
            "t1.duty.body",
            1,
            (DUTY, "依法依规设置安全生产管理机构(家)"),
            "",
            "季末在营企业中，季末已设立且未撤销安全生产管理机构的企业",
            D2021,
            lambda c: duty.enterprises_with_safety_body(c.operating, c.as_of),
            family=fam.DUTY,
        )
    )
    officers = (DUTY, "依法依规配备专兼职安全生产管理人员")
    _add(
        Cell(
            "t1.duty.officers",
            1,
            (*officers, "企业数量(家)"),
            "",
            "季末在营企业中，季末至少任命一名专职或兼职安全生产管理人员且符合《安全生产法》第二十四条配备规则的企业",
            D2021,
            lambda c: duty.enterprises_with_safety_officers(c.operating, c.as_of),
            family=fam.DUTY,
        )
    )
    _add(
        Cell(
            "t1.duty.officer_people",
            1,
            (*officers, "人员数量(人)"),
            "",
            "上一栏所计企业季末在任的专兼职安全生产管理人员人数（同一人只计一次）",
            D2021,
            lambda c: duty.enterprises_with_safety_officers(c.operating, c.as_of),
            value=lambda c: duty.count_safety_officers(c.operating, c.as_of),
            measure="sum",
            family=fam.DUTY,
        )
    )
    lists = (DUTY, "三张清单")
    _add(
        Cell(
            "t1.lists.enterprises",
            1,
            (*lists, "企业数量(家)"),
            "",
            "2021-08-01至季末按已发布检查清单完成过自查的企业（由此建立检查清单、隐患清单和整改清单）",
            D2021,
            lambda c: hz.enterprises_with_three_lists(c.placed, D2021, c.as_of),
            family=fam.INSPECTIONS,
        )
    )
    _add(
        Cell(
            "t1.lists.self_found",
            1,
            (*lists, "自查隐患数量(条)"),
            "",
            "来源为企业自查、发现日期在窗口内且季末未作废的隐患条数",
            D2025,
            lambda c: hz.self_found_hazards(c.placed, D2025, c.as_of),
            unit_of_rows="隐患",
            family=fam.HAZARDS,
        )
    )
    _add(
        Cell(
            "t1.lists.self_rectified",
            1,
            (*lists, "整改隐患数量(条)"),
            "",
            "上一栏自查隐患中季末前已整改验收（销号）的条数",
            D2025,
            lambda c: hz.self_hazards_rectified(c.placed, D2025, c.as_of),
            unit_of_rows="隐患",
            family=fam.HAZARDS,
        )
    )
    colour = (DUTY, "四色安全风险分级动态监管")
    for level, label in (
        ("major", "红色风险企业(家)"),
        ("significant", "橙色风险企业(家)"),
        ("general", "黄色风险企业(家)"),
        ("low", "蓝色风险企业(家)"),
    ):
        _add(
            Cell(
                f"t1.colour.{level}",
                1,
                (*colour, label),
                "",
                f"季末在营企业中，季末有效的企业整体安全风险等级为{label[:2]}的企业（不是风险点数）",
                D2021,
                lambda c, lv=level: risks.enterprises_with_colour(c.operating, c.as_of, lv),
                family=fam.COLOUR,
            )
        )
    _add(
        Cell(
            "t1.five_s",
            1,
            (DUTY, "强化5S现场管理(家)"),
            "",
            "季末在营企业中，2021-08-01以来最近一次5S现场管理评估为合格的企业",
            D2021,
            lambda c: std.enterprises_with_5s(c.operating, c.as_of, D2021),
            family=fam.SITE,
        )
    )
    _add(
        Cell(
            "t1.six_have",
            1,
            (DUTY, "完善六有可视化警示标识(家)"),
            "",
            "季末在营企业中，2021-08-01以来最近一次六有可视化警示标识评估为合格的企业",
            D2021,
            lambda c: std.enterprises_with_six_have(c.operating, c.as_of, D2021),
            family=fam.SITE,
        )
    )
    rescue = (DUTY, "依法依规建立专兼职应急救援队伍")
    _add(
        Cell(
            "t1.rescue.enterprises",
            1,
            (*rescue, "企业数量(家)"),
            "",
            "季末在营企业中，季末有专职或兼职应急救援队伍且队伍至少有一名在册队员的企业",
            D2021,
            lambda c: duty.enterprises_with_rescue_teams(c.operating, c.as_of),
            family=fam.DUTY,
        )
    )
    _add(
        Cell(
            "t1.rescue.people",
            1,
            (*rescue, "人员数量(人)"),
            "",
            "上一栏企业的应急救援队伍季末在册队员人数（同一人只计一次）",
            D2021,
            lambda c: duty.enterprises_with_rescue_teams(c.operating, c.as_of),
            value=lambda c: duty.count_rescue_team_members(c.operating, c.as_of),
            measure="sum",
            family=fam.DUTY,
        )
    )
    for gt, row in GRADE_ROWS:
        for level, label in ((1, "一级企业"), (2, "二级企业"), (3, "三级企业"), (None, "总数")):
            if gt == GradeType.LOCAL and level is not None:
                definition = "地标按不分级达标统计，分级栏不适用，填0"
            elif level is None:
                definition = (
                    f"季末在营企业中，持有季末有效、2021-08-01以来取得的{row}达标证书的企业（各级合计）"
                )
            else:
                definition = (
                    f"季末在营企业中，持有季末有效、2021-08-01以来取得的{row}{label[:2]}达标证书的企业"
                )
            _add(
                Cell(
                    f"t1.grade.{gt}.{level or 'total'}",
                    1,
                    (RAISE, "达标评审", label),
                    row,
                    definition,
                    D2021,
                    lambda c, gt=gt, level=level: std.enterprises_with_grade(
                        c.operating, c.as_of, gt, level, D2021
                    ),
                    extra={"grade_type": gt},
                    family=fam.GRADES,
                )
            )
        _add(
            Cell(
                f"t1.self.{gt}",
                1,
                (RAISE, "自评"),
                row,
                f"季末在营企业中，2025-01-01以来按{row}完成并提交内部自评、且季末没有有效定级（达标）证书的企业",
                D2025,
                lambda c, gt=gt: std.enterprises_self_assessed(c.operating, c.as_of, gt, D2025),
                extra={"grade_type": gt},
                family=fam.SELF_ASSESSED,
            )
        )
    for n, label in ((5, "五星企业"), (4, "四星企业"), (3, "三星企业"), (2, "二星企业"), (1, "一星企业")):
        _add(
            Cell(
                f"t1.stars.{n}",
                1,
                (STARS, label),
                "",
                f"季末在营企业中，季末现行星级为{label[:2]}、且该星级评定于2024-04-01以后的企业",
                D2024,
                lambda c, n=n: std.enterprises_with_stars(c.operating, c.as_of, n, D2024),
                family=fam.STARS,
            )
        )
