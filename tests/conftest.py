import pytest

from tests.browser import browser, new_page  # noqa: F401  (fixtures for the browser journeys)


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker):
    """The demo system (county, 8 units, ~120 enterprises, every module's records), built once."""
    from django.core.management import call_command

    from tests.demo_snapshot import build_snapshot

    with django_db_blocker.unblock():
        snapshot = build_snapshot()
        call_command("flush", interactive=False, verbosity=0)
    return snapshot


@pytest.fixture
def demo(transactional_db, _demo_snapshot):
    """The demo system, restored from the session's snapshot before the test (the test's writes are
    flushed afterwards, as in every transactional test)."""
    _demo_snapshot.restore()
