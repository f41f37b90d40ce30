"""Test helpers shared by every app: the persona world and the URL recorder."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from anbiao.core.roles import Role
from anbiao.core.scope import Grant, Scope, SystemActor

REQUESTED_URL_NAMES: set[str] = set()
PASSWORD = "Test#Passw0rd"


class UrlRecorderMiddleware:
    """Test-only: remember which URL names the suite has requested."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name:
            REQUESTED_URL_NAMES.add(match.view_name)
        return response


def system_scope(root) -> Scope:
    return Scope(user=SystemActor(), grants=[Grant(role=Role.COUNTY_ADMIN, org_path=root.path)])


def png_bytes(size=(8, 8), color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


@dataclass
class World:
    """County → units A (with child A1) and B; enterprises in each; one user per role."""

    county: object = None
    unit_a: object = None
    unit_a1: object = None
    unit_b: object = None
    ent_a: object = None
    ent_a1: object = None
    ent_b: object = None
    users: dict = field(default_factory=dict)
    file_a: object = None
    file_b: object = None

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)

    def in_a_and_b(self, model):
        """An object of ``model`` visible to unit A's admin and one only unit B's side may see."""
        from anbiao.accounts.models import Assignment, Membership, User
        from anbiao.core.models import AuditEvent, EvidenceFile
        from anbiao.orgs.models import Enterprise, EnterpriseState, Organization

        pairs = {
            Organization: (self.unit_a1, self.unit_b),
            Enterprise: (self.ent_a, self.ent_b),
            EnterpriseState: (self.ent_a.states.first(), self.ent_b.states.first()),
            EvidenceFile: (self.file_a, self.file_b),
            User: (self.principal_a, self.admin_b),
            Membership: (self.principal_a.memberships.first(), self.admin_b.memberships.first()),
            Assignment: (
                Assignment.objects.get(enterprise=self.ent_a1),
                Assignment.objects.get(enterprise=self.ent_b),
            ),
            AuditEvent: (
                AuditEvent.objects.filter(enterprise_id=self.ent_a.pk).first(),
                AuditEvent.objects.filter(enterprise_id=self.ent_b.pk).first(),
            ),
        }
        if model in pairs:
            return pairs[model]
        from anbiao.core.registry import app_modules

        for module in app_modules("testing"):
            builder = getattr(module, "PAIRS", {}).get(model)
            if builder is not None:
                return builder(self)
        raise KeyError(f"{model.__name__}: add a builder to PAIRS in its app's testing.py")


def build_world() -> World:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anbiao.accounts.models import Assignment, Membership, User
    from anbiao.core import files
    from anbiao.orgs import services
    from anbiao.orgs.choices import OrgKind
    from anbiao.orgs.tests.factories import enterprise_data

    w = World()
    w.county = services.organization_create(
        actor=None, scope=Scope(user=None), parent=None, kind=OrgKind.COUNTY, name="测试县供销社", code="T"
    )
    root = system_scope(w.county)
    w.unit_a = services.organization_create(
        actor=None, scope=root, parent=w.county, kind=OrgKind.GRASSROOTS, name="甲供销社", code="TA"
    )
    w.unit_a1 = services.organization_create(
        actor=None, scope=root, parent=w.unit_a, kind=OrgKind.CENTRE, name="甲供销社服务中心", code="TA1"
    )
    w.unit_b = services.organization_create(
        actor=None, scope=root, parent=w.county, kind=OrgKind.GRASSROOTS, name="乙供销社", code="TB"
    )
    start = datetime.date(2024, 1, 1)
    w.ent_a = services.enterprise_create(
        actor=None, scope=root, data=enterprise_data(unit=w.unit_a, name="甲一超市", registered_on=start)
    )
    w.ent_a1 = services.enterprise_create(
        actor=None, scope=root, data=enterprise_data(unit=w.unit_a1, name="甲二仓储", registered_on=start)
    )
    w.ent_b = services.enterprise_create(
        actor=None, scope=root, data=enterprise_data(unit=w.unit_b, name="乙一加油站", registered_on=start)
    )
    plan = {
        "county_admin": (Role.COUNTY_ADMIN, w.county, None),
        "leader": (Role.LEADER, w.county, None),
        "admin_a": (Role.UNIT_ADMIN, w.unit_a, None),
        "admin_b": (Role.UNIT_ADMIN, w.unit_b, None),
        "principal_a": (Role.ENT_PRINCIPAL, None, w.ent_a),
        "safety_a": (Role.ENT_SAFETY, None, w.ent_a),
        "principal_b": (Role.ENT_PRINCIPAL, None, w.ent_b),
        "inspector": (Role.INSPECTOR, w.unit_a, None),
        "expert": (Role.EXPERT, w.county, None),
    }
    for username, (role, org, ent) in plan.items():
        user = User.objects.create_user(username=username, password=PASSWORD, full_name=username)
        Membership.objects.create(user=user, role=role, organization=org, enterprise=ent, valid_from=start)
        w.users[username] = user
    Assignment.objects.create(
        user=w.users["inspector"], enterprise=w.ent_a1, role=Role.INSPECTOR, valid_from=start
    )
    Assignment.objects.create(user=w.users["expert"], enterprise=w.ent_b, role=Role.EXPERT, valid_from=start)
    w.file_a = files.store(
        actor=None, upload=SimpleUploadedFile("licence-a.png", png_bytes()), enterprise=w.ent_a, owner=w.ent_a
    )
    w.file_b = files.store(
        actor=None, upload=SimpleUploadedFile("licence-b.png", png_bytes()), enterprise=w.ent_b, owner=w.ent_b
    )
    return w
