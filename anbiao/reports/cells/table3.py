"""季报表(三): 四项规范, 检查与隐患, 挂牌督办, 执法措施, 年度考核, 内部报告奖励 — since 2025-01-01."""

from __future__ import annotations

from anbiao.campaigns import report_cells as camp
from anbiao.campaigns.choices import EnforcementKind, NormKind
from anbiao.campaigns.models import NormDocument
from anbiao.duty import selectors as duty
from anbiao.hazards import selectors as hz
from anbiao.reports.cells import families as fam
from anbiao.reports.cells.base import D2025, Cell, _add


def _actions(kind):
    def rows(c):
        return camp.enforcement_actions(c.placed, c.as_of, D2025, kind).select_related("enterprise")

    return rows


def register():
    for kind, label in NormKind.choices:
        _add(
            Cell(
                f"t3.norms.{kind}",
                3,
                ('完善"四项规范"(份)', f"{label}(份)"),
                "",
                f"本单位及下级编制或修订日期在窗口内的{label}份数",
                D2025,
                lambda c, k=kind: NormDocument.objects.filter(unit__in=c.units, kind=k).filter(
                    camp.window("issued_on", c.as_of, D2025)
                ),
                unit_of_rows="文件",
                family=fam.NORMS,
            )
        )
    _add(
        Cell(
            "t3.inspections",
            3,
            ("检查企业(家次)",),
            "",
            "督查、检查、督导帮扶、执法、网格员检查中检查日期在窗口内且已完成的检查，每次检查一家企业计1家次",
            D2025,
            lambda c: hz.supervisor_inspections(c.placed, D2025, c.as_of),
            unit_of_rows="检查",
            family=fam.INSPECTIONS,
        )
    )
    _add(
        Cell(
            "t3.found",
            3,
            ("发现隐患(条)",),
            "",
            "上述检查发现、发现日期在窗口内且季末未作废的隐患",
            D2025,
            lambda c: hz.supervisor_found_hazards(c.placed, D2025, c.as_of),
            unit_of_rows="隐患",
            family=fam.HAZARDS,
        )
    )
    _add(
        Cell(
            "t3.rectified",
            3,
            ("督促整改隐患(条)",),
            "",
            "上一栏隐患中季末前已整改验收（销号）的条数",
            D2025,
            lambda c: hz.supervisor_hazards_rectified(c.placed, D2025, c.as_of),
            unit_of_rows="隐患",
            family=fam.HAZARDS,
        )
    )
    listed = "重大隐患挂牌督办"
    for key, label, fn, definition in (
        ("enterprises", "企业数(家次)", hz.listings, "挂牌日期在窗口内的挂牌督办，每次挂牌计1家次"),
        ("hazards", "隐患数(条)", hz.listings, "挂牌日期在窗口内的挂牌督办隐患条数（每条隐患挂牌一次）"),
        ("rectified", "隐患整改数(条)", hz.listed_hazards_rectified, "上述挂牌隐患中季末前已整改验收的条数"),
    ):
        _add(
            Cell(
                f"t3.listing.{key}",
                3,
                (listed, label),
                "",
                definition,
                D2025,
                lambda c, fn=fn: fn(c.placed, D2025, c.as_of).select_related("hazard"),
                unit_of_rows="挂牌记录",
                family=fam.LISTINGS,
            )
        )
    _add(
        Cell(
            "t3.fine.count",
            3,
            ("罚款", "企业数(家次)"),
            "",
            "处罚日期在窗口内的罚款决定，每次计1家次",
            D2025,
            _actions(EnforcementKind.FINE),
            unit_of_rows="措施",
            family=fam.ENFORCEMENT,
        )
    )
    _add(
        Cell(
            "t3.fine.amount",
            3,
            ("罚款", "金额(万元)"),
            "",
            "上述罚款金额合计，按元录入，以万元计保留四位小数",
            D2025,
            _actions(EnforcementKind.FINE),
            value=lambda c: camp.fine_amount_wan(c.placed, c.as_of, D2025),
            measure="sum",
            unit_of_rows="措施",
            extra={"decimals": 4},
            family=fam.ENFORCEMENT,
        )
    )
    for kind, key, label in (
        (EnforcementKind.SUSPEND, "suspend", "责令停产停业整顿(家次)"),
        (EnforcementKind.LICENCE, "licence", "暂扣或吊销证照企业(家次)"),
        (EnforcementKind.CLOSE, "close", "取缔关闭企业(家次)"),
    ):
        _add(
            Cell(
                f"t3.{key}",
                3,
                (label,),
                "",
                "措施日期在窗口内的次数",
                D2025,
                _actions(kind),
                unit_of_rows="措施",
                family=fam.ENFORCEMENT,
            )
        )
    _add(
        Cell(
            "t3.judicial",
            3,
            ("移送司法机关(人次)",),
            "",
            "移送日期在窗口内的移送司法机关人数合计",
            D2025,
            _actions(EnforcementKind.JUDICIAL),
            value=lambda c: camp.judicial_persons(c.placed, c.as_of, D2025),
            measure="sum",
            unit_of_rows="措施",
            family=fam.ENFORCEMENT,
        )
    )
    for kind, key, label in (
        (EnforcementKind.EXPOSE, "expose", "曝光典型案例企业(家次)"),
        (EnforcementKind.INTERVIEW, "interview", "约谈警示企业(家次)"),
        (EnforcementKind.INCENTIVE, "incentive", "激励单位(家次)"),
        (EnforcementKind.CONSTRAINT, "constraint", "约束单位(家次)"),
    ):
        _add(
            Cell(
                f"t3.{key}",
                3,
                (label,),
                "",
                "措施日期在窗口内的次数",
                D2025,
                _actions(kind),
                unit_of_rows="措施",
                family=fam.ENFORCEMENT,
            )
        )
    assess = "落实全员责任制年度考核"
    _add(
        Cell(
            "t3.assess.enterprises",
            3,
            (assess, "企业数量(家)"),
            "",
            "在窗口内完成全员安全生产责任制年度考核的企业",
            D2025,
            lambda c: duty.enterprises_assessed(c.placed, D2025, c.as_of),
            family=fam.ASSESSMENTS,
        )
    )
    _add(
        Cell(
            "t3.assess.rewarded",
            3,
            (assess, "兑现奖励企业数量(家)"),
            "",
            "在窗口内兑现考核奖励的企业",
            D2025,
            lambda c: duty.enterprises_paid_rewards(c.placed, D2025, c.as_of),
            family=fam.ASSESSMENTS,
        )
    )
    _add(
        Cell(
            "t3.assess.funds",
            3,
            (assess, "兑现奖励资金(万元)"),
            "",
            "在窗口内兑现的考核奖励资金，按元录入，以万元计保留四位小数（列出兑现奖励的企业）",
            D2025,
            lambda c: duty.enterprises_paid_rewards(c.placed, D2025, c.as_of),
            value=lambda c: duty.reward_funds_wan(c.placed, D2025, c.as_of),
            measure="sum",
            family=fam.ASSESSMENTS,
        )
    )
    _add(
        Cell(
            "t3.assess.posts",
            3,
            (assess, "获得奖励岗位(个)"),
            "",
            "在窗口内兑现奖励的岗位数：同一岗位不同年度各计一次，同次考核同一岗位多人只计一次（列出兑现奖励的企业）",
            D2025,
            lambda c: duty.enterprises_paid_rewards(c.placed, D2025, c.as_of),
            value=lambda c: duty.count_posts_rewarded(c.placed, D2025, c.as_of),
            measure="sum",
            family=fam.ASSESSMENTS,
        )
    )
    mech = "建立事故隐患内部报告奖励机制"
    _add(
        Cell(
            "t3.reporting.enterprises",
            3,
            (mech, "企业数量(家)"),
            "",
            "季末已建立（有建立日期和制度文件）事故隐患内部报告奖励制度的企业",
            D2025,
            lambda c: hz.enterprises_with_reporting_mechanism(c.placed, c.as_of),
        )
    )

    def _rewarded_enterprises(c):
        return c.placed.filter(pk__in=hz.rewarded_reports(c.placed, D2025, c.as_of).values("enterprise_id"))

    _add(
        Cell(
            "t3.reporting.rewarded",
            3,
            (mech, "兑现奖励企业数量(家)"),
            "",
            "在窗口内对核实的内部报告兑现奖励的企业",
            D2025,
            _rewarded_enterprises,
            family=fam.REWARDS,
        )
    )
    _add(
        Cell(
            "t3.reporting.funds",
            3,
            (mech, "兑现奖励资金(万元)"),
            "",
            "在窗口内兑现的内部报告奖励金额，按元录入，以万元计保留四位小数",
            D2025,
            lambda c: hz.rewarded_reports(c.placed, D2025, c.as_of),
            value=lambda c: hz.reward_summary(c.placed, D2025, c.as_of)["amount_wan"],
            measure="sum",
            unit_of_rows="内部报告",
            family=fam.REWARDS,
        )
    )
    _add(
        Cell(
            "t3.reporting.people",
            3,
            (mech, "获得奖励人次"),
            "",
            "在窗口内兑现奖励的内部报告，每份报告计1人次",
            D2025,
            lambda c: hz.rewarded_reports(c.placed, D2025, c.as_of),
            unit_of_rows="内部报告",
            family=fam.REWARDS,
        )
    )
    _add(
        Cell(
            "t3.reporting.hazards",
            3,
            (mech, "内部报告隐患数量(条)"),
            "",
            "来源为内部报告、发现日期在窗口内且季末未作废的隐患",
            D2025,
            lambda c: hz.internal_reports(c.placed, D2025, c.as_of),
            unit_of_rows="隐患",
            family=fam.HAZARDS,
        )
    )
