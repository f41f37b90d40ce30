import os

os.environ.setdefault("ANBIAO_TESTING", "1")

import pytest
from _pytest.config import Config
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Property tests judge behaviour, not speed: a loaded CI machine must not fail them on timing.
hypothesis_settings.register_profile(
    "anbiao", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
hypothesis_settings.load_profile("anbiao")

URL_TEST = "test_every_named_url_is_requested_by_some_test"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reference_data(db):
    """The reference data the migrations seed (industries, townships, every module's catalogues), put back:
    a transactional test's flush removes it for the transactional tests after it."""
    from anbiao.orgs.reference import seed_everything

    seed_everything()


@pytest.fixture
def world(request, db):
    from anbiao.core.testing import build_world

    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("reference_data")
    return build_world()


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def _full_run(config) -> bool:
    return (
        config.args_source == Config.ArgsSource.TESTPATHS
        and not config.option.keyword
        and not config.option.markexpr
    )


def pytest_collection_modifyitems(config, items):
    """The URL-coverage test runs last, and only when the whole suite runs (a partial run cannot judge it)."""
    last = [i for i in items if i.name == URL_TEST]
    rest = [i for i in items if i.name != URL_TEST]
    if last and not _full_run(config):
        config.hook.pytest_deselected(items=last)
        last = []
    items[:] = rest + last
