import pytest


@pytest.fixture(autouse=True)
def _hazard_reference_data(db):
    """The seeded 判定标准 (a transactional test elsewhere may have flushed the migration's rows) and an
    empty cache (the public report form counts posts per address in it)."""
    from django.core.cache import cache

    from anbiao.hazards import hooks

    hooks.seed()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch):
    """Evidence files go to a per-test tmp MEDIA_ROOT; fsync there only costs time (durability is the
    storage's own concern, tested in core)."""
    from anbiao.core import storage

    monkeypatch.setattr(storage.os, "fsync", lambda fd: None)


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    def _client(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _client
