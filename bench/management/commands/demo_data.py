"""manage.py demo_data: organs, demo accounts and seed reports (idempotent)."""

from django.core.management.base import BaseCommand

from bench import demo


class Command(BaseCommand):
    help = "创建演示数据：晋江市及其镇街、每个角色一个演示账号、种子报告（可重复执行）。"

    def handle(self, *args, **options):
        demo.load_demo_data()
        for account in demo.DEMO_ACCOUNTS:
            self.stdout.write(f"{account.label}: {account.username} / {account.password}")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
