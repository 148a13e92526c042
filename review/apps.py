from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """Review queue, workflow decisions, deadlines and compliance, similarity."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "review"
    verbose_name = _("审核")

    def ready(self):
        from filing.signals import report_submitted, submission_findings
        from review.notifications import submission_notify
        from review.similarity import similarity_on_submission

        submission_findings.connect(similarity_on_submission, dispatch_uid="similarity")
        report_submitted.connect(submission_notify, dispatch_uid="submission_notify")
        # The compliance counts kept per region and year (review/standing.py).
        from review import standing_signals

        standing_signals.connect()
