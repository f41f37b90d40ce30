from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    CITY = "city", _("市级联合社")
    COUNTY = "county", _("县级联合社")
    GRASSROOTS = "grassroots", _("基层社")
    COMPANY = "company", _("公司")
    CENTRE = "centre", _("中心")
    OTHER = "other", _("其他")


class SizeClass(models.TextChoices):
    """企业规模: the notice's 企业底数 columns (规上企业 / 中等企业 / 小微企业)."""

    ABOVE_SCALE = "above_scale", _("规上企业")
    MEDIUM = "medium", _("中等企业")
    SMALL = "small", _("小微企业")


class Status(models.TextChoices):
    OPERATING = "operating", _("在营")
    SUSPENDED = "suspended", _("停业")
    CLOSED = "closed", _("注销")


class NineSmallKind(models.TextChoices):
    """九小场所 (Fujian fire-safety usage)."""

    SCHOOL = "school", _("小学校或幼儿园")
    CLINIC = "clinic", _("小医院")
    SHOP = "shop", _("小商店")
    RESTAURANT = "restaurant", _("小餐饮")
    HOTEL = "hotel", _("小旅馆")
    ENTERTAINMENT = "entertainment", _("小歌舞娱乐场所")
    NETBAR = "netbar", _("小网吧")
    BEAUTY = "beauty", _("小美容洗浴场所")
    WORKSHOP = "workshop", _("小生产加工企业")
