"""Check findings said in the viewer's language: gettext(template) % params.

The templates live once in core/checks/messages.py (Chinese, marked for the catalogue);
string params that are catalogue entries themselves (表三, 空白…) are translated too.
"""

from __future__ import annotations

from django.utils.translation import gettext

from core.checks.messages import MESSAGES, template_key


def _param(value):
    return gettext(value) if isinstance(value, str) and value else value


def render_message(code: str, params: dict | None) -> str | None:
    """The finding's message in the active language, or None without a template or params."""
    if not params:
        return None
    template = MESSAGES.get(template_key(code, params))
    if template is None:
        return None
    values = {k: _param(v) for k, v in params.items() if k != "template"}
    try:
        return gettext(template) % values
    except (KeyError, TypeError, ValueError):
        # A translation that names a param the finding lacks: the Chinese still reads right.
        return template % values
