"""Seeded catalogue data: the LEC / LS / MES value tables and bands, level policies and grade rules.

Every value below is editable afterwards by a county administrator (perm ``catalog.manage``); a revision
creates a new version, so assessments and grades keep the version they were made with. Labels and sources
follow shared/docs/domain.md §2 ([V] verified, [P] partly verified, [R] recalled, [U] unknown).
"""

from __future__ import annotations

import datetime

from anbiao.risks.choices import ControlLevel, Level

SEED_DATE = datetime.date(2021, 8, 1)
M, S, G, L = Level.MAJOR, Level.SIGNIFICANT, Level.GENERAL, Level.LOW

LEC_SOURCE = (
    "作业条件危险性分析法（LEC），D = L × E × C。因子取值与经典分级 [V]："
    "https://m.zixin.com.cn/doc/3134728.html ；https://m.aqrzj.com/doc/348231.html ；"
    "https://www.yakdoc.com/html/363391.html 。四色对应 [P]。D = 70 可取到（1×10×7），按从严从高默认 D ≥ 70 为黄。"  # noqa: E501
)
LS_SOURCE = {
    "A": "风险矩阵法（LS），R = L × S。变体A（常用）：20–25 红，15–16 橙，9–12 黄，1–8 蓝 [R]，见企业管控手册通行做法。",  # noqa: E501
    "B": "风险矩阵法（LS）变体B：20–25 红，9–16 橙，4–8 黄，1–3 蓝 [V] http://zgmkw.com/doc-30900.html",
    "C": "风险矩阵法（LS）变体C：20–25 红，10–16 橙，4–9 黄，1–3 蓝 [V] https://mtoou.info/tubiao/54344.html",
}
MES_SOURCE = (
    "作业条件风险程度评价（MES），R = M × E × S。M 取值 [V]，S 取值与分级 [R]："
    "https://m.aqrzj.com/doc/249991.html ；https://360docs.net/doc/03124119.html 。"
)

E_TABLE = [
    (10, "连续暴露"),
    (6, "每天工作时间内暴露"),
    (3, "每周一次或偶然暴露"),
    (2, "每月一次暴露"),
    (1, "每年几次暴露"),
    (0.5, "非常罕见地暴露"),
]
LEC_FACTORS = {
    "L": [
        (10, "完全可以预料"),
        (6, "相当可能"),
        (3, "可能，但不经常"),
        (1, "可能性小，完全意外"),
        (0.5, "很不可能，可以设想"),
        (0.2, "极不可能"),
        (0.1, "实际不可能"),
    ],
    "E": E_TABLE,
    "C": [
        (100, "大灾难，许多人死亡（≥10人）"),
        (40, "灾难，数人死亡"),
        (15, "非常严重，1人死亡"),
        (7, "严重，重伤"),
        (3, "重大，致残"),
        (1, "引人注目，需要救护"),
    ],
}
LEC_BANDS = [
    (M, 320, False, "极其危险，不能继续作业"),
    (S, 160, True, "高度危险，需立即整改"),
    (G, 70, True, "显著危险，需要整改"),
    (L, 20, True, "一般危险，需要注意"),
    (L, 0, True, "稍有危险，可以接受"),
]
LS_FACTORS = {
    "L": [
        (5, "每年可能发生"),
        (4, "5年内可能发生"),
        (3, "10年内可能发生"),
        (2, "10年以上可能发生"),
        (1, "50年以上可能发生"),
    ],
    "S": [
        (5, "一人死亡"),
        (4, "多人严重伤害"),
        (3, "一人严重伤害"),
        (2, "需急救；多人轻伤"),
        (1, "轻微伤害"),
    ],
}
LS_BANDS = {
    "A": [
        (M, 20, True, "重大风险"),
        (S, 15, True, "较大风险"),
        (G, 9, True, "一般风险"),
        (L, 1, True, "低风险"),
    ],
    "B": [
        (M, 20, True, "重大风险"),
        (S, 9, True, "较大风险"),
        (G, 4, True, "一般风险"),
        (L, 1, True, "低风险"),
    ],
    "C": [
        (M, 20, True, "重大风险"),
        (S, 10, True, "较大风险"),
        (G, 4, True, "一般风险"),
        (L, 1, True, "低风险"),
    ],
}
MES_FACTORS = {
    "M": [
        (5, "无控制措施"),
        (3, "有减轻后果的应急措施（警报、个体防护等）"),
        (1, "有预防措施且有效（机器防护等）"),
    ],
    "E": E_TABLE,
    "S": [
        (10, "多人死亡"),
        (8, "一人死亡"),
        (4, "永久失能（重伤致残）"),
        (2, "需医院治疗，缺工"),
        (1, "轻微，仅需急救"),
    ],
}
MES_BANDS = [
    (M, 180, True, "一级 重大风险"),
    (S, 90, True, "二级 较大风险"),
    (G, 50, True, "三级 一般风险"),
    (L, 20, True, "四级 低风险"),
    (L, 0, True, "五级 稍有危险"),
]

