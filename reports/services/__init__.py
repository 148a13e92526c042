"""Services: the functions that write (HackSoft style, keyword-only, `<entity>_<action>`)."""

from reports.services.attachments import attachment_add, attachment_name_clean
from reports.services.audit import audit_event_add
from reports.services.organs import organ_kind_guess, organ_match_or_create
from reports.services.parsing import (
    INTERNAL_MESSAGE,
    TIMEOUT_MESSAGE,
    parse_run_execute,
    parse_run_fail,
    parse_run_fail_stale,
    parse_run_queue,
    parse_run_stale_after,
)
from reports.services.reports import (
    ApplyOutcome,
    Conflict,
    report_apply_parsed,
    report_findings_refresh,
    report_get_or_create_from_parse,
)

__all__ = [
    "INTERNAL_MESSAGE",
    "TIMEOUT_MESSAGE",
    "ApplyOutcome",
    "Conflict",
    "attachment_add",
    "attachment_name_clean",
    "audit_event_add",
    "organ_kind_guess",
    "organ_match_or_create",
    "parse_run_execute",
    "parse_run_fail",
    "parse_run_fail_stale",
    "parse_run_queue",
    "parse_run_stale_after",
    "report_apply_parsed",
    "report_findings_refresh",
    "report_get_or_create_from_parse",
]

from reports.services.workflow import (  # noqa: E402
    report_explanations_set,
    report_save,
    report_start,
    report_submit,
    report_transition,
)

__all__ += [
    "report_explanations_set",
    "report_save",
    "report_start",
    "report_submit",
    "report_transition",
]

from reports.services.review import (  # noqa: E402
    comment_add,
    report_approve,
    report_publish,
    report_reopen,
    report_return,
)

__all__ += [
    "comment_add",
    "report_approve",
    "report_publish",
    "report_reopen",
    "report_return",
]
