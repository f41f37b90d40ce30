"""Writes for users, memberships and assignments."""

from __future__ import annotations

import datetime
import secrets
import string

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anbiao.accounts import passwords
from anbiao.accounts.models import Assignment, Membership, User
from anbiao.core import audit
from anbiao.core.roles import (
    ASSIGNED_ROLES,
    DUTY_LABELS,
    ENTERPRISE_ROLES,
    PRIVILEGED_ROLES,
    Role,
    duty_conflict,
    duty_of,
    grantable,
)
from anbiao.core.scope import Scope
from anbiao.orgs.models import Enterprise, Organization

USER_FIELDS = ["username", "full_name", "phone", "email", "is_active", "must_change_password"]


def may_grant(scope: Scope, role: str, place: Organization | Enterprise) -> bool:
    """A role may be granted by an admin whose own role allows it, at a place inside that admin's subtree."""
    for grant in scope.grants_with("user.manage"):
        if role not in grantable(grant.role) or not grant.org_path:
            continue
        path = place.path if isinstance(place, Organization) else place.unit.path
        if path.startswith(grant.org_path):
            return True
    return False


def grantable_roles(scope: Scope) -> list[tuple[str, str]]:
    allowed = set().union(*(grantable(g.role) for g in scope.grants_with("user.manage")))
    return [(r.value, r.label) for r in Role if r.value in allowed]


def _membership_place(role: str, organization, enterprise):
    if role in ENTERPRISE_ROLES:
        if enterprise is None:
            raise ValidationError({"enterprise": "企业角色须选择企业。"})
        return None, enterprise
    if organization is None:
        raise ValidationError({"organization": "该角色须选择单位。"})
    return organization, None


def generate_password() -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        core = "".join(secrets.choice(alphabet) for _ in range(10))
        candidate = f"{core}#{secrets.randbelow(90) + 10}"
        if any(c.islower() for c in core) and any(c.isupper() for c in core):
            return candidate


@transaction.atomic
def user_create(
    *,
    actor,
    scope: Scope,
    username: str,
    full_name: str,
    phone: str = "",
    role: str,
    organization: Organization | None = None,
    enterprise: Enterprise | None = None,
    password: str | None = None,
) -> tuple[User, str]:
    """Create a user with one membership. Returns the user and the initial password (to hand over once)."""
    organization, enterprise = _membership_place(role, organization, enterprise)
    if not may_grant(scope, role, organization or enterprise):
        raise PermissionDenied("只能在本单位及下级单位内创建用户，且只能授予您有权授予的角色。")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "该用户名已被使用。"})
    user = User(username=username, full_name=full_name, phone=phone, must_change_password=True)
    password = password or generate_password()
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    passwords.remember(user)
    membership = Membership(
        user=user, role=role, organization=organization, enterprise=enterprise, created_by=actor
    )
    membership.full_clean()
    membership.save()
    place = organization or enterprise
    audit.record(
        actor=actor,
        action="accounts.user_create",
        obj=user,
        org_path=_path_of(place),
        enterprise_id=enterprise.pk if enterprise else None,
        after=audit.snapshot(user, USER_FIELDS) | {"role": role, "place": str(place)},
    )
    return user, password


def _path_of(place) -> str:
    return place.path if isinstance(place, Organization) else place.unit.path


def may_manage(scope: Scope, user: User, perm: str = "user.manage") -> bool:
    """``perm`` on another user of the subtree (``user.manage``: profile and roles; ``account.secure``:
    unlock, password and 动态口令 reset), and the right to grant every administrator role they hold: with
    the separation of duties only the 安全管理员 looks after administrators' accounts."""
    if user == scope.user or not User.objects.visible_to(scope, perm).filter(pk=user.pk).exists():
        return False
    return _grants_all_held(scope, user, perm)


def _grants_all_held(scope: Scope, user: User, perm: str) -> bool:
    allowed = set().union(*(grantable(g.role) for g in scope.grants_with(perm)))
    held = (
        Membership.objects.active()
        .filter(user=user, role__in=PRIVILEGED_ROLES)
        .values_list("role", flat=True)
    )
    return set(held) <= allowed


