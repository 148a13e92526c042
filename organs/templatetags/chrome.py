"""Markup every page repeats that depends on nothing but the language and the code.

The page frame (base.html) reverses URLs, resolves static paths and translates labels on
every render: about 0.8 ms a page, most of a small page's cost once the page cache misses.
None of it changes while a process runs, except with the active language.
"""

import functools

from django import template
from django.conf import settings
from django.template.defaultfilters import urlencode
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


class ConstantNode(template.Node):
    """Renders its contents once per language and process, with an empty context: it can
    show URLs, static paths and translations, never the request, the user or any data (a
    variable inside renders empty, so a misuse shows on the page instead of leaking one
    visitor's page into another's)."""

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered: dict[str | None, str] = {}

    def render(self, context):
        language = get_language()
        markup = self.rendered.get(language)
        if markup is None:
            empty = template.Context(autoescape=context.autoescape)
            empty.template = context.template
            markup = self.rendered[language] = self.nodelist.render(empty)
        return markup


@register.tag
def constant(parser, token):
    """{% constant %}…{% endconstant %}: see ConstantNode."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% constant %} takes no arguments")
    nodelist = parser.parse(("endconstant",))
    parser.delete_first_token()
    return ConstantNode(nodelist)


@functools.lru_cache(maxsize=16)
def _language_links(current: str | None) -> tuple[tuple[str, str], ...]:
    """The footer's links for a page in ``current``, each as the markup before and after
    the page's path (the current language's has none): names and switch URLs are fixed."""
    links = []
    for code, _name in settings.LANGUAGES:
        lang = escape(code)
        name = escape(translation.get_language_info(code)["name_local"])
        if code == current:
            links.append((f'<strong lang="{lang}" aria-current="true">{name}</strong>', ""))
        else:
            url = escape(reverse("reports:language_switch", args=[code]))
            links.append((f'<a href="{url}?next=', f'" lang="{lang}" hreflang="{lang}">{name}</a>'))
    return tuple(links)


@register.simple_tag(takes_context=True)
def language_links(context) -> str:
    """The footer's links to this page in each language: the current one named, the others
    through the language switch, which comes back to this page."""
    request = context.get("request")
    path = escape(urlencode(request.get_full_path())) if request is not None else ""
    links = _language_links(get_language())
    # Names and URLs are escaped above, the path here.
    return mark_safe(
        "\n      ".join(before + (path if after else "") + after for before, after in links)
    )  # noqa: S308
