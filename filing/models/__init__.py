"""Filing models: the report and its figures, attachments and parse runs, findings, audit."""

from filing.models.attachment import Attachment, ParsedValue, ParseRun, attachment_upload_to
from filing.models.audit import AuditEvent, Finding
from filing.models.report import AnnualReport, Figure

__all__ = [
    "AnnualReport",
    "Attachment",
    "AuditEvent",
    "Figure",
    "Finding",
    "ParseRun",
    "ParsedValue",
    "attachment_upload_to",
]
