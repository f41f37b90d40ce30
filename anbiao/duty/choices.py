from django.db import models
from django.utils.translation import gettext_lazy as _


class PostLevel(models.TextChoices):
    """岗位层级 (domain.md §5)."""

    PRINCIPAL = "principal", _("主要负责人")
    DEPUTY = "deputy", _("分管负责人")
    SAFETY_BODY = "safety_body", _("安全管理机构")
    DEPARTMENT_HEAD = "department_head", _("部门负责人")
    TEAM_LEADER = "team_leader", _("班组长")
    EMPLOYEE = "employee", _("岗位员工")
    CONTRACTOR = "contractor", _("相关方")


class CertificateKind(models.TextChoices):
    PRINCIPAL_ASSESSMENT = "principal_assessment", _("主要负责人安全生产知识和管理能力考核合格")
    SAFETY_MANAGER_ASSESSMENT = "safety_manager_assessment", _("安全生产管理人员考核合格")
    SPECIAL_OPERATION = "special_operation", _("特种作业操作证")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备作业人员证")
    OTHER = "other", _("其他")


class Employment(models.TextChoices):
    FULL_TIME = "full_time", _("专职")
    PART_TIME = "part_time", _("兼职")


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    EFFECTIVE = "effective", _("生效")
    SUPERSEDED = "superseded", _("已被新版本替代")


class Outcome(models.TextChoices):
    NONE = "none", _("不奖不罚")
    REWARD = "reward", _("奖励")
    PENALTY = "penalty", _("处罚")


class MemberRole(models.TextChoices):
    LEADER = "leader", _("队长")
    DEPUTY = "deputy", _("副队长")
    MEMBER = "member", _("队员")
