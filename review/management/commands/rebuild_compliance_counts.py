"""Recompute the compliance counts kept per region and year (review/standing.py).

Run after writing reports, organs or deadlines without the ORM's saves (bulk loads, SQL, a
queryset ``update`` of a status or of ``is_active``); the services and saves keep them true.
"""

from django.core.management.base import BaseCommand

from review.models import ComplianceState, ComplianceTally
from review.standing import standing_rebuild


class Command(BaseCommand):
    help = "重新计算各地区按年度保存的合规统计（批量导入或直接修改报告、机关之后运行）。"

    def handle(self, *args, **options):
        standing_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"{ComplianceState.objects.count()} reports, "
                f"{ComplianceTally.objects.count()} region counts"
            )
        )
