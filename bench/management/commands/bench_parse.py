"""Print parse speed per input format as ratios to bare extraction (a benchmark, not a test)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from bench.benchmarks import corpus_samples, measure, parse_samples
from bench.demo.seeds import seeds_dir

TARGETS = {"text": ("pipeline_ms", 20.0), "docx": ("ratio", 1.5), "pdf": ("ratio", 1.5)}


class Command(BaseCommand):
    help = "解析速度基准：各格式的解析耗时中位数，以及相对于纯文本提取的倍数。"

    def add_arguments(self, parser):
        # The real seeds when they are beside the repository; without them, the corpus.
        default = seeds_dir()
        parser.add_argument("--seeds", default=str(default), help="folder of seed .txt reports")
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument(
            "--corpus", type=int, metavar="N", default=0,
            help="measure N bench.corpus samples in every rendering instead of the seeds",
        )  # fmt: skip
        parser.add_argument("--no-pdf", action="store_true", help="skip PDF (needs LibreOffice)")
        parser.add_argument("--json", dest="json_path", help="also write the figures here")
        parser.add_argument(
            "--ocr", type=int, metavar="N", default=0,
            help="measure OCR instead: generated scans of every kind, N seeds each",
        )  # fmt: skip

    def handle(self, *args, **options):
        if options["ocr"]:
            return self._ocr(options)
        if options["corpus"]:
            forms = (
                ("text", "html", "docx") if options["no_pdf"] else ("text", "html", "docx", "pdf")
            )
            samples = corpus_samples(count=options["corpus"], forms=forms)
        else:
            samples = parse_samples(Path(options["seeds"]), with_pdf=not options["no_pdf"])
        rows = measure(samples, repeat=options["repeat"])
        self.stdout.write(
            f"{'format':8}{'files':>6}{'pipeline ms':>13}{'bare ms':>10}{'ratio':>8}  target"
        )
        for row in rows:
            key, limit = TARGETS.get(row["format"], (None, None))
            verdict = ""
            if key:
                unit = " ms" if key == "pipeline_ms" else "×"
                ok = row[key] <= limit
                verdict = f"{key} ≤ {limit}{unit}: {'met' if ok else 'MISSED'}"
            self.stdout.write(
                f"{row['format']:8}{row['files']:>6}{row['pipeline_ms']:>13}{row['bare_ms']:>10}"
                f"{row['ratio']:>8}  {verdict}"
            )
        if options["json_path"]:
            Path(options["json_path"]).write_text(json.dumps(rows, indent=2), "utf-8")

    def _ocr(self, options):
        """Accuracy per scan kind, silent errors, s/page wall and CPU, CPU ratio to bare OCR."""
        from bench.corpus import scans

        figures = scans.bench(range(1, options["ocr"] + 1), out=self.stdout.write)
        if options["json_path"]:
            Path(options["json_path"]).write_text(json.dumps(figures, indent=2), "utf-8")
