"""Fill the database with a synthetic province of reports (for benchmarks; see README)."""

import os

from django.core.management.base import BaseCommand, CommandError

from bench.dataset import dataset_generate


class Command(BaseCommand):
    help = "生成基准测试数据：机关树 × 年度的年度报告、表格数值、发布版本和校验结果。"

    def add_arguments(self, parser):
        parser.add_argument("--organs", type=int, default=2000)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--last-year", type=int, help="newest report year (default: last year)")
        parser.add_argument("--batch", type=int, default=50, help="organs written per transaction")
        parser.add_argument("--error-rate", type=float, default=0.07)
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1, help="processes drawing figures"
        )
        parser.add_argument(
            "--clear", action="store_true", help="first remove earlier generated data (gen-*)"
        )

    def handle(self, *args, **options):
        if options["organs"] < 2 or options["years"] < 1:
            raise CommandError("--organs must be at least 2 and --years at least 1")
        try:
            stats = dataset_generate(
                organs=options["organs"],
                years=options["years"],
                seed=options["seed"],
                last_year=options["last_year"],
                clear=options["clear"],
                batch_organs=options["batch"],
                error_rate=options["error_rate"],
                workers=options["workers"],
                # A bar on a terminal only (tqdm writes carriage returns, not lines).
                progress=None if options["verbosity"] else False,
                progress_file=getattr(self.stderr, "_out", self.stderr),
                # -v 2: a plain line every ten seconds, for a log file.
                progress_lines=getattr(self.stderr, "_out", self.stderr)
                if options["verbosity"] >= 2
                else None,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{stats.organs} organs, {stats.reports} reports ({stats.with_errors} with errors), "
            f"{stats.figures} figures, {stats.publications} publications, "
            f"{stats.published_figures} published figures, {stats.findings} findings "
            f"in {stats.seconds} s; statuses {stats.by_status}; peak memory "
            f"{stats.peak_rss_mb} MB (writer), {stats.peak_worker_rss_mb} MB (largest drawer)"
        )
