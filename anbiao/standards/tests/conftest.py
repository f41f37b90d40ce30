import pytest
from rest_framework.test import APIClient

from anbiao.core.testing import PASSWORD
from anbiao.standards.testing import records


@pytest.fixture
def recs(world):
    """(records in ent_a, records in ent_b), keyed by model."""
    return records(world)


@pytest.fixture
def api(world):
    from django.urls import reverse

    def _client(user):
        c = APIClient()
        token = c.post(reverse("api_token"), {"username": user.username, "password": PASSWORD}, format="json")
        assert token.status_code == 200, token.content
        c.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
        return c

    return _client
