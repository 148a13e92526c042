"""Recompute the regions' kept sums from the current publications (public/sums.py).

Run after loading publications or moving organs without the services (bulk loads, SQL, a
queryset ``update`` of parents); publishing and an organ's save keep them true by themselves.
"""

from django.core.management.base import BaseCommand

from public.sums import region_sums_rebuild


class Command(BaseCommand):
    help = "重新计算各地区按年度保存的合计（批量导入或直接修改机关层级之后运行）。"

    def handle(self, *args, **options):
        def progress(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        counts = region_sums_rebuild(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"{counts['years']} region-years, {counts['cells']} cell sums")
        )
