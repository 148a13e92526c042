"""Report status pipeline: the states and the transitions between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核")
    PUBLISHED = "published", _("已发布")


# Every allowed move, kept as data so one set_status-style service can validate it.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),
    Status.SUBMITTED: frozenset({Status.RETURNED, Status.APPROVED}),
    Status.RETURNED: frozenset({Status.SUBMITTED}),
    Status.APPROVED: frozenset({Status.PUBLISHED, Status.RETURNED}),
    Status.PUBLISHED: frozenset(),
}

# States in which the clerk may still edit the figures and prose.
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})


def can_transition(from_status: str, to_status: str) -> bool:
    """Whether the pipeline allows moving a report from one status to another."""
    return to_status in ALLOWED_TRANSITIONS.get(from_status, frozenset())
