"""``{{ event|event_sentence }}``: an audit event as a sentence (review/history.py)."""

from django import template

from review.history import event_sentence as _event_sentence

register = template.Library()


@register.filter
def event_sentence(event) -> str:
    return _event_sentence(event)
