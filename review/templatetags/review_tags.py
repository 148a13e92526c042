"""Template helpers of the review side: who sees the review link, readable cell names."""

from django import template

from filing.selectors import cell_labels
from review import selectors as selectors_review

register = template.Library()


@register.filter
def can_review(user) -> bool:
    """Whether the user has a review queue (supervisors and portal admins)."""
    return bool(user and user.is_authenticated) and selectors_review.can_review(user)


@register.filter
def comment_cell_label(comment, edition_key: str) -> str:
    """The readable label of the cell a comment is on ("" for the whole report)."""
    if not comment.cell:
        return ""
    return cell_labels(edition_key=edition_key, cells=[comment.cell])[0]
