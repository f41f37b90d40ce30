"""Choices of the risk module: levels and colours, methods, kinds, control types, standard pick-lists."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Four risk levels, descending (domain.md §2.1 [V]): 重大=红 · 较大=橙 · 一般=黄 · 低=蓝."""

    MAJOR = "major", _("重大风险")
    SIGNIFICANT = "significant", _("较大风险")
    GENERAL = "general", _("一般风险")
    LOW = "low", _("低风险")


# 1 is the most severe; "raising" a level means moving to a smaller rank.
RANK = {Level.MAJOR: 1, Level.SIGNIFICANT: 2, Level.GENERAL: 3, Level.LOW: 4}
COLOUR_NAME = {Level.MAJOR: "红", Level.SIGNIFICANT: "橙", Level.GENERAL: "黄", Level.LOW: "蓝"}
COLOUR_HEX = {
    Level.MAJOR: "#dc3545",
    Level.SIGNIFICANT: "#fd7e14",
    Level.GENERAL: "#ffc107",
    Level.LOW: "#0d6efd",
}
COLOUR_RGB = {k: tuple(int(v[i : i + 2], 16) for i in (1, 3, 5)) for k, v in COLOUR_HEX.items()}


def more_severe(a: str, b: str) -> str:
    return a if RANK[a] <= RANK[b] else b


def colour_label(level: str) -> str:
    return f"{COLOUR_NAME[level]}色" if level in COLOUR_NAME else ""


class Method(models.TextChoices):
    LEC = "lec", _("LEC 作业条件危险性分析法")
    LS = "ls", _("LS 风险矩阵法")
    MES = "mes", _("MES 作业条件风险程度评价")


# The factors of each method, in the order they are multiplied.
METHOD_FACTORS = {
    Method.LEC: ("L", "E", "C"),
    Method.LS: ("L", "S"),
    Method.MES: ("M", "E", "S"),
}
FACTOR_NAMES = {
    (Method.LEC, "L"): "L 事故发生的可能性",
    (Method.LEC, "E"): "E 暴露于危险环境的频繁程度",
    (Method.LEC, "C"): "C 发生事故可能造成的后果",
    (Method.LS, "L"): "L 事故发生的可能性",
    (Method.LS, "S"): "S 事故后果严重性",
    (Method.MES, "M"): "M 控制措施的状态",
    (Method.MES, "E"): "E 人体暴露或危险状态出现的频繁程度",
    (Method.MES, "S"): "S 事故的可能后果",
}


class PointKind(models.TextChoices):
    AREA = "area", _("场所区域")
    EQUIPMENT = "equipment", _("设备设施")
    ACTIVITY = "activity", _("作业活动")
    POST = "post", _("岗位")


class ControlLevel(models.TextChoices):
    """管控层级 (domain.md §2.5 [P])."""

    COMPANY = "company", _("公司级")
    DEPARTMENT = "department", _("部门（车间）级")
    TEAM = "team", _("班组级")
    POST = "post", _("岗位级")


class CheckCycle(models.TextChoices):
    SHIFT = "shift", _("每班")
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    YEARLY = "yearly", _("每年")


class PointStatus(models.TextChoices):
    ACTIVE = "active", _("在用")
    RETIRED = "retired", _("已撤销")


class AssessmentKind(models.TextChoices):
    ASSESS = "assess", _("评价")
    RAISE = "raise", _("调高等级")


# 管控措施的五种类型 (domain.md §2.5/§2.6).
MEASURE_FIELDS = [
    ("measures_engineering", "工程技术措施"),
    ("measures_management", "管理措施"),
    ("measures_training", "培训教育措施"),
    ("measures_ppe", "个体防护措施"),
    ("measures_emergency", "应急处置措施"),
]


class HazardFactor(models.TextChoices):
    """GB/T 13861-2022《生产过程危险和有害因素分类与代码》, second level [R: class names recalled]."""

    PSYCHO = "11", _("心理、生理性危险和有害因素")
    BEHAVIOUR = "12", _("行为性危险和有害因素")
    PHYSICAL = "21", _("物理性危险和有害因素")
    CHEMICAL = "22", _("化学性危险和有害因素")
    BIOLOGICAL = "23", _("生物性危险和有害因素")
    INDOOR = "31", _("室内作业场所环境不良")
    OUTDOOR = "32", _("室外作业场地环境不良")
    UNDERGROUND = "33", _("地下（含水下）作业环境不良")
    ENV_OTHER = "39", _("其他作业环境不良")
    ORG = "41", _("职业安全卫生管理机构设置和人员配备不健全")
    DUTY = "42", _("职业安全卫生责任制不完善或未落实")
    RULES = "43", _("职业安全卫生管理制度不完善或未落实")
    FUNDING = "44", _("职业安全卫生投入不足")
    EMERGENCY = "45", _("应急管理缺陷")
    MGMT_OTHER = "49", _("其他管理因素缺陷")


class AccidentType(models.TextChoices):
    """GB 6441-1986《企业职工伤亡事故分类》: the 20 accident types."""

    STRUCK = "01", _("物体打击")
    VEHICLE = "02", _("车辆伤害")
    MACHINERY = "03", _("机械伤害")
    LIFTING = "04", _("起重伤害")
    ELECTRIC = "05", _("触电")
    DROWNING = "06", _("淹溺")
    SCALD = "07", _("灼烫")
    FIRE = "08", _("火灾")
    FALL = "09", _("高处坠落")
    COLLAPSE = "10", _("坍塌")
    ROOF_FALL = "11", _("冒顶片帮")
    FLOOD = "12", _("透水")
    BLASTING = "13", _("放炮")
    EXPLOSIVE = "14", _("火药爆炸")
    GAS = "15", _("瓦斯爆炸")
    BOILER = "16", _("锅炉爆炸")
    VESSEL = "17", _("容器爆炸")
    OTHER_EXPLOSION = "18", _("其它爆炸")
    POISONING = "19", _("中毒和窒息")
    OTHER = "20", _("其它伤害")


class GradeSource(models.TextChoices):
    COMPUTED = "computed", _("规则计算")
    OVERRIDE = "override", _("监管调整")


class Comparison(models.TextChoices):
    GTE = "gte", "≥"
    GT = "gt", ">"
    EQ = "eq", "="
    LTE = "lte", "≤"
    LT = "lt", "<"


class ShapeKind(models.TextChoices):
    POLYGON = "polygon", _("区域（多边形）")
    MARKER = "marker", _("标记点")
