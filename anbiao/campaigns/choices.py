"""Choices of the campaign ledgers. Labels follow the notice (惠供联〔2025〕7号) and its 季报表."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FilingStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报送")
    ACCEPTED = "accepted", _("已签收")
    RETURNED = "returned", _("已退回")


class Timeliness(models.TextChoices):
    """Where a unit stands on one deliverable on a date (computed, never stored)."""

    ON_TIME = "on_time", _("按时报送")
    LATE = "late", _("逾期报送")
    MISSING = "missing", _("逾期未报")
    PENDING = "pending", _("未到期")
    RETURNED = "returned", _("被退回待重报")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "todo", _("未开始")
    DOING = "doing", _("进行中")
    DONE = "done", _("已完成")


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "in_person", _("当面送达")
    MAIL = "mail", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")


class SessionKind(models.TextChoices):
    TRAINING = "training", _("专题培训")
    SITE_VISIT = "site_visit", _("现场观摩")


class Level(models.TextChoices):
    """季报表(二) rows: the level that organised or recognised it."""

    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡级")


class TraineeCategory(models.TextChoices):
    """五类人员 (notice 五(二)); the enterprise staff are split into the 两个关键少数."""

    LEADER = "leader", _("各级领导干部")
    SUPERVISOR = "supervisor", _("安监人员")
    GRID = "grid", _("基层网格员")
    TECHNICAL = "technical", _("技术支撑人员（专家、保险员）")
    PRINCIPAL = "principal", _("企业主要负责人")
    SAFETY_MANAGER = "safety_manager", _("企业安全管理员")
    WORKER = "worker", _("企业其他从业人员")


class EnforcementKind(models.TextChoices):
    """季报表(三) columns 7–15."""

    FINE = "fine", _("罚款")
    SUSPEND = "suspend", _("责令停产停业整顿")
    LICENCE = "licence", _("暂扣或吊销证照")
    CLOSE = "close", _("取缔关闭")
    JUDICIAL = "judicial", _("移送司法机关")
    EXPOSE = "expose", _("曝光典型案例")
    INTERVIEW = "interview", _("约谈警示")
    INCENTIVE = "incentive", _("激励")
    CONSTRAINT = "constraint", _("约束")


class ShowcaseCategory(models.TextChoices):
    """十百千万 示范工程 (季报表(二))."""

    TOWN_CASE = "town_case", _("十佳乡镇（街道、园区）案例")
    ENTERPRISE_CASE = "enterprise_case", _("百优企业案例")
    THOUSAND = "thousand", _("千企达标评审")
    POST = "post", _("万岗达标")


class PostType(models.TextChoices):
    PARTY = "party", _("党员模范岗")
    WORKER = "worker", _("工人先锋岗")
    YOUTH = "youth", _("青年突击手")
    WOMEN = "women", _("巾帼能手")


class NormKind(models.TextChoices):
    """四项规范 (notice 五(二), 季报表(三) column 2)."""

    CHECKLIST = "checklist", _("安全检查清单")
    RULES = "rules", _("达标细则")
    GUIDE = "guide", _("标准化运行提升指南")
    GRID_GUIDE = "grid_guide", _("网格员检查导则")
