"""Per-request context (who, from where, which request) for the audit trail."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    request_id: str = ""
    source: str = "web"


SYSTEM = RequestContext(source="system")
_current: ContextVar[RequestContext | None] = ContextVar("anbiao_request_context", default=None)


def current() -> RequestContext:
    return _current.get() or SYSTEM


def set_context(ctx: RequestContext | None):
    return _current.set(ctx)


def reset_context(token) -> None:
    _current.reset(token)
