"""Choices of the enterprise's own safety ledgers (台账)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegulationCategory(models.TextChoices):
    LAW = "law", _("法律")
    REGULATION = "regulation", _("行政法规")
    RULE = "rule", _("部门规章")
    LOCAL = "local", _("地方性法规和规章")
    STANDARD = "standard", _("国家或行业标准")
    NORMATIVE = "normative", _("规范性文件")
    OTHER = "other", _("其他")


class DocumentKind(models.TextChoices):
    RULE = "rule", _("规章制度")
    PROCEDURE = "procedure", _("操作规程")


class DocumentStatus(models.TextChoices):
    EFFECTIVE = "effective", _("现行有效")
    ABOLISHED = "abolished", _("已废止")


class EquipmentCategory(models.TextChoices):
    GENERAL = "general", _("一般设备设施")
    SPECIAL = "special", _("特种设备")
    FIRE = "fire", _("消防设施器材")


class SpecialKind(models.TextChoices):
    """特种设备目录 (《特种设备安全法》第2条 and 质检总局 2014年第114号公告)."""

    BOILER = "boiler", _("锅炉")
    PRESSURE_VESSEL = "pressure_vessel", _("压力容器（含气瓶）")
    PRESSURE_PIPING = "pressure_piping", _("压力管道")
    LIFT = "lift", _("电梯")
    LIFTING = "lifting", _("起重机械")
    ROPEWAY = "ropeway", _("客运索道")
    AMUSEMENT = "amusement", _("大型游乐设施")
    VEHICLE = "vehicle", _("场（厂）内专用机动车辆（叉车等）")


class EquipmentStatus(models.TextChoices):
    IN_USE = "in_use", _("在用")
    IDLE = "idle", _("停用")
    SCRAPPED = "scrapped", _("报废")


class InspectionKind(models.TextChoices):
    PERIODIC = "periodic", _("定期检验")
    SELF_CHECK = "self_check", _("自行检查")
    MAINTENANCE = "maintenance", _("维护保养")


class InspectionResult(models.TextChoices):
    PASS = "pass", _("合格")
    CONDITIONAL = "conditional", _("基本符合要求（整改后使用）")
    FAIL = "fail", _("不合格")


class TrainingKind(models.TextChoices):
    THREE_LEVEL = "three_level", _("三级安全教育（新员工）")
    ANNUAL = "annual", _("年度再培训")
    SPECIAL_OPERATION = "special_operation", _("特种作业人员培训")
    KEY_PERSONNEL = "key_personnel", _("主要负责人和安全管理人员培训")
    TRANSFER = "transfer", _("转岗、复岗培训")
    CONTRACTOR = "contractor", _("外来人员（相关方）培训")
    OTHER = "other", _("其他")


class PlanKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合应急预案")
    SPECIAL = "special", _("专项应急预案")
    ONSITE = "onsite", _("现场处置方案")


class DrillForm(models.TextChoices):
    TABLETOP = "tabletop", _("桌面演练")
    FUNCTIONAL = "functional", _("单项（功能）演练")
    FULL = "full", _("综合（实战）演练")


class DrillEffect(models.TextChoices):
    GOOD = "good", _("好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("差")


class AccidentKind(models.TextChoices):
    """事故类别 (GB 6441-1986《企业职工伤亡事故分类》, 20 classes)."""

    STRUCK = "struck", _("物体打击")
    VEHICLE = "vehicle", _("车辆伤害")
    MACHINERY = "machinery", _("机械伤害")
    LIFTING = "lifting", _("起重伤害")
    ELECTRIC = "electric", _("触电")
    DROWNING = "drowning", _("淹溺")
    SCALD = "scald", _("灼烫")
    FIRE = "fire", _("火灾")
    FALL = "fall", _("高处坠落")
    COLLAPSE = "collapse", _("坍塌")
    ROOF_FALL = "roof_fall", _("冒顶片帮")
    FLOODING = "flooding", _("透水")
    BLASTING = "blasting", _("放炮")
    GAS_EXPLOSION = "gas_explosion", _("火药爆炸")
    FIREDAMP = "firedamp", _("瓦斯爆炸")
    BOILER = "boiler", _("锅炉爆炸")
    VESSEL = "vessel", _("容器爆炸")
    OTHER_EXPLOSION = "other_explosion", _("其他爆炸")
    POISONING = "poisoning", _("中毒和窒息")
    OTHER = "other", _("其他伤害")


class AccidentGrade(models.TextChoices):
    """国务院令第493号《生产安全事故报告和调查处理条例》第3条."""

    EXTRAORDINARY = "extraordinary", _("特别重大事故")
    MAJOR = "major", _("重大事故")
    LARGER = "larger", _("较大事故")
    ORDINARY = "ordinary", _("一般事故")


class AccidentStatus(models.TextChoices):
    REPORTED = "reported", _("已报告")
    INVESTIGATING = "investigating", _("调查中")
    RECTIFYING = "rectifying", _("整改落实中")
    CLOSED = "closed", _("已结案")


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("按时报告")
    LATE = "late", _("迟报")
    NOT_REPORTED = "not_reported", _("未报告")
    NOT_REQUIRED = "not_required", _("无需上报")
