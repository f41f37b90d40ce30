"""Per-request context (who, from where, which request) for the audit trail."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    request_id: str = ""
    source: str = "web"


_current: ContextVar[RequestContext] = ContextVar("anbiao_request_context", default=RequestContext(source="system"))


def current() -> RequestContext:
    return _current.get()


def set_context(ctx: RequestContext):
    return _current.set(ctx)


def reset_context(token) -> None:
    _current.reset(token)
