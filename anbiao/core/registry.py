"""What each domain app adds to the kernel, collected from its ``hooks.py`` (and ``testing.py`` in tests).

A domain app (``anbiao.<app>``) may define in ``hooks.py``, all optional:

- ``PERMISSIONS``: ``{role: {"perm", ...}}`` added to the role table in ``core/roles.py``;
- ``MENU``: ``[MenuItem(...)]`` shown in the navigation to users holding the item's permission;
- ``ACTION_LABELS``: ``{"app.verb": "中文"}`` for the audit log;
- ``todos(user, scope) -> list[(text, url)]``: lines for the home page;
- ``reminders(today) -> Iterable[Reminder]``: collected daily by ``manage.py anbiao_remind``;
- ``enterprise_links(enterprise, scope) -> list[(label, url, note)]``: the enterprise's records in the app,
  shown on the enterprise page as its safety file (安全档案), only what the user may open;
- ``demo_finish(ctx)``: runs after every app's ``demo`` (e.g. grades computed from everyone's records);
- ``on_facts_changed(enterprise_ids)``: called after a write that changes an app's ``FACTS`` commits (an
  accident, a major hazard …), so rules that read them (the overall 四色 grade) follow at once;
- ``seed()``: (re)creates the app's reference data if missing (idempotent); run by the demo command before
  ``demo`` hooks, because a test database flush removes what data migrations seeded;
- ``demo(ctx)``: builds the app's part of the demo data (``ctx`` is a ``DemoContext``), in app order;
- ``FACTS`` (``{"fact_name": "中文说明"}``) and ``enterprise_facts(enterprise_ids, as_of)`` returning
  ``{id: {name: number}}``: numbers about enterprises (open major hazards, accidents in the last 12
  months, red risk points …) that data-driven rules in other apps (the overall 四色 grade, star
  suggestions) read by name without importing the app that owns the records.

Its ``urls.py`` is mounted at the site root when it has ``urlpatterns``; its ``api.py`` ``register(router)``
adds viewsets to ``/api/v1/``. Its ``testing.py`` may define ``PAIRS = {Model: builder(world)}`` for the
scope matrix (``World.in_a_and_b``).
"""

from __future__ import annotations

import datetime
import importlib
import threading
from dataclasses import dataclass, field
from types import ModuleType

from django.apps import apps


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: str
    perm: str | None
    group: str | None = None  # items of one group share a dropdown
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Reminder:
    """One notification for one user; ``key`` makes reruns idempotent (one row per user and key)."""

    user_id: int
    key: str
    title: str
    url: str = ""
    level: str = "info"  # info / warning / danger
    enterprise_id: int | None = None
    due: datetime.date | None = None


def domain_app_names() -> list[str]:
    return [c.name for c in apps.get_app_configs() if c.name.startswith("anbiao.")]


def app_modules(module: str) -> list[ModuleType]:
    """``anbiao.<app>.<module>`` for every installed anbiao app that has one, in INSTALLED_APPS order."""
    found = []
    for name in domain_app_names():
        try:
            found.append(importlib.import_module(f"{name}.{module}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{name}.{module}":
                raise
    return found


def hooks(attribute: str) -> list:
    """The ``attribute`` of every app's ``hooks.py`` that defines it."""
    return [getattr(m, attribute) for m in app_modules("hooks") if hasattr(m, attribute)]


def fact_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for facts in hooks("FACTS"):
        labels.update(facts)
    return labels


def enterprise_facts(enterprise_ids, as_of: datetime.date) -> dict[int, dict[str, float]]:
    """Every app's facts about these enterprises on ``as_of``; a fact an app does not report is 0."""
    ids = list(enterprise_ids)
    merged: dict[int, dict[str, float]] = {pk: dict.fromkeys(fact_labels(), 0) for pk in ids}
    for provider in hooks("enterprise_facts"):
        for pk, facts in provider(ids, as_of).items():
            if pk in merged:
                merged[pk].update(facts)
    return merged


def enterprise_links(enterprise, scope) -> list[tuple[str, str, str]]:
    links: list[tuple[str, str, str]] = []
    for provider in hooks("enterprise_links"):
        links.extend(provider(enterprise, scope))
    return links


_pending = threading.local()


def facts_changed(enterprise_ids) -> None:
    """Tell the apps whose rules read enterprise facts which enterprises' facts changed, after commit.

    Calls within one transaction are gathered into one callback, so a bulk write (an import, the demo)
    recomputes each enterprise once; a rolled-back transaction takes its callback (and ids) with it.
    """
    from django.db import transaction

    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _notify(sorted(set(enterprise_ids)))
        return
    callback = getattr(_pending, "callback", None)
    if callback is None or not any(entry[1] is callback for entry in connection.run_on_commit):
        ids: set[int] = set()

        def callback():
            _pending.callback = None
            _notify(sorted(ids))

        callback.ids = ids
        _pending.callback = callback
        transaction.on_commit(callback)
    callback.ids.update(enterprise_ids)


def _notify(ids: list[int]) -> None:
    if ids:
        for handler in hooks("on_facts_changed"):
            handler(ids)
