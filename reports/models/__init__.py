"""The domain models; import them from here."""

from reports.models.attachment import Attachment, ParsedValue, ParseRun, attachment_upload_to
from reports.models.audit import AuditEvent, Finding
from reports.models.organ import Organ
from reports.models.publication import Publication, PublishedFigure
from reports.models.report import AnnualReport, Figure
from reports.models.review import Deadline, ReviewComment
from reports.models.roles import Membership

__all__ = [
    "AnnualReport",
    "Attachment",
    "AuditEvent",
    "Deadline",
    "Figure",
    "Finding",
    "Membership",
    "Organ",
    "ParseRun",
    "ParsedValue",
    "Publication",
    "PublishedFigure",
    "ReviewComment",
    "attachment_upload_to",
]
