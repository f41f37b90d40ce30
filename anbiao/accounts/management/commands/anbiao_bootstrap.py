"""First start of a production system: the top unit and its first county administrator (docs/deployment.md).

The demo data never exists in production, so someone has to be able to log in: this creates the county (or
city) unit at the top of the tree when there is none, and one county administrator there with a random
initial password, printed once, to be changed at the first login. Everything else is done in the app.
With ANBIAO_SEPARATION_OF_DUTIES the command is run once more with ``--role security_admin`` and
``--role audit_admin`` for the other two powers; after that the 安全管理员 grants administrator roles.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from anbiao.accounts import services
from anbiao.core.commands import command_context
from anbiao.core.roles import OVERSIGHT_ROLES, Role, separated
from anbiao.core.scope import Scope, system_scope
from anbiao.orgs import services as org_services
from anbiao.orgs.choices import OrgKind
from anbiao.orgs.models import Organization


class Command(BaseCommand):
    help = "Create the top unit (if there is none) and its first county administrator; prints the password."

    def add_arguments(self, parser):
        parser.add_argument("--unit-name", required=True, help="e.g. 惠安县供销合作社联合社")
        parser.add_argument("--unit-code", required=True, help="short code of the unit, e.g. HA")
        parser.add_argument("--kind", default=OrgKind.COUNTY, choices=[OrgKind.COUNTY, OrgKind.CITY])
        parser.add_argument("--username", required=True, help="login of the first county administrator")
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--phone", default="")
        parser.add_argument(
            "--role",
            default=Role.COUNTY_ADMIN,
            choices=[Role.COUNTY_ADMIN, *sorted(OVERSIGHT_ROLES)],
            help="security_admin / audit_admin: only with ANBIAO_SEPARATION_OF_DUTIES (三权分立)",
        )

    def handle(self, *args, **o):
        roots = list(Organization.objects.filter(parent__isnull=True))
        if len(roots) > 1 or (roots and roots[0].code != o["unit_code"]):
            raise CommandError("已有顶级单位且编码不同；初始化只能在空系统上进行，或使用相同的单位编码。")
        if o["role"] in OVERSIGHT_ROLES and not separated():
            raise CommandError(
                "安全管理员和审计管理员只在三权分立开启时使用（ANBIAO_SEPARATION_OF_DUTIES=1）。"
            )
        # The system itself grants the first administrators: as the 安全管理员 when the powers are separated.
        granter = Role.SECURITY_ADMIN if separated() else Role.COUNTY_ADMIN
        try:
            with command_context("anbiao_bootstrap"), transaction.atomic():
                root = roots[0] if roots else None
                if root is None:
                    root = org_services.organization_create(
                        actor=None,
                        scope=Scope(user=None),
                        parent=None,
                        kind=o["kind"],
                        name=o["unit_name"],
                        code=o["unit_code"],
                    )
                user, password = services.user_create(
                    actor=None,
                    scope=system_scope(root.path, role=granter),
                    username=o["username"],
                    full_name=o["full_name"],
                    phone=o["phone"],
                    role=o["role"],
                    organization=root,
                )
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stdout.write(
            f"顶级单位：{root.name}（{root.code}）\n"
            f"{Role(o['role']).label}：{user.username}  初始密码：{password}\n"
            "请把初始密码当面交给本人；首次登录须修改密码。"
        )
