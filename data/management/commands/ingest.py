"""manage.py ingest PATH: store, parse and apply a folder or zip of past report files."""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from data import ingest
from organs.models import Organ

PHASES = {"store": "保存文件", "parse": "识别表格", "apply": "填入报告"}
ACTIONS = {
    "created": "新建",
    "updated": "已更新",
    "unchanged": "此前已填入，未改动",
    "not_editable": "报告不可修改（{status}），已跳过",
}
BAR = 24


class ProgressBar:
    """count/total, percent, rate and ETA: one updating line on a TTY, else periodic lines."""

    def __init__(self, stream, *, tty: bool, enabled: bool = True, every: float = 5.0):
        self.stream, self.tty, self.enabled, self.every = stream, tty, enabled, every
        self.phase, self.started, self.last_line, self.last_done = "", 0.0, 0.0, -1

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        now = time.monotonic()
        if phase != self.phase:
            self._end_line()
            self.phase, self.started, self.last_line, self.last_done = phase, now, 0.0, -1
        finished = done >= total
        if self.tty:
            self.stream.write("\r" + self.line(done, total, now) + "\x1b[K", ending="")
            self.stream.flush()
        elif done != self.last_done and (finished or now - self.last_line >= self.every):
            self.stream.write(self.line(done, total, now))
            self.last_line = now
        self.last_done = done

    def line(self, done: int, total: int, now: float) -> str:
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        filled = BAR * done // total
        text = f"{PHASES.get(self.phase, self.phase)} [{'#' * filled}{'-' * (BAR - filled)}] "
        text += f"{done}/{total} {100 * done // total:3d}%"
        if done and elapsed >= 0.05:
            eta = (total - done) / rate if rate else 0
            text += f"  {rate:.1f} 个/秒  剩余约 {_duration(eta)}"
        return text

    def close(self) -> None:
        self._end_line()

    def _end_line(self) -> None:
        if self.enabled and self.tty and self.phase:
            self.stream.write("")


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}分{seconds % 60:02d}秒" if seconds >= 60 else f"{seconds}秒"


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
        progress = ProgressBar(
            self.stderr, tty=self.stderr.isatty(), enabled=not options["no_progress"]
        )
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
