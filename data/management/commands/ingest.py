"""manage.py ingest PATH: store, parse and apply a folder or zip of past report files."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from data import ingest
from organs.models import Organ

PHASES = {"store": "保存文件", "parse": "识别表格", "apply": "填入报告"}
ACTIONS = {
    "created": "新建",
    "updated": "已更新",
    "unchanged": "此前已填入，未改动",
    "not_editable": "报告不可修改（{status}），已跳过",
}


class ProgressBar:
    """The ingest's progress callback as one tqdm bar per phase (store, parse, apply).

    A bar only on a terminal: written to a file or a pipe the command prints its summary
    and nothing else (tqdm's carriage returns would be noise in a log).
    """

    def __init__(self, stream, *, enabled: bool = True):
        self.stream, self.enabled = stream, enabled
        self.phase, self.bar = "", None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = tqdm(
                total=total, desc=PHASES.get(phase, phase), unit="个", file=self.stream,
                disable=None, dynamic_ncols=True,
            )  # fmt: skip
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = (
        "批量导入往年年度报告文件（文件夹或 ZIP 压缩包）：保存原文件（按 SHA-256 去重）、"
        "交给后台识别、按识别出的机关和年度建立报告并填入数值。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", metavar="PATH", help="文件夹（含子文件夹）、ZIP 压缩包或单个文件"
        )
        parser.add_argument(
            "--organ", metavar="SLUG", help="所有文件都归入这个机关（不看文件内容）"
        )
        parser.add_argument("--year", type=int, metavar="N", help="所有文件都作为这一年度的报告")
        parser.add_argument(
            "--parent", metavar="SLUG", help="新识别出的机关挂在这个上级机关下（默认：顶级）"
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=ingest.DEFAULT_WAIT,
            metavar="SECONDS",
            help="连续多少秒没有文件识别完成就停止等待（默认 600）",
        )
        parser.add_argument("--no-progress", action="store_true", help="不显示进度")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出汇总")

    def handle(self, *args, **options):
        organ = self._organ(options["organ"], "--organ")
        parent = self._organ(options["parent"], "--parent")
        year = options["year"]
        if year is not None and not 1990 <= year <= 2100:
            raise CommandError(f"--year {year} 不是有效的年度。")
        # tqdm writes carriage returns itself: the raw stream, not Django's line wrapper.
        stream = getattr(self.stderr, "_out", self.stderr)
        progress = ProgressBar(stream, enabled=not options["no_progress"])
        try:
            summary = ingest.ingest_path(
                Path(options["path"]),
                organ=organ,
                year=year,
                parent=parent,
                wait=options["wait"],
                progress=progress,
            )
        except ingest.IngestError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            progress.close()
        data = summary.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self._print(data)

    def _organ(self, slug: str | None, option: str) -> Organ | None:
        if not slug:
            return None
        organ = Organ.objects.filter(slug=slug).first()
        if organ is None:
            raise CommandError(f"{option}：没有标识为“{slug}”的机关。")
        return organ

    def _print(self, data: dict) -> None:
        out = self.stdout.write
        out(
            f"读取 {data['read']} 个文件：新保存 {data['stored']} 个，"
            f"重复（已存在，跳过）{data['duplicates']} 个；识别成功 {data['parsed']} 个，"
            f"失败 {len(data['failed'])} 个。"
        )
        if data["skipped"]:
            out(f"非报告文件，未读取 {len(data['skipped'])} 个。")
        for failed in data["failed"]:
            out(self.style.WARNING(f"  失败：{failed['file']}：{failed['reason']}"))
        out(
            f"报告：新建 {data['reports_created']} 份，更新 {data['reports_updated']} 份，"
            f"未改动 {data['reports_unchanged']} 份，不可修改而跳过 {data['reports_not_editable']} 份。"
        )
        for report in data["reports"]:
            action = ACTIONS[report["action"]].format(status=report["status_label"])
            line = (
                f"  {report['organ']} {report['year']}年（{report['edition']}年版）：{action}；"
                f"错误 {report['errors']} 个，警告 {report['warnings']} 个"
            )
            if report["error_codes"]:
                line += "（" + "、".join(report["error_codes"]) + "）"
            if report["conflicts"]:
                line += f"；{report['conflicts']} 个单元格与已填数值不同，未覆盖"
            out(line)
