"""Filing services: the writes of a clerk's work (keyword-only, `<entity>_<action>`, audited)."""

from filing.services.attachments import attachment_add, attachment_name_clean
from filing.services.audit import audit_event_add
from filing.services.parsing import (
    CODE_MESSAGES,
    ENCRYPTED_MESSAGE,
    INTERNAL_MESSAGE,
    INTERRUPTED_MESSAGE,
    MEMORY_MESSAGE,
    TIMEOUT_MESSAGE,
    parse_run_execute,
    parse_run_fail,
    parse_run_queue,
    parse_run_retry,
    parse_run_stale_after,
)
from filing.services.reports import (
    ApplyOutcome,
    Conflict,
    report_apply_parsed,
    report_findings_refresh,
    report_get_or_create_from_parse,
)
from filing.services.sweep import parse_run_fail_stale, parse_run_requeue_orphans
from filing.services.workflow import (
    report_explanations_set,
    report_save,
    report_start,
    report_submit,
    report_transition,
)

__all__ = [
    "CODE_MESSAGES",
    "ENCRYPTED_MESSAGE",
    "INTERNAL_MESSAGE",
    "INTERRUPTED_MESSAGE",
    "MEMORY_MESSAGE",
    "TIMEOUT_MESSAGE",
    "ApplyOutcome",
    "Conflict",
    "attachment_add",
    "attachment_name_clean",
    "audit_event_add",
    "parse_run_execute",
    "parse_run_fail",
    "parse_run_fail_stale",
    "parse_run_queue",
    "parse_run_requeue_orphans",
    "parse_run_retry",
    "parse_run_stale_after",
    "report_apply_parsed",
    "report_explanations_set",
    "report_findings_refresh",
    "report_get_or_create_from_parse",
    "report_save",
    "report_start",
    "report_submit",
    "report_transition",
]
