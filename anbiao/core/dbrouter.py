"""Read replica for the heavy read-only pages (quarterly reports), enabled by ``DATABASE_REPLICA_URL``.

Settings add the ``replica`` alias and this router only when the variable is set. The router never sends a
read to the replica on its own: reads go there only inside ``replica_reads()``, which
``ReplicaReadMiddleware`` opens for GET/HEAD requests under ``ANBIAO_REPLICA_PATHS`` (the report pages and
report API), and which a command may open around a long read-only computation. Everything else — writes,
every read of a request that writes, sessions, users, lockouts, tokens and the audit trail — uses
``default``. A session that has just written reads from the primary for ``ANBIAO_REPLICA_PIN_SECONDS``,
so a unit that submits its report and is redirected to the version page sees its own submission even if
the replica lags. Migrations run on ``default`` only (the replica follows by streaming replication).
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed

REPLICA = "replica"
# Small tables read on every request or needed right after a write elsewhere: always the primary.
PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "auth", "contenttypes", "admin", "axes", "authtoken", "accounts", "core"}
)
PIN_KEY = "anbiao_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_use_replica: ContextVar[bool] = ContextVar("anbiao_use_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Reads inside this block go to the replica (when one is configured); writes still go to default."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


def reading_from_replica() -> bool:
    return _use_replica.get()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _use_replica.get() and model._meta.app_label not in PRIMARY_ONLY_APPS and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # both aliases hold the same data: objects read from either may be related
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaReadMiddleware:
    """Opens ``replica_reads()`` for safe requests to the report pages, unless the session just wrote."""

    def __init__(self, get_response):
        if not replica_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            if session is not None and getattr(request, "user", None) and request.user.is_authenticated:
                session[PIN_KEY] = time.time() + settings.ANBIAO_REPLICA_PIN_SECONDS
            return response
        pinned = session is not None and session.get(PIN_KEY, 0) > time.time()
        if pinned or not request.path.startswith(settings.ANBIAO_REPLICA_PATHS):
            return self.get_response(request)
        with replica_reads():
            return self.get_response(request)
