from django.urls import reverse

from anbiao.core import notifications, registry
from anbiao.core.middleware import get_scope
from anbiao.core.registry import MenuItem

MENU = [
    MenuItem("home", "首页", None),
    MenuItem("orgs:enterprise_list", "企业名录", "enterprise.view"),
    MenuItem("orgs:organization_tree", "单位", "org.view", "系统管理"),
    MenuItem("accounts:user_list", "用户", "user.view", "系统管理"),
    MenuItem("core:audit_list", "审计日志", "audit.view", "系统管理"),
    MenuItem("orgs:catalogue", "基础数据", "org.view", "系统管理", {"kind": "industries"}),
]


def navigation(request):
    """The menu the user's roles open, grouped into dropdowns, and their unread notification count."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    scope = get_scope(request)
    items = [*MENU[:2], *(i for extra in registry.hooks("MENU") for i in extra), *MENU[2:]]
    current = getattr(request.resolver_match, "view_name", "")
    menu: list[dict] = []
    groups: dict[str, dict] = {}
    for item in items:
        if item.perm is not None and not scope.has_perm(item.perm):
            continue
        link = {"url": reverse(item.url_name, kwargs=item.kwargs), "label": item.label}
        link["active"] = current == item.url_name
        if item.group is None:
            menu.append(link)
            continue
        if item.group not in groups:
            groups[item.group] = {"label": item.group, "children": [], "active": False}
            menu.append(groups[item.group])
        groups[item.group]["children"].append(link)
        groups[item.group]["active"] |= link["active"]
    return {
        "menu": menu,
        "current_roles": sorted({g.role for g in scope.grants}),
        "scope": scope,
        "unread_notifications": notifications.unread_count(request.user),
    }
