"""manage.py export_dataset --format csv|xlsx|json -o FILE [--year Y]: the published dataset."""

from django.core.management.base import BaseCommand, CommandError

from data import exports


class Command(BaseCommand):
    help = "导出已发布的数据（当前发布版本，不含草稿）：CSV、XLSX 或 JSON，与网站下载的文件逐字节相同。"

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="输出文件")
        parser.add_argument("--year", type=int, help="只导出这一年度")

    def handle(self, *args, **options):
        fmt, year = options["format"], options["year"]
        try:
            with open(options["output"], "wb") as out:
                if fmt == "xlsx":
                    exports.write_xlsx(out, year)
                else:
                    chunks = exports.csv_chunks(year) if fmt == "csv" else exports.json_chunks(year)
                    for chunk in chunks:
                        out.write(chunk)
        except OSError as exc:
            raise CommandError(f"无法写入 {options['output']}：{exc.strerror}") from exc
        self.stdout.write(f"{options['output']}")
