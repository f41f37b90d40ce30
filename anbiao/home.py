"""What each role should do next, on its home page, and its dashboard (``anbiao.dashboards``)."""

from django.urls import reverse

from anbiao.accounts.models import Assignment, User
from anbiao.accounts.selectors import locked_usernames
from anbiao.core import registry
from anbiao.core.scope import Scope
from anbiao.dashboards.selectors import dashboard_for
from anbiao.orgs import selectors
from anbiao.orgs.models import Enterprise, Organization


def home_context(user, scope: Scope) -> dict:
    ctx: dict = {"counts": selectors.enterprise_counts(scope=scope), "unit_count": None}
    enterprises = Enterprise.objects.visible_to(scope)
    todos: list[tuple[str, str]] = []
    if user.must_change_password:
        todos.append(("请修改初始密码。", reverse("password_change")))
    if scope.has_perm("org.view"):
        ctx["unit_count"] = Organization.objects.visible_to(scope).filter(is_active=True).count()
        ctx["user_count"] = User.objects.visible_to(scope).filter(is_active=True).count()
        ctx["places"] = list(Organization.objects.filter(path__in=scope.unit_paths).order_by("path"))
    if scope.has_perm("enterprise.manage"):
        missing = enterprises.filter(status="operating", safety_officer_phone="").count()
        if missing:
            todos.append(
                (
                    f"{missing} 家在营企业未登记安全管理员电话，请补全，以便接收整改通知。",
                    reverse("orgs:enterprise_list") + "?status=operating",
                ),
            )
        if ctx["counts"]["total"] == 0:
            todos.append(
                ("管辖范围内还没有企业：下载模板批量导入企业名录。", reverse("orgs:enterprise_import"))
            )
        no_account = enterprises.filter(status="operating").exclude(memberships__isnull=False).count()
        if no_account:
            todos.append(
                (
                    f"{no_account} 家在营企业还没有企业账号，请为其主要负责人或安全管理员开通账号。",
                    reverse("orgs:enterprise_list") + "?status=operating",
                )
            )
    if scope.has_perm("account.secure"):
        # the same rows as the list it links to (the user list's 已锁定 filter)
        locked = User.objects.visible_to(scope).filter(username__in=locked_usernames()).count()
        if locked:
            todos.append(
                (
                    f"{locked} 个账号因连续输错密码被锁定：核实是本人后可解锁。",
                    reverse("accounts:user_list") + "?locked=true",
                )
            )
    for e in enterprises.filter(pk__in=scope.enterprise_ids).select_related("unit")[:20]:
        todos.append(
            (
                f"查看并核对本企业信息：{e.name}（{e.unit.name}）",
                reverse("orgs:enterprise_detail", args=[e.pk]),
            )
        )
    assigned = Assignment.objects.active().filter(user=user).count()
    if assigned:
        todos.append((f"您包联 {assigned} 家企业，点击查看。", reverse("orgs:enterprise_list")))
    for app_todos in registry.hooks("todos"):
        todos.extend(app_todos(user, scope))
    ctx["todos"] = todos
    ctx["dashboard"] = dashboard_for(user, scope)
    return ctx
