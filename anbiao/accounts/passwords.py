"""Password rules beyond Django's validators: character classes, history, maximum age (security.md A2, A3)."""

import datetime
import string

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least ``min_classes`` of: lower case, upper case, digits, symbols (等保 2.0 复杂度要求)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    @staticmethod
    def classes(password: str) -> int:
        return sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(c in string.punctuation or not c.isalnum() for c in password),
            ]
        )

    def validate(self, password, user=None):
        if self.classes(password) < self.min_classes:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、符号中的至少 %(n)d 类。") % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("密码须包含小写字母、大写字母、数字、符号中的至少 %(n)d 类。") % {"n": self.min_classes}


# --- history ------------------------------------------------------------------------------------------
def recent_hashes(user) -> list[str]:
    """The hashes of the user's last ``ANBIAO_PASSWORD_HISTORY`` passwords, the current one first.

    The current hash is read from the database (not from ``user``, which a caller may already have changed
    with ``set_password``), so accounts whose password was set outside the services are covered too.
    """
    from anbiao.accounts.models import PasswordHistory, User

    keep = settings.ANBIAO_PASSWORD_HISTORY
    if keep <= 0 or user is None or user.pk is None:
        return []
    current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first() or ""
    older = PasswordHistory.objects.filter(user_id=user.pk).order_by("-created_at", "-id")
    hashes = [current] if current else []
    hashes += [h for h in older.values_list("password", flat=True)[:keep] if h != current]
    return hashes[:keep]


class PasswordHistoryValidator:
    """A new password may not be one of the last ``ANBIAO_PASSWORD_HISTORY`` (default 5, the current one
    included). Read at validation time, so the setting can change without a restart of the validators."""

    def validate(self, password, user=None):
        n = settings.ANBIAO_PASSWORD_HISTORY
        for encoded in recent_hashes(user):
            if check_password(password, encoded):
                raise ValidationError(
                    _("新密码不能与最近 %(n)d 次使用过的密码相同，请换一个新密码。") % {"n": n},
                    code="password_reused",
                )

    def get_help_text(self):
        n = settings.ANBIAO_PASSWORD_HISTORY
        return _("不能与最近 %(n)d 次使用过的密码相同。") % {"n": n} if n > 0 else ""


def remember(user) -> None:
    """Keep the user's (just saved) password hash in the history, and only the newest N rows."""
    from anbiao.accounts.models import PasswordHistory

    keep = settings.ANBIAO_PASSWORD_HISTORY
    if user.has_usable_password() and keep > 0:
        PasswordHistory.objects.create(user=user, password=user.password)
    stale = list(
        PasswordHistory.objects.filter(user=user)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)[max(keep, 0) :]
    )
    if stale:
        PasswordHistory.objects.filter(id__in=stale).delete()


# --- maximum age --------------------------------------------------------------------------------------
def password_set_at(user) -> datetime.datetime | None:
    """When the current password was set: its last change, or the account's creation if never changed."""
    return user.password_changed_at or user.date_joined


def password_expired(user, *, now: datetime.datetime | None = None) -> bool:
    """Older than ``ANBIAO_PASSWORD_MAX_AGE_DAYS`` (0: never expires, the ASVS 6.2.10 choice)."""
    days = settings.ANBIAO_PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not getattr(user, "is_authenticated", False) or not user.has_usable_password():
        return False
    since = password_set_at(user)
    return since is not None and (now or timezone.now()) - since > datetime.timedelta(days=days)


def expired_message() -> str:
    return _("您的密码已超过 %(days)d 天未修改，请先修改密码再继续使用。") % {
        "days": settings.ANBIAO_PASSWORD_MAX_AGE_DAYS
    }
