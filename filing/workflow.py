"""Report status pipeline: the states and the transitions between them."""

from django.core.exceptions import ValidationError
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
    # Reopened as a correction; the published version stays public meanwhile.
    Status.PUBLISHED: frozenset({Status.DRAFT}),
}

# States in which the clerk may still edit the figures and prose.
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})


def can_transition(from_status: str, to_status: str) -> bool:
    """Whether the pipeline allows moving a report from one status to another."""
    return to_status in ALLOWED_TRANSITIONS.get(from_status, frozenset())


def require_editable(report, refusal: str = "修改") -> None:
    """Raise ValidationError(code="report_not_editable") unless the clerk may change the report.

    ``refusal`` completes the message "…不能<refusal>。" for the action being refused.
    """
    if report.status not in EDITABLE_STATUSES:
        raise ValidationError(
            "报告当前状态为“%(status)s”，不能" + refusal + "。",
            code="report_not_editable",
            params={"status": report.get_status_display()},
        )
