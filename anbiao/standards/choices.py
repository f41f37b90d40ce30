"""Choices of the standards app (安全生产标准化)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GradeType(models.TextChoices):
    """达标类型 in 季报表(一): 国标 (GB/T 33000 定级), 省标 (福建), 地标 (泉州市本级, 不分级)."""

    NATIONAL = "national", _("国标")
    PROVINCIAL = "provincial", _("省标")
    LOCAL = "local", _("地标")


class GradeLevel(models.IntegerChoices):
    """达标评审 level; 地标 is 不分级 (no level)."""

    FIRST = 1, _("一级")
    SECOND = 2, _("二级")
    THIRD = 3, _("三级")


class ItemLevel(models.IntegerChoices):
    ELEMENT = 1, _("一级要素")
    SUB_ELEMENT = 2, _("二级要素")
    CONTENT = 3, _("考评内容")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    ANNOUNCED = "announced", _("已通报")


class ImprovementStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    DONE = "done", _("待验收")
    ACCEPTED = "accepted", _("已验收")
    CANCELLED = "cancelled", _("已撤销")


class ImprovementSource(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("标准化自评")
    LOOKBACK = "lookback", _("回头看评估")
    REVIEW = "review", _("达标评审")
    INSPECTION = "inspection", _("监督检查")
    OTHER = "other", _("其他")


class RuleKind(models.TextChoices):
    STAR = "star", _("星级建议规则")
    LEVEL_CAP = "level_cap", _("自评定级的安全绩效条件")
    REVOCATION = "revocation", _("达标撤销核查规则")


class RuleOp(models.TextChoices):
    GT = "gt", ">"
    GE = "ge", "≥"
    EQ = "eq", "="
    LE = "le", "≤"
    LT = "lt", "<"
    NE = "ne", "≠"
    ALWAYS = "always", _("（总是）")


class RuleEffect(models.TextChoices):
    """``set``: the first matching row gives the result; ``cap``: every matching row limits it;
    ``flag``: every matching row raises a finding (result unused)."""

    SET = "set", _("取值")
    CAP = "cap", _("封顶")
    FLAG = "flag", _("提示")


class SiteKind(models.TextChoices):
    FIVE_S = "five_s", _("5S现场管理")
    SIX_HAVE = "six_have", _("六有可视化警示标识")


class PassMode(models.TextChoices):
    ALL_PASS = "all_pass", _("每项均合格")
    MIN_EACH = "min_each", _("每项得分不低于阈值")
    MIN_AVERAGE = "min_average", _("平均分不低于阈值")
