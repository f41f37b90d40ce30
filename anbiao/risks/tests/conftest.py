import pytest


@pytest.fixture(autouse=True)
def _catalogue(db):
    """The seeded catalogue (a transactional test elsewhere may have flushed the migration's rows)."""
    from anbiao.risks.selectors import ensure_catalogue

    ensure_catalogue()
