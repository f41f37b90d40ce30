"""Every named URL of the project is requested by at least one test of the suite.

conftest.py runs this test last and only on a full run (a partial run cannot judge it).
"""

from anbiao.core.testing import REQUESTED_URL_NAMES
from tests.urlwalk import project_routes


def test_every_named_url_is_requested_by_some_test():
    names = {r.name for r in project_routes()}
    missing = sorted(names - REQUESTED_URL_NAMES)
    assert not missing, f"URLs no test requests: {missing}"
