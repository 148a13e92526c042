"""Data the checks and the parser stored, said in the viewer's language."""

from django import template

from filing import messages

register = template.Library()


@register.filter
def finding_text(finding: dict) -> str:
    """A finding frozen as data (a publication's): its message from code and params, or the
    stored sentence when it has no params (published before they were kept)."""
    rendered = messages.render_message(finding.get("code", ""), finding.get("params"))
    return rendered if rendered is not None else finding.get("message", "")


@register.filter
def warning_text(warning) -> str:
    """A parse run's warning (template + params, or an older run's stored sentence)."""
    return messages.warning_text(warning)


@register.filter
def run_message(run) -> str:
    """Why a parse run failed (its template + params, or an older run's stored sentence)."""
    return messages.run_message_text(run)


@register.filter
def location_text(location: str) -> str:
    """A parsed value's location (第N页 第M行)."""
    return messages.location_text(location)