def _require_manage(scope: Scope, user: User, perm: str = "user.manage") -> None:
    if not may_manage(scope, user, perm):
        raise PermissionDenied("没有权限管理该用户。")


def _audit_path(user: User) -> tuple[str, int | None]:
    m = user.memberships.select_related("organization", "enterprise__unit").first()
    if m is None:
        return "", None
    return _path_of(m.place), m.enterprise_id


@transaction.atomic
def user_update(*, actor, scope: Scope, user: User, **fields) -> User:
    _require_manage(scope, user)
    before = audit.snapshot(user, USER_FIELDS)
    for name, value in fields.items():
        if name not in {"full_name", "phone", "email", "is_active"}:
            raise ValidationError(f"不能修改字段 {name}。")
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    path, ent = _audit_path(user)
    audit.record(
        actor=actor,
        action="accounts.user_update",
        obj=user,
        org_path=path,
        enterprise_id=ent,
        before=before,
        after=audit.snapshot(user, USER_FIELDS),
    )
    return user


@transaction.atomic
def user_reset_password(*, actor, scope: Scope, user: User, password: str | None = None) -> str:
    """A new initial password (generated unless given), to be changed at the next login.

    A given password goes through every validator, the history included (none of the last
    ``ANBIAO_PASSWORD_HISTORY`` passwords); a generated one too.
    """
    _require_manage(scope, user, "account.secure")
    password = password or generate_password()
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    passwords.remember(user)
    axes_reset(username=user.username)
    path, ent = _audit_path(user)
    audit.record(
        actor=actor, action="accounts.user_reset_password", obj=user, org_path=path, enterprise_id=ent
    )
    return password


@transaction.atomic
def users_disable_dormant(
    *, actor=None, now: datetime.datetime | None = None, days: int
) -> tuple[list[User], list[tuple[User, str]]]:
    """Disable every account unused for more than ``days`` days (等保 7.1.4.2c 及时删除或停用多余的、过期的
    账户), one audit event each; their sessions end at their next request. Run daily by
    ``manage.py anbiao_disable_dormant``; an administrator re-enables an account on its edit page. The last
    active county administrator (and 安全管理员 with 三权分立) is kept (``selectors.dormant_to_disable``);
    those kept are returned second."""
    from anbiao.accounts.selectors import dormant_to_disable

    now = now or timezone.now()
    users, kept = dormant_to_disable(now=now, days=days, lock=True)
    for user in users:
        User.objects.filter(pk=user.pk).update(is_active=False)
        path, ent = _audit_path(user)
        audit.record(
            actor=actor,
            action="accounts.user_disable_dormant",
            obj=user,
            org_path=path,
            enterprise_id=ent,
            before={"is_active": True},
            after={
                "is_active": False,
                "last_login": user.last_login,
                "date_joined": user.date_joined,
                "dormant_days": days,
            },
        )
        user.is_active = False
    return users, kept


@transaction.atomic
def user_unlock(*, actor, scope: Scope, user: User) -> None:
    _require_manage(scope, user, "account.secure")
    axes_reset(username=user.username)
    path, ent = _audit_path(user)
    audit.record(actor=actor, action="accounts.user_unlock", obj=user, org_path=path, enterprise_id=ent)


@transaction.atomic
def user_otp_reset(*, actor, scope: Scope, user: User) -> None:
    """Remove the user's TOTP device (lost phone); they enrol again at their next login."""
    from anbiao.accounts import mfa

    _require_manage(scope, user, "account.secure")
    mfa.reset(actor=actor, user=user)


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    """The user's own change (first login, an expired password, or voluntary); never one of the last
    ``ANBIAO_PASSWORD_HISTORY`` passwords (``passwords.PasswordHistoryValidator``)."""
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    passwords.remember(user)
    path, ent = _audit_path(user)
    audit.record(actor=user, action="accounts.password_change", obj=user, org_path=path, enterprise_id=ent)


