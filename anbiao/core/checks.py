"""System checks of the kernel. ``durability``: ``manage.py check --database default`` (security.md G1)."""

from django.core.checks import Tags, Warning, register
from django.db import connections

from anbiao.core import durability


@register(Tags.database)
def durability_settings(app_configs=None, databases=None, **kwargs):
    """A warning for each durability setting of the database that is not as expected (G1).

    Database checks run only when asked for (``check --database default``, and ``migrate``); an in-memory
    SQLite database (the test suite's) is not durable by design and is skipped.
    """
    issues = []
    for alias in databases or ():
        connection = connections[alias]
        if durability.in_memory(connection):
            continue
        for v in durability.check(connection):
            if not v.ok:
                issues.append(
                    Warning(
                        f"数据库 {alias} 的 {v.name} 为 {v.value}，应为 {v.expected}。",
                        hint="见 docs/deployment.md：PostgreSQL 保持默认设置，SQLite 的选项在 settings.py。",
                        id="anbiao.W001",
                    )
                )
    return issues
