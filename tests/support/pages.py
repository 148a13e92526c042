"""Every page the URL conf has at test time, reversed with the ids a test supplies.

Security tests (CSRF tokens, XSS probes) walk these so pages added later are covered too: a
URL whose parameters the test cannot fill (or whose name is gone) is skipped.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

SKIP_NAMESPACES = {"admin"}
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL | re.IGNORECASE)
METHOD = re.compile(r"""method\s*=\s*["']?(\w+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    params: tuple[str, ...]


def routes() -> list[Route]:
    """Named routes outside the admin, with the parameter names of their whole path."""
    out: dict[str, Route] = {}

    def walk(patterns, namespace: str, params: tuple[str, ...]):
        for entry in patterns:
            own = tuple(getattr(entry.pattern, "converters", {}) or ())
            if not own:
                own = tuple(re.findall(r"\(\?P<(\w+)>", str(entry.pattern)))
            if isinstance(entry, URLResolver):
                ns = entry.namespace
                if ns in SKIP_NAMESPACES:
                    continue
                child = f"{namespace}:{ns}".strip(":") if ns else namespace
                walk(entry.url_patterns, child, params + own)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                out.setdefault(name, Route(name, params + own))

    walk(get_resolver().url_patterns, "", ())
    return sorted(out.values(), key=lambda r: r.name)


def urls(values: dict[str, list]) -> list[tuple[str, str]]:
    """(route name, path) for every route and every combination of the supplied values."""
    found: list[tuple[str, str]] = []
    for route in routes():
        if any(p not in values for p in route.params):
            continue
        choices = [values[p] for p in route.params]
        for combination in itertools.product(*choices):
            kwargs = dict(zip(route.params, combination, strict=True))
            try:
                path = reverse(route.name, kwargs=kwargs or None)
            except NoReverseMatch:
                continue
            found.append((route.name, path))
    return list(dict.fromkeys(found))


def post_forms(html: str) -> list[str]:
    """The bodies of the page's forms that submit with POST."""
    out = []
    for attrs, body in FORM.findall(html):
        method = METHOD.search(attrs)
        if method and method.group(1).lower() == "post":
            out.append(body)
    return out
