"""Helpers for management commands: their writes are audited as the system, source 'command'."""

from contextlib import contextmanager

from anbiao.core import context


@contextmanager
def command_context(name: str):
    token = context.set_context(context.RequestContext(source=f"command:{name}"))
    try:
        yield
    finally:
        context.reset_context(token)
