"""The header's count of submissions the supervisor has not yet seen in the review queue."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from review.notifications import unseen_submissions


def review_unread(request) -> dict:
    """``review_unread``: one query, and only on a page whose header shows the review link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"review_unread": 0}
    return {"review_unread": SimpleLazyObject(lambda: unseen_submissions(user))}
