"""manage.py parse_report FILE ... [--json]: read report files; no database involved."""

import json
import logging
from pathlib import Path

from django.core.management.base import BaseCommand

from core import formats
from core.checks import check_report
from core.parsing import ParseResult, parse_bytes
from core.parsing.output import result_json

logger = logging.getLogger("core.parsing")


def parse_file(path: str) -> dict:
    """The documented JSON object for one file; an unreadable path gives an object with error."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        reason = "找不到该文件" if isinstance(exc, FileNotFoundError) else "无法读取该文件"
        result = ParseResult(error=f"{reason}：{path}", error_code="unreadable")
        return result_json(path, result)
    try:
        result = parse_bytes(data, Path(path).name)
        findings = []
        if not result.error:
            edition = result.edition or formats.EDITION_2021
            findings = check_report(result.figures(), edition, prose_numbers=result.prose_numbers)
    except Exception:  # one bad file must not stop the others; the traceback goes to the log
        logger.exception("parse_report failed on %s", path)
        result = ParseResult(
            error="解析时发生内部错误，请将文件反馈给管理员。", error_code="internal"
        )
        findings = []
    return result_json(path, result, findings)


class Command(BaseCommand):
    help = "识别年度报告文件（PDF、DOCX、网页、文本），输出表格数值和校验结果；不写数据库。"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--json", action="store_true", help="每个文件输出一行 JSON（ensure_ascii=False）"
        )

    def handle(self, *args, **options):
        for path in options["files"]:
            payload = parse_file(path)
            if options["json"]:
                self.stdout.write(json.dumps(payload, ensure_ascii=False))
            else:
                self.stdout.write(self._summary(payload))

    def _summary(self, payload: dict) -> str:
        if payload.get("error"):
            return self.style.ERROR(f"{payload['file']}: 失败 — {payload['error']}")
        codes = [f["code"] for f in payload["findings"]]
        lines = [
            f"{payload['file']}: {payload['organ'] or '（未识别机关）'} "
            f"{payload['year'] or '?'}年 · {payload['edition'] or '?'}年版 · "
            f"发布 {payload['published'] or '?'}",
            f"  校验：{'、'.join(dict.fromkeys(codes)) if codes else '全部通过'}"
            f"（{len(codes)} 条）",
        ]
        lines += [f"  警告：{w}" for w in payload["warnings"]]
        return "\n".join(lines)