BAND_SETS = [
    # method, variant, name, default?, factors, bands, source
    ("lec", "classic", "LEC 经典分级", True, LEC_FACTORS, LEC_BANDS, LEC_SOURCE),
    ("ls", "A", "LS 风险矩阵（变体A，常用）", True, LS_FACTORS, LS_BANDS["A"], LS_SOURCE["A"]),
    ("ls", "B", "LS 风险矩阵（变体B）", False, LS_FACTORS, LS_BANDS["B"], LS_SOURCE["B"]),
    ("ls", "C", "LS 风险矩阵（变体C）", False, LS_FACTORS, LS_BANDS["C"], LS_SOURCE["C"]),
    ("mes", "classic", "MES 分级", True, MES_FACTORS, MES_BANDS, MES_SOURCE),
]

POLICY_SOURCE = (
    "管控层级 [P]：红→公司级（主要负责人），橙→公司/部门级（分管负责人），黄→部门（车间）/班组级，"
    "蓝→班组/岗位级。https://33.wendadaohang.com/zd/Rh0RP004B54dBc45cd.html 。复评周期 [U]：按年度复评，"
    "重大、较大风险缩短。"
)
POLICIES = [
    (M, ControlLevel.COMPANY, 6, "主要负责人"),
    (S, ControlLevel.COMPANY, 6, "分管负责人"),
    (G, ControlLevel.DEPARTMENT, 12, "部门（车间）负责人"),
    (L, ControlLevel.TEAM, 12, "班组长"),
]

RULES_SOURCE = (
    "惠供联〔2025〕7号 季报表(一) 注6：按“红、橙、黄、蓝”确定企业整体安全风险等级 [V]。具体判定规则当地未公布 [U]，"  # noqa: E501
    "此为县社可调整的默认规则：重大风险失控、重大隐患未整改或挂牌督办、死亡事故为红；有重大风险、"
    "两项以上较大风险、逾期隐患、一般事故为橙；有较大风险、隐患较多或风险点逾期未复评为黄；其余为蓝。"
)
# The fact names agreed between the apps (each app publishes its own in hooks.FACTS). Rules may name a fact
# whose app has not landed yet: it reads as 0 until then.
AGREED_FACTS = {
    "hazards_open": "未整改隐患数",
    "hazards_overdue": "逾期未整改隐患数",
    "major_hazards_open": "未整改重大隐患数",
    "major_hazards_listed": "挂牌督办的重大隐患数",
    "hazards_found_12m": "近12个月发现隐患数",
    "risk_points_red": "重大风险（红）风险点数",
    "risk_points_orange": "较大风险（橙）风险点数",
    "risk_points_red_uncontrolled": "管控措施未落实有效的重大风险点数",
    "risk_points_review_overdue": "逾期未复评的风险点数",
    "accidents_12m": "近12个月事故起数",
    "accident_deaths_12m": "近12个月事故死亡人数",
    "accident_injuries_12m": "近12个月事故受伤人数",
    "special_equipment_overdue": "逾期未检验的特种设备数",
    "standard_grade_level": "标准化达标等级（1–3级，4=地标不分级，0=无）",
    "self_assessment_score": "近12个月标准化自评得分",
    "stars": "星级（1–5，0=无）",
    "duty_lists_complete": "全员责任制清单齐全（1/0）",
    "art24_compliant": "按安全生产法第24条设置机构、配备人员（1/0）",
}


