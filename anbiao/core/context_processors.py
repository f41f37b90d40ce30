from django.urls import reverse

from anbiao.core.middleware import get_scope

MENU = [
    ("home", "首页", None),
    ("orgs:organization_tree", "单位", "org.view"),
    ("orgs:enterprise_list", "企业名录", "enterprise.view"),
    ("accounts:user_list", "用户", "user.view"),
    ("core:audit_list", "审计日志", "audit.view"),
    ("orgs:catalogue", "基础数据", "org.view"),
]


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    scope = get_scope(request)
    return {
        "menu": [
            (_url(name), name, label) for name, label, perm in MENU if perm is None or scope.has_perm(perm)
        ],
        "current_roles": sorted({g.role for g in scope.grants}),
        "scope": scope,
    }


def _url(name: str) -> str:
    return reverse(name, kwargs={"kind": "industries"}) if name == "orgs:catalogue" else reverse(name)
