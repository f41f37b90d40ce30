"""The cross-cutting scope matrix (architecture.md §4): every scoped model and every URL, every persona.

- Every model with a ``scope_spec`` has a pair of objects in the persona world (one in unit A's subtree,
  one in sibling unit B's), so a new scoped model without a place in this matrix fails here.
- Every URL that takes an object id is requested by unit A's admin with unit B's object: 404.
- Every page URL redirects anonymous users to the login page; every API URL refuses them.
- Every list page and API list shows unit A's rows and never unit B's.
"""

import pytest
from django.urls import reverse

from anbiao.core.api import ScopedViewSetMixin
from anbiao.core.scope import Scope, scoped_models
from anbiao.core.views import ScopedListView, ScopedViewMixin
from tests.urlwalk import project_routes

# Public by design: the login page, health check, API token/schema, and the employees' hazard-report link
# (anonymous by design, reached by an unguessable per-enterprise token; see hazards/tests).
PUBLIC = {"login", "healthz", "api_token", "api_schema", "api_docs", "hazards:public_report"}


def object_routes():
    out = []
    for r in project_routes():
        cls = r.view_class
        if (
            cls
            and issubclass(cls, ScopedViewMixin | ScopedViewSetMixin)
            and "<" in r.route
            and "pk" in r.route
        ):
            out.append(r)
    return out


def model_of(route):
    cls = route.view_class
    return cls.model if issubclass(cls, ScopedViewMixin) else cls.queryset.model


def method_of(route):
    cls = route.view_class
    if issubclass(cls, ScopedViewSetMixin):
        return "get" if "get" in route.actions or not route.actions else next(iter(route.actions))
    allowed = [m for m in ("get", "post") if hasattr(cls, m) and m in cls.http_method_names]
    return allowed[0]


def test_every_scoped_model_has_a_pair_in_the_persona_world(world):
    for model in scoped_models():
        inside, outside = world.in_a_and_b(model)
        assert inside is not None and outside is not None, model


def test_the_world_pairs_really_sit_on_either_side_of_the_sibling_boundary(world):
    scope_a = Scope.for_user(world.admin_a)
    for model in scoped_models():
        inside, outside = world.in_a_and_b(model)
        visible = model._default_manager.visible_to(scope_a)
        assert visible.filter(pk=inside.pk).exists(), model
        assert not visible.filter(pk=outside.pk).exists(), model


def test_every_object_url_is_covered_by_the_matrix():
    assert {r.name for r in object_routes()} >= {
        "orgs:organization_detail",
        "orgs:enterprise_detail",
        "core:file_download",
        "accounts:user_detail",
        "api:enterprise-detail",
    }


@pytest.mark.parametrize("route", object_routes(), ids=lambda r: r.name)
def test_a_sibling_units_object_is_404_for_every_object_url(route, world, login):
    client = login(world.admin_a)
    _, outside = world.in_a_and_b(model_of(route))
    url = reverse(route.name, kwargs={"pk": outside.pk})
    response = getattr(client, method_of(route))(url)
    assert response.status_code == 404, (route.name, response.status_code)


@pytest.mark.parametrize("route", object_routes(), ids=lambda r: r.name)
def test_an_enterprise_user_gets_404_for_the_other_enterprise_on_every_object_url(route, world, login):
    client = login(world.principal_a)
    _, outside = world.in_a_and_b(model_of(route))
    response = getattr(client, method_of(route))(reverse(route.name, kwargs={"pk": outside.pk}))
    assert response.status_code in {403, 404}, route.name
    if response.status_code == 403:
        # 403 only where the role may never use the page at all (e.g. unit management), never a leak of data
        cls = route.view_class
        perm = getattr(cls, "permission", "")
        assert not Scope.for_user(world.principal_a).has_perm(perm), route.name


def test_an_inspector_sees_only_the_enterprise_assigned_to_them(world, login):
    client = login(world.inspector)
    assert client.get(reverse("orgs:enterprise_detail", args=[world.ent_a1.pk])).status_code == 200
    assert client.get(reverse("orgs:enterprise_detail", args=[world.ent_a.pk])).status_code == 404
    assert client.get(reverse("orgs:enterprise_detail", args=[world.ent_b.pk])).status_code == 404


def test_an_expert_sees_only_the_enterprise_assigned_to_them(world, login):
    client = login(world.expert)
    assert client.get(reverse("orgs:enterprise_detail", args=[world.ent_b.pk])).status_code == 200
    assert client.get(reverse("orgs:enterprise_detail", args=[world.ent_a.pk])).status_code == 404


def test_the_county_admin_sees_both_sides(world, login):
    client = login(world.county_admin)
    for model in scoped_models():
        for obj in world.in_a_and_b(model):
            assert (
                model._default_manager.visible_to(Scope.for_user(world.county_admin))
                .filter(pk=obj.pk)
                .exists()
            )
    assert client.get(reverse("orgs:enterprise_detail", args=[world.ent_b.pk])).status_code == 200


# URLs whose arguments are not a scoped object id: shared catalogues, and a user's own notifications
# (read only through ``Notification.objects.filter(user=request.user)``; see core/tests).
NON_OBJECT_KWARGS = {"orgs:catalogue": {"kind": "industries"}, "core:notification_read": {"pk": 1}}


def _reversible(route, world):
    if route.name in NON_OBJECT_KWARGS:
        return reverse(route.name, kwargs=NON_OBJECT_KWARGS[route.name])
    if "<" not in route.route:
        return reverse(route.name)
    model = model_of(route)
    inside, _ = world.in_a_and_b(model)
    return reverse(route.name, kwargs={"pk": inside.pk})


@pytest.mark.parametrize("route", [r for r in project_routes() if r.name not in PUBLIC], ids=lambda r: r.name)
def test_anonymous_users_are_sent_to_login_or_refused_on_every_url(route, world, client):
    scoped = route.view_class and issubclass(route.view_class, ScopedViewMixin | ScopedViewSetMixin)
    if "<" in route.route and not scoped and route.name not in NON_OBJECT_KWARGS:
        pytest.fail(f"{route.name} takes arguments but is not a scoped view")
    url = _reversible(route, world)
    method = method_of(route) if scoped else ("post" if route.name == "logout" else "get")
    response = getattr(client, method)(url)
    if url.startswith("/api/"):
        assert response.status_code in {401, 403}, route.name
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], route.name


LIST_PAGES = [
    r
    for r in project_routes()
    if r.view_class
    and issubclass(r.view_class, ScopedListView)
    and "<" not in r.route
    and "export" not in r.name
]


@pytest.mark.parametrize("route", LIST_PAGES, ids=lambda r: r.name)
def test_list_pages_never_show_the_sibling_units_rows(route, world, login):
    client = login(world.admin_a)
    response = client.get(reverse(route.name))
    assert response.status_code == 200
    model = route.view_class.model
    _inside, outside = world.in_a_and_b(model)
    rows = list(response.context["object_list"])
    assert outside not in rows, route.name
    assert not any(getattr(r, "pk", None) == outside.pk for r in rows)


@pytest.mark.parametrize(
    "name", ["api:organization-list", "api:enterprise-list", "api:user-list"], ids=lambda n: n
)
def test_api_lists_never_show_the_sibling_units_rows(name, world, login):
    client = login(world.admin_a)
    route = next(r for r in project_routes() if r.name == name)
    inside, outside = world.in_a_and_b(route.view_class.queryset.model)
    ids = {row["id"] for row in client.get(reverse(name)).json()["results"]}
    assert inside.pk in ids and outside.pk not in ids
