"""Check findings, parser warnings, parse failures and locations in the viewer's language.

The templates live once in core/checks/messages.py and core/parsing/messages.py (Chinese,
marked for the catalogue); a finding's or warning's params are plain data (catalogue words,
printed labels, phrases such as a cell's name, lists), each said through gettext too
(core.checks.messages.render_value).
"""

from __future__ import annotations

from django.utils.translation import gettext

from core.checks.messages import render
from core.parsing.document import LOCATION_LINE, LOCATION_PAGE_LINE, location_params
from core.parsing.messages import render_warning


def _translate(message: str) -> str:
    return gettext(message) if message else message


def render_message(code: str, params: dict | None) -> str | None:
    """The finding's message in the active language, or None without a template or params."""
    if not params:
        return None
    return render(code, params, _translate)


def warning_text(warning: str | dict) -> str:
    """A parse run's warning in the active language.

    Stored as {"text", "template", "params"}; a plain string (runs parsed before warnings
    kept their params, or a sentence with no template) is shown as stored.
    """
    if not isinstance(warning, dict):
        return str(warning)
    rendered = None
    if warning.get("template"):
        rendered = render_warning(warning["template"], warning.get("params") or {}, _translate)
    return rendered if rendered is not None else warning.get("text", "")


def run_message_text(run) -> str:
    """Why a parse run failed, in the active language ("" when it did not fail).

    The run keeps result["error_message"] = {"text", "template", "params"}: a template of the
    parser (core.parsing.messages) is filled again. The portal's own failure messages
    (filing.services.parsing) take no params: their template is the Chinese ``message`` itself,
    said through the catalogue, as is an older run's message (shown as stored when the
    catalogue lacks it).
    """
    stored = run.result.get("error_message") if isinstance(run.result, dict) else None
    if isinstance(stored, dict) and stored.get("template"):
        rendered = render_warning(stored["template"], stored.get("params") or {}, _translate)
        if rendered is not None:
            return rendered
    return _translate(run.message)


def extraction_error_text(exc) -> str:
    """Why the parser refused a file (core.parsing.document.ExtractionError), in the active
    language: its Message's template filled again, or its sentence through the catalogue."""
    message = exc.message
    template = getattr(message, "template", None)
    if template:
        rendered = render_warning(template, message.params, _translate)
        if rendered is not None:
            return rendered
    return _translate(str(message))


def location_text(location: str) -> str:
    """Where a parsed value was printed (第N页 第M行) in the active language."""
    params = location_params(location)
    if params is None:
        return location or ""
    return gettext(LOCATION_PAGE_LINE if "page" in params else LOCATION_LINE) % params
