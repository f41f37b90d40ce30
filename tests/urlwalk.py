"""Walk the project's URL patterns (used by the scope matrix and the URL coverage test)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # namespaced view name, e.g. "orgs:enterprise_detail"
    route: str
    callback: object

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    @property
    def actions(self) -> dict:
        return getattr(self.callback, "actions", None) or {}


def routes() -> list[Route]:
    found: list[Route] = []

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name:
                found.append(Route(f"{namespace}{p.name}", prefix + str(p.pattern), p.callback))

    walk(get_resolver().url_patterns)
    return found


def project_routes() -> list[Route]:
    """Routes served by Anbiao's own code (not third-party format-suffix duplicates)."""
    seen: dict[str, Route] = {}
    for r in routes():
        if "(?P<format>" in r.route or "<drf_format_suffix" in r.route:
            continue
        seen.setdefault(r.name, r)
    return list(seen.values())
