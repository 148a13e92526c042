"""Load test of the public pages under gunicorn on PostgreSQL and Redis (README "Load test")."""

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "公开页面负载测试：多个并发客户端在限定时间内访问公开页面，统计请求数、延迟和错误。"

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=100, help="concurrent clients")
        parser.add_argument(
            "--seconds", type=float, default=60.0, help="how long to load (whole seconds)"
        )
        parser.add_argument(
            "--baseline-seconds", type=float, default=10.0,
            help="how long to load the trivial baseline view first, with the same clients",
        )  # fmt: skip
        parser.add_argument("--gunicorn-workers", type=int, default=3)
        parser.add_argument(
            "--threads", type=int, default=0,
            help="gthread workers with this many threads (keep-alive); 0: sync, as deployed",
        )  # fmt: skip
        parser.add_argument(
            "--organs", type=int, default=0,
            help="first generate this many organs (replaces earlier generated data)",
        )  # fmt: skip
        parser.add_argument("--years", type=int, default=5, help="years to generate with --organs")
        parser.add_argument("--demo", action="store_true", help="first load the demo seeds")
        parser.add_argument(
            "--any-backend", action="store_true",
            help="run without PostgreSQL and Redis too (the test suite's smoke run)",
        )  # fmt: skip
        parser.add_argument("--json", dest="json_path", help="also write the figures here")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql" and not options["any_backend"]:
            raise CommandError(
                "loadtest_public measures the portal as deployed: set DATABASE_URL to a "
                f"PostgreSQL database (this one is {connection.vendor}) and REDIS_URL."
            )
        if not os.environ.get("REDIS_URL") and not options["any_backend"]:
            raise CommandError("loadtest_public needs REDIS_URL (the cache of the deployment).")
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database has unapplied migrations: run manage.py migrate.")
        self._load_data(options)
        from bench.loadtest import loadtest_run

        try:
            result = loadtest_run(
                clients=options["clients"],
                seconds=options["seconds"],
                baseline_seconds=options["baseline_seconds"],
                workers=options["gunicorn_workers"],
                threads=options["threads"],
                log=self.stdout.write,
            )
        except (LookupError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        self._print(result)
        if options["json_path"]:
            Path(options["json_path"]).write_text(
                json.dumps(result.as_dict(), indent=2, ensure_ascii=False), "utf-8"
            )
        errors = result.errors + result.baseline.get("errors", 0)
        if errors or not result.requests:
            raise CommandError(f"{errors} errors in {result.requests} requests and the baseline")

    def _load_data(self, options) -> None:
        if options["demo"]:
            from bench import demo

            demo.load_organs()
            demo.load_seed_reports()
        if options["organs"]:
            from bench.dataset import dataset_generate

            stats = dataset_generate(
                organs=options["organs"], years=options["years"], clear=True,
                workers=os.cpu_count() or 1, progress_file=getattr(self.stderr, "_out", None),
            )  # fmt: skip
            self.stdout.write(f"generated {stats.reports} reports in {stats.seconds} s")

    def _print(self, result) -> None:
        write = self.stdout.write
        write(f"\n{'page':60}{'requests':>10}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}")
        for path, row in result.pages.items():
            write(
                f"{path:60}{row['requests']:>10}{row['errors']:>8}"
                f"{row['p50_ms']:>9}{row['p95_ms']:>9}"
            )
        write(
            f"\nclients {result.clients}, {result.seconds} s: {result.requests} requests, "
            f"{result.rps} rps, p50 {result.p50_ms} ms, p95 {result.p95_ms} ms, "
            f"p99 {result.p99_ms} ms, errors {result.errors}, statuses {result.statuses}"
        )
        base = result.baseline
        write(
            f"baseline /bench/trivial: {base['rps']} rps, p50 {base['p50_ms']} ms, "
            f"errors {base['errors']}; the mix's rps = {result.ratio:.2f} × baseline"
        )
        for sample in result.error_samples:
            write(f"error: {sample}")
