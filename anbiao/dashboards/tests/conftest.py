import pytest


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Every module's seeded reference data (a transactional test elsewhere may have flushed it)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch):
    from anbiao.core import storage

    monkeypatch.setattr(storage.os, "fsync", lambda fd: None)


@pytest.fixture
def records(world):
    from anbiao.dashboards.tests.builders import build

    return build(world)
