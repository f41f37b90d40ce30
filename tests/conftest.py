import io

import pytest

from tests.browser import browser, new_page  # noqa: F401  (fixtures for the browser journeys)


@pytest.fixture
def demo(transactional_db):
    """The demo system (county, 8 units, ~120 enterprises, one user per role), loaded per test.

    A transactional test ends with a flush, which also removes the seeded industries and townships;
    the demo command seeds them again when they are missing.
    """
    from django.core.management import call_command

    call_command("anbiao_demo", stdout=io.StringIO())
