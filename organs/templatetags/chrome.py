"""Markup every page repeats that depends on nothing but the language and the code.

The page frame (base.html) reverses URLs, resolves static paths and translates labels on
every render: about 0.8 ms a page, most of a small page's cost once the page cache misses.
None of it changes while a process runs, except with the active language.
"""

from django import template
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