def fact_labels() -> dict[str, str]:
    """The agreed facts and whatever the installed apps publish (their own wording wins)."""
    from anbiao.core.registry import fact_labels as published

    return {**AGREED_FACTS, **published()}


# fact, comparison, threshold, result, reason, active
RULES = [
    ("risk_points_red_uncontrolled", "gte", 1, M, "{n} 项重大风险未有效管控", True),
    ("major_hazards_open", "gte", 1, M, "{n} 条重大隐患未整改", True),
    ("major_hazards_listed", "gte", 1, M, "{n} 条重大隐患挂牌督办", True),
    ("accident_deaths_12m", "gte", 1, M, "近12个月事故死亡 {n} 人", True),
    ("risk_points_red", "gte", 1, S, "{n} 项重大风险", True),
    ("risk_points_orange", "gte", 2, S, "{n} 项较大风险", True),
    ("hazards_overdue", "gte", 1, S, "{n} 条逾期隐患", True),
    ("accidents_12m", "gte", 1, S, "近12个月发生事故 {n} 起", True),
    ("risk_points_orange", "gte", 1, G, "{n} 项较大风险", True),
    ("hazards_open", "gte", 3, G, "{n} 条隐患未整改", True),
    ("risk_points_review_overdue", "gte", 1, G, "{n} 个风险点逾期未复评", True),
    ("special_equipment_overdue", "gte", 1, G, "{n} 台特种设备逾期未检验", True),
    ("standard_grade_level", "eq", 0, G, "未通过安全生产标准化达标评审", False),
]


def seed(apps_or_none=None) -> None:
    """Create the seeded rows that are missing (idempotent; never overwrites an administrator's edits)."""
    if apps_or_none is None:
        from anbiao.risks import models as m

        BandSet, Band, FactorOption = m.BandSet, m.Band, m.FactorOption
        LevelPolicy, GradeRuleSet, GradeRule = m.LevelPolicy, m.GradeRuleSet, m.GradeRule
    else:
        get = apps_or_none.get_model
        BandSet, Band, FactorOption = (
            get("risks", "BandSet"),
            get("risks", "Band"),
            get("risks", "FactorOption"),
        )
        LevelPolicy = get("risks", "LevelPolicy")
        GradeRuleSet, GradeRule = get("risks", "GradeRuleSet"), get("risks", "GradeRule")
    for method, variant, name, default, factors, bands, source in BAND_SETS:
        if BandSet.objects.filter(method=method, variant=variant).exists():
            continue
        band_set = BandSet.objects.create(
            method=method,
            variant=variant,
            name=name,
            version=1,
            is_current=True,
            is_default=default,
            valid_from=SEED_DATE,
            source=source,
            note="初始版本（系统预置）",
        )
        for factor, rows in factors.items():
            FactorOption.objects.bulk_create(
                FactorOption(band_set=band_set, factor=factor, value=value, label=label)
                for value, label in rows
            )
        Band.objects.bulk_create(
            Band(band_set=band_set, level=level, lower=lower, lower_inclusive=inc, meaning=meaning)
            for level, lower, inc, meaning in bands
        )
    for level, control, months, responsible in POLICIES:
        LevelPolicy.objects.get_or_create(
            level=level,
            defaults={
                "control_level": control,
                "review_months": months,
                "responsible": responsible,
                "source": POLICY_SOURCE,
            },
        )
    if not GradeRuleSet.objects.exists():
        rule_set = GradeRuleSet.objects.create(
            version=1,
            is_current=True,
            valid_from=SEED_DATE,
            default_level=L,
            source=RULES_SOURCE,
            note="初始版本（系统预置）",
        )
        GradeRule.objects.bulk_create(
            GradeRule(
                rule_set=rule_set,
                fact=fact,
                comparison=cmp,
                threshold=threshold,
                result=result,
                reason=reason,
                is_active=active,
                sort_order=i,
            )
            for i, (fact, cmp, threshold, result, reason, active) in enumerate(RULES)
        )
