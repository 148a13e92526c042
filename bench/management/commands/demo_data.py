"""manage.py demo_data: the corpus region, demo accounts and a year of reports (idempotent)."""

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bench import demo


class Command(BaseCommand):
    help = "创建演示数据：样本城市的各机关、各角色演示账号、一年的真实使用（可重复执行）。"

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(items, label):
            return tqdm(items, desc=label, unit="份", file=self.stderr, leave=True)

        try:
            summary = demo.load_demo_data(progress=progress)
        except demo.NoWorker as error:
            raise CommandError(str(error)) from error
        for account in demo.DEMO_ACCOUNTS:
            self.stdout.write(f"{account.label}: {account.username} / {account.password}")
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已就绪：新增 {summary['added']} 份报告，种子报告 {summary['seeds']} 份，"
                f"用时 {time.monotonic() - started:.0f} 秒。"
            )
        )
