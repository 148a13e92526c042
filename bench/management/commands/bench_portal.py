"""Load benchmark of the portal under gunicorn on PostgreSQL and Redis (README "Benchmarks")."""

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.demo.seeds import seeds_dir


def _server_cpu(cpu_ms: dict | None) -> float:
    """Server CPU milliseconds a request (gunicorn and PostgreSQL), 0 when not measured."""
    return sum((cpu_ms or {}).get(k) or 0 for k in ("gunicorn", "postgres"))


class Command(BaseCommand):
    help = "门户性能基准：各页面每秒请求数、延迟、查询次数，解析与入库吞吐量，并对照目标。"

    def add_arguments(self, parser):
        # The real seeds when they are beside the repository; without them, the corpus.
        default_seeds = seeds_dir()
        parser.add_argument("--organs", type=int, help="first generate this many organs (--clear)")
        parser.add_argument("--years", type=int, default=10, help="years to generate with --organs")
        parser.add_argument("--clients", type=int, default=4, help="concurrent load clients")
        parser.add_argument("--seconds", type=float, default=5.0, help="load time per page")
        parser.add_argument("--gunicorn-workers", type=int, default=2)
        parser.add_argument("--ingest-files", type=int, default=160, help="0 skips ingest")
        parser.add_argument("--no-parse", action="store_true", help="skip parse throughput")
        parser.add_argument("--no-pdf", action="store_true", help="parse throughput without PDF")
        parser.add_argument("--seeds", default=str(default_seeds))
        parser.add_argument(
            "--explain", action="store_true", help="EXPLAIN ANALYZE each page's slowest queries"
        )
        parser.add_argument("--json", dest="json_path", help="write the figures here")
        parser.add_argument("--mix-seconds", type=float, default=10, help="0 skips the mix")
        parser.add_argument("--cold-urls", type=int, default=40, help="URLs per page kind, cold")
        parser.add_argument(
            "--no-load", action="store_true",
            help="query counts and cold pages only (no gunicorn): a quick size comparison",
        )  # fmt: skip
        parser.add_argument(
            "--compare", help="JSON of a run on other data: query counts must be the same"
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_portal measures the portal as deployed: set DATABASE_URL to a PostgreSQL "
                f"database (this one is {connection.vendor}) and REDIS_URL to a Redis server."
            )
        if not os.environ.get("REDIS_URL"):
            raise CommandError("bench_portal needs REDIS_URL (cache and Celery broker).")
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database has unapplied migrations: run manage.py migrate.")
        from bench.run import bench_run, targets

        if options["organs"]:
            from bench.dataset import dataset_generate

            stats = dataset_generate(
                organs=options["organs"], years=options["years"], clear=True,
                workers=os.cpu_count() or 1, progress_file=getattr(self.stderr, "_out", None),
            )  # fmt: skip
            self.stdout.write(f"generated {stats.reports} reports in {stats.seconds} s")
        result = bench_run(
            seeds=Path(options["seeds"]),
            clients=options["clients"],
            seconds=options["seconds"],
            gunicorn_workers=options["gunicorn_workers"],
            ingest_files=options["ingest_files"],
            with_pdf=not options["no_pdf"],
            parse=not options["no_parse"],
            explain=options["explain"],
            mix_seconds=options["mix_seconds"],
            cold_urls=options["cold_urls"],
            load=not options["no_load"],
            log=self.stdout.write,
        )
        compare = None
        if options["compare"]:
            compare = json.loads(Path(options["compare"]).read_text("utf-8"))
        result["targets"] = targets(result, compare)
        self._print(result)
        if options["json_path"]:
            Path(options["json_path"]).write_text(
                json.dumps(result, indent=2, ensure_ascii=False, default=str), "utf-8"
            )

    def _print(self, result: dict) -> None:
        write = self.stdout.write
        load, queries = result.get("load", {}), result["queries"]
        base = (load.get("baseline") or {}).get("rps") or 1
        for kind, row in result.get("cold", {}).items():
            write(f"cold {kind:8} median {row['median_ms']} ms, p99 {row['p99_ms']} ms, "
                  f"queries {row['queries']}, {row['urls']} URLs, statuses {row['statuses']}")  # fmt: skip
            if self.verbosity > 1:
                for slow in row.get("slowest", []):
                    write(f"    {slow['ms']} ms ({slow['db_ms']} db, {slow['queries']} queries) "
                          f"{slow['url']}")  # fmt: skip
        base_cpu = _server_cpu((load.get("baseline") or {}).get("cpu_ms"))
        for phase, row in (load.get("mix") or {}).items():
            write(f"mix {phase}: {row['rps']} rps ({row['rps'] / base:.2f} of baseline), "
                  f"p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms, hit ratio {row['hit_ratio']}, "
                  f"errors {row['errors']}")  # fmt: skip
            if row.get("hit_ratio_by_kind"):
                kinds = ", ".join(f"{k} {v}" for k, v in row["hit_ratio_by_kind"].items())
                write(f"    hit ratio by kind: {kinds}")
            cpu = row.get("cpu_ms") or {}
            if cpu and base_cpu:
                server = _server_cpu(cpu)
                write(f"    CPU per request: gunicorn {cpu.get('gunicorn')} ms, postgres "
                      f"{cpu.get('postgres')} ms, locust {cpu.get('locust')} ms; server "
                      f"{server:.2f} ms against the baseline's {base_cpu:.2f} ms = "
                      f"{base_cpu / server:.2f} of its capacity")  # fmt: skip
        write(
            f"\n{'page':15}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}{'ratio':>7}{'queries':>9}"
            f"{'1 req ms':>10}{'of it db':>10}  url"
        )
        for key, row in load.items():
            if key in ("stats_cold", "mix"):
                continue
            if row.get("missing"):
                write(f"{key:15}{'missing':>9}")
                continue
            q = queries.get(key, {})
            count = q.get("queries", "")
            if "alt_queries" in q:
                count = f"{count}/{q['alt_queries']}"
            write(
                f"{key:15}{row['rps']:>9}{row['p50_ms']:>9}{row['p95_ms']:>9}"
                f"{row['rps'] / base:>7.2f}{count!s:>9}{q.get('ms', '')!s:>10}"
                f"{q.get('db_ms', '')!s:>10}  {row['url']}"
            )
        if "stats_cold" in load:
            cold = load["stats_cold"]
            write(
                f"stats cold: {cold['samples_ms']} ms over HTTP; in-process "
                f"{queries['stats'].get('cold_ms')} ms, {queries['stats'].get('cold_queries')} "
                f"queries taking {queries['stats'].get('cold_db_ms')} ms"
            )
        for row in result.get("parse", []):
            write(
                f"parse {row['format']:5} {row['pipeline_ms']} ms/file, {row['files_per_s']} files/s"
            )
        if "ingest" in result:
            i = result["ingest"]
            write(f"ingest: 1 worker {i['one']['files_per_s']} files/s, 2 workers "
                  f"{i['two']['files_per_s']} files/s, ratio {i['ratio']}; peak worker "
                  f"{i['two'].get('peak_worker_mb')} MB")  # fmt: skip
        for page, rows in result.get("explain", {}).items():
            for row in rows:
                write(f"\n{page}: {row['ms']} ms  {row['sql'][:300]}")
                for line in row["plan"][:12]:
                    write(f"    {line}")
        write("")
        for t in result["targets"]:
            write(f"{t['result']:8}{t['target']}: {t['figure']}")
