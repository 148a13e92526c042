"""Scanned pages to rows of cells: render or decode, prepare, OCR, rebuild lines.

Limits make every outcome clear: too many pages, out of time, unreadable
(blurred or tiny) and password-protected files raise ScanError with a stable
code and the clerk's message (a Chinese template of MESSAGES and its params).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from core.ocr import engine, image, layout
from core.ocr.engine import Box
from core.ocr.proof import number_cell

MAX_PAGES = int(os.environ.get("PORTAL_OCR_MAX_PAGES", "40"))
TIME_BUDGET = float(os.environ.get("PORTAL_OCR_BUDGET", "600"))
MIN_SCORE = 0.75  # mean recognition confidence below which a page is "unreadable"


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue; the portal translates it when shown."""
    return message


# The clerk's messages by key, with %-params: core.parsing.messages takes them among its
# templates, so the portal says them in the viewer's language (this package never imports
# the parser).
MESSAGES: dict[str, str] = {
    "ocr_unreadable": gettext_noop(
        "扫描件太模糊或分辨率太低，无法可靠识别。请以300dpi彩色平整扫描（或在光线均匀处正对纸面拍照）"
        "后重新上传，或直接在表单中填写。"
    ),
    "ocr_too_many_pages": gettext_noop(
        "扫描件共 %(pages)s 页，超过 %(limit)s 页的识别上限。"
        "请只上传年度报告本身，或直接在表单中填写。"
    ),
    "ocr_timeout": gettext_noop(
        "扫描件识别超时（超过 %(budget)s 秒），只识别了前 %(done)s 页。"
        "请上传较少页数或较清晰的扫描件，或直接在表单中填写。"
    ),
    "ocr_encrypted": gettext_noop(
        "PDF 文件设置了密码保护，无法读取。请取消密码后重新导出 PDF 再上传，或直接在表单中填写。"
    ),
    "ocr_no_table": gettext_noop(
        "扫描件中没有找到年度报告的统计表格（二、三、四部分）。请确认上传的是完整的年度报告，"
        "或直接在表单中填写。"
    ),
}
UNREADABLE = MESSAGES["ocr_unreadable"]
ENCRYPTED = MESSAGES["ocr_encrypted"]
NO_TABLE = MESSAGES["ocr_no_table"]  # the parser fails with it when a scan has no table


class ScanError(Exception):
    """A scan that cannot be read: a stable ``code``; the message's ``template`` key (of
    MESSAGES) and ``params`` say it again in another language."""

    def __init__(self, code: str, template: str, **params):
        super().__init__(MESSAGES[template] % params)
        self.code = code
        self.template = template
        self.params = params


@dataclass
class Scan:
    """The OCR'd pages: their lines and, per line, the boxes behind each cell."""

    pages: dict[int, layout.PageLines] = field(default_factory=dict)
    seconds: dict[int, float] = field(default_factory=dict)
    scores: list[float] = field(default_factory=list)

    @property
    def tables(self) -> int:
        return sum(p.tables for p in self.pages.values())


def page_images(data: bytes, kind: str, pages: list[int] | None = None):
    """Yield (page number, BGR image) for the pages to read."""
    if kind == "pdf":
        try:
            count = image.pdf_page_count(data)
        except Exception as exc:  # pypdfium2 raises PdfiumError for passwords and damage
            if "password" in str(exc).lower():
                raise ScanError("encrypted", "ocr_encrypted") from exc
            raise ScanError("unreadable_scan", "ocr_unreadable") from exc
        numbers = pages or list(range(1, count + 1))
        _check_pages(len(numbers))
        for n in numbers:
            yield n, image.render_pdf_page(data, n)
    else:
        try:
            frames = image.image_frames(data)
        except Exception as exc:  # noqa: BLE001 - a truncated or hostile image
            raise ScanError("unreadable_scan", "ocr_unreadable") from exc
        _check_pages(len(frames))
        yield from enumerate(frames, 1)


def _check_pages(count: int) -> None:
    if count > MAX_PAGES:
        raise ScanError("too_many_pages", "ocr_too_many_pages", pages=count, limit=MAX_PAGES)


def read_pages(
    data: bytes, kind: str, pages: list[int] | None = None, *, budget: float = TIME_BUDGET
) -> Scan:
    """OCR the given pages (all when None) within ``budget`` seconds."""
    started = time.monotonic()
    scan = Scan()
    table_base = 1000  # apart from a text layer's own table numbers
    for number, raw in page_images(data, kind, pages):
        if time.monotonic() - started > budget:
            raise ScanError(
                "ocr_timeout", "ocr_timeout", budget=round(budget), done=len(scan.pages)
            )
        t0 = time.monotonic()
        if image.too_small(raw):
            raise ScanError("unreadable_scan", "ocr_unreadable")
        prepared, colour = image.prepare(raw)
        boxes = engine.read(prepared)
        scan.scores += [b.score for b in boxes]
        gray = prepared[:, :, 0]
        page = layout.page_lines(_numbers(boxes), gray, colour, number, table_base)
        table_base += page.tables
        scan.pages[number] = page
        scan.seconds[number] = time.monotonic() - t0
    if not scan.scores or _mean(scan.scores) < MIN_SCORE:
        raise ScanError("unreadable_scan", "ocr_unreadable")
    return scan


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)


def _numbers(boxes: list[Box]) -> list[Box]:
    """Look-alikes in number-shaped boxes become digits, at a confidence cost."""
    for b in boxes:
        fixed, changed = number_cell(b.text)
        if changed:
            b.text = fixed
            b.score = min(b.score, 0.8)
    return boxes
