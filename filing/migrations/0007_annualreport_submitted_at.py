"""AnnualReport.submitted_at, filled from the audit trail, and the review queue's index."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

SUBMITTED_ACTION = "report.submitted"


def fill_submitted_at(apps, schema_editor):
    """Each report's latest submission event, in one UPDATE (no loop over the reports)."""
    AnnualReport = apps.get_model("filing", "AnnualReport")
    AuditEvent = apps.get_model("filing", "AuditEvent")
    latest = (
        AuditEvent.objects.filter(report=OuterRef("pk"), action=SUBMITTED_ACTION)
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    submitted = AuditEvent.objects.filter(action=SUBMITTED_ACTION).values("report_id")
    AnnualReport.objects.filter(pk__in=submitted).update(submitted_at=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [
        ("filing", "0006_annualreport_year_organ_index"),
        ("organs", "0002_organ_path"),
        ("public", "0006_region_sums"),
    ]

    operations = [
        migrations.AddField(
            model_name="annualreport",
            name="submitted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="提交时间"
            ),
        ),
        migrations.RunPython(fill_submitted_at, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="annualreport",
            index=models.Index(
                fields=["status", "submitted_at", "id"], include=("organ",), name="report_queue_idx"
            ),
        ),
    ]