@transaction.atomic
def membership_add(
    *,
    actor,
    scope: Scope,
    user: User,
    role: str,
    organization=None,
    enterprise=None,
    valid_from: datetime.date | None = None,
) -> Membership:
    organization, enterprise = _membership_place(role, organization, enterprise)
    if not may_grant(scope, role, organization or enterprise):
        raise PermissionDenied("只能在本单位及下级单位内授予您有权授予的角色。")
    if user == scope.user:
        raise PermissionDenied("不能给自己授予角色。")
    if not _grants_all_held(scope, user, "user.manage"):
        raise PermissionDenied("该用户持有您无权授予的管理角色，您不能为其添加角色。")
    held = set(Membership.objects.active().filter(user=user).values_list("role", flat=True))
    if conflict := duty_conflict(held, role):
        raise ValidationError(
            {"role": f"三权分立：该用户已是{DUTY_LABELS[conflict]}，不能再兼任{DUTY_LABELS[duty_of(role)]}。"}
        )
    m = Membership(
        user=user,
        role=role,
        organization=organization,
        enterprise=enterprise,
        valid_from=valid_from or timezone.localdate(),
        created_by=actor,
    )
    m.full_clean()
    m.save()
    audit.record(
        actor=actor,
        action="accounts.membership_add",
        obj=m,
        org_path=_path_of(m.place),
        enterprise_id=m.enterprise_id,
        after=audit.snapshot(m),
    )
    return m


@transaction.atomic
def membership_end(
    *, actor, scope: Scope, membership: Membership, on: datetime.date | None = None
) -> Membership:
    if not may_grant(scope, membership.role, membership.place):
        raise PermissionDenied("没有权限结束该任职。")
    on = on or timezone.localdate()
    if membership.valid_to is not None:
        raise ValidationError("该任职已结束。")
    membership_before = audit.snapshot(membership)
    membership.valid_to = max(
        on, membership.valid_from
    )  # [from, to): ending on the first day leaves it empty
    membership.save(update_fields=["valid_to"])
    audit.record(
        actor=actor,
        action="accounts.membership_end",
        obj=membership,
        org_path=_path_of(membership.place),
        enterprise_id=membership.enterprise_id,
        before=membership_before,
        after=audit.snapshot(membership),
    )
    return membership


@transaction.atomic
def assignment_add(*, actor, scope: Scope, user: User, enterprise: Enterprise) -> Assignment:
    if not scope.can("assignment.manage", enterprise):
        raise PermissionDenied("只能为本单位及下级单位的企业分配包联人员。")
    roles = set(
        Membership.objects.active().filter(user=user, role__in=ASSIGNED_ROLES).values_list("role", flat=True)
    )
    if not roles:
        raise ValidationError({"user": "只能分配网格员或专家。"})
    role = sorted(roles)[0] if len(roles) == 1 else Role.INSPECTOR
    if Assignment.objects.active().filter(user=user, enterprise=enterprise).exists():
        raise ValidationError({"user": "该人员已分配到此企业。"})
    a = Assignment.objects.create(user=user, enterprise=enterprise, role=role, assigned_by=actor)
    audit.record(
        actor=actor,
        action="accounts.assignment_add",
        obj=a,
        org_path=enterprise.unit.path,
        enterprise_id=enterprise.pk,
        after=audit.snapshot(a),
    )
    return a


@transaction.atomic
def assignment_end(*, actor, scope: Scope, assignment: Assignment) -> Assignment:
    if not scope.can("assignment.manage", assignment.enterprise):
        raise PermissionDenied("没有权限结束该分配。")
    today = timezone.localdate()
    before = audit.snapshot(assignment)
    assignment.valid_to = max(today, assignment.valid_from)
    assignment.save(update_fields=["valid_to"])
    audit.record(
        actor=actor,
        action="accounts.assignment_end",
        obj=assignment,
        org_path=assignment.enterprise.unit.path,
        enterprise_id=assignment.enterprise_id,
        before=before,
        after=audit.snapshot(assignment),
    )
    return assignment
