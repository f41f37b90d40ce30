"""Every duty URL: the sibling unit's object is 404, an enterprise user of another enterprise gets 404,
anonymous users go to login, and the pages render for unit A's admin and enterprise A's principal."""

import pytest
from django.urls import reverse

from anbiao.core.api import ScopedViewSetMixin
from anbiao.core.views import ScopedViewMixin
from anbiao.duty.models import PostHolding
from tests.urlwalk import project_routes


def duty_routes():
    return [r for r in project_routes() if r.name.startswith("duty:") or _is_duty_api(r)]


def _is_duty_api(route):
    cls = route.view_class
    return bool(cls and route.name.startswith("api:") and cls.__module__.startswith("anbiao.duty"))


def _model(route):
    cls = route.view_class
    return cls.model if issubclass(cls, ScopedViewMixin) else cls.queryset.model


def _method(route):
    cls = route.view_class
    if issubclass(cls, ScopedViewSetMixin):
        actions = route.actions
        return "get" if "get" in actions or not actions else next(iter(actions))
    return next(m for m in ("get", "post") if hasattr(cls, m) and m in cls.http_method_names)


OBJECT_ROUTES = [r for r in duty_routes() if "<" in r.route]
PAGES = [r for r in duty_routes() if "<" in r.route and _method(r) == "get"]


def test_the_duty_app_has_pages_and_an_api():
    names = {r.name for r in duty_routes()}
    assert {"duty:overview", "duty:enterprise", "duty:key_people", "api:duty-post-list"} <= names


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_a_sibling_units_object_is_404_on_every_duty_url(route, world, login):
    client = login(world.admin_a)
    _, outside = world.in_a_and_b(_model(route))
    response = getattr(client, _method(route))(reverse(route.name, kwargs={"pk": outside.pk}))
    assert response.status_code == 404


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_another_enterprises_object_is_404_for_an_enterprise_user(route, world, login):
    client = login(world.principal_a)
    _, outside = world.in_a_and_b(_model(route))
    response = getattr(client, _method(route))(reverse(route.name, kwargs={"pk": outside.pk}))
    assert response.status_code in {403, 404}
    if response.status_code == 403:
        assert route.name.startswith("duty:template")


@pytest.mark.parametrize("route", PAGES, ids=lambda r: r.name)
def test_every_object_page_renders_for_the_units_admin(route, world, login):
    client = login(world.admin_a)
    inside, _ = world.in_a_and_b(_model(route))
    url = reverse(route.name, kwargs={"pk": inside.pk})
    if route.name == "duty:score":
        url += f"?holding={world.in_a_and_b(PostHolding)[0].pk}"
    response = client.get(url)
    # a published list is not editable: its edit page sends the user back to the list
    expected = 302 if route.name == "duty:list_edit" else 200
    assert response.status_code == expected, route.name


@pytest.mark.parametrize("route", [r for r in duty_routes() if "<" not in r.route], ids=lambda r: r.name)
def test_anonymous_users_are_sent_to_login_or_refused(route, world, client):
    url = reverse(route.name)
    response = getattr(client, _method(route))(url)
    if url.startswith("/api/"):
        assert response.status_code in {401, 403}
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "name", ["duty:overview", "duty:key_people", "duty:template_list", "duty:catalogue"], ids=str
)
@pytest.mark.parametrize(
    "username", ["county_admin", "admin_a", "principal_a", "safety_a", "inspector", "leader"]
)
def test_the_menu_pages_render_for_every_role(name, username, world, login):
    client = login(getattr(world, username))
    assert client.get(reverse(name)).status_code == 200
