import pytest


@pytest.fixture(autouse=True)
def _reference_data(db):
    """Every module's seeded reference data (a transactional test elsewhere may have flushed it)."""
    from django.core.cache import cache

    from anbiao.core import registry

    for seed in registry.hooks("seed"):
        seed()
    cache.clear()


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch):
    from anbiao.core import storage

    monkeypatch.setattr(storage.os, "fsync", lambda fd: None)


@pytest.fixture
def records(world):
    from anbiao.dashboards.tests.builders import build

    return build(world)
