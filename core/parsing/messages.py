"""Every parser warning and failure, once: a Chinese template per key, filled from params.

A warning is a :class:`Message`: the Chinese sentence every reader of ``warnings`` sees (a
str), which also keeps its template key and params so that the portal can say it again in
the viewer's language (filing.messages.warning_text). A file that cannot be read fails with
a Message too (ERRORS: ExtractionError, ParseResult.error_message). Templates and params work as the
checks' do (core/checks/messages.py, whose renderer fills both): a string param is a
catalogue word (a label of the national format, 表三) or a number as printed; what the file
printed is ``{"raw": text}`` and is never translated; a location is a phrase (第N页 第M行).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from core.checks.messages import gettext_noop, render
from core.ocr.scan import MESSAGES as OCR_ERRORS

from .document import LOCATION_LINE, LOCATION_PAGE_LINE, Line

WARNINGS: dict[str, str] = {
    # text.py, html.py: decoding and size limits
    "encoding_guessed": gettext_noop("文件编码不明确，按 %(encoding)s 读取，个别文字可能有误。"),
    "encoding_unknown": gettext_noop("文件编码无法识别，部分文字可能显示为乱码。"),
    "text_too_long": gettext_noop("文件过长，只读取了前 %(count)s 个字符。"),
    "text_too_many_lines": gettext_noop("文件行数过多，只读取了前 %(count)s 行。"),
    # pdf.py
    "pdf_timeout": gettext_noop("读取超时，只读取了前 %(count)s 页。"),
    "pdf_page_unreadable": gettext_noop("第%(page)s页无法读取，已跳过。"),
    "pdf_image_pages": gettext_noop("第%(pages)s页是图片（扫描件），其中的文字未能读取，请核对。"),
    "pdf_scan_no_ocr": gettext_noop(
        "这是扫描件（PDF 中没有文字层），系统无法读取表格数字。"
        "请上传由 Word/WPS 直接导出的 PDF，或直接在表单中填写。"
    ),
    "pdf_scan_ocr": gettext_noop("这是扫描件（PDF 中没有文字层），由自动识别（OCR）读取。"),
    # scanned.py
    "ocr_scan": gettext_noop(
        "这是扫描件，表格数字由自动识别（OCR）得到，请对照原件逐项核对标记的数字。"
    ),
    # reader.py
    "edition_guessed": gettext_noop(
        "无法从表格标签判断版式，按年度暂定为%(edition)s年版，请核对。"
    ),
    "table_stream": gettext_noop("%(table)s按逐格文本读取（原文表格结构已丢失），请核对。"),
    "headings_missing": gettext_noop("未找到以下部分的标题：%(parts)s。"),
    "title_missing": gettext_noop("未找到报告标题（“××年政府信息公开工作年度报告”）。"),
    "year_missing": gettext_noop("未能从标题中识别统计年度。"),
    "year_from_period": gettext_noop("标题中没有年度，统计年度取自“统计期限”一句。"),
    "organ_missing": gettext_noop("未能识别发布机关。"),
    "published_missing": gettext_noop("未找到落款日期（发布日期），请手工填写。"),
    # section2.py
    "s2_unreadable": gettext_noop("表二“%(row)s”%(where)s：无法识别的数值“%(raw)s”。"),
    "s2_row_missing": gettext_noop("表二未找到“%(row)s”行，数值留空。"),
    "s2_cell_missing": gettext_noop("表二“%(row)s”缺少“%(column)s”的数值。"),
    # section3.py
    "s3_unreadable": gettext_noop("表三%(where)s：无法识别的数值“%(raw)s”，按空白处理。"),
    "s3_header_missing": gettext_noop(
        "表三表头缺少“%(columns)s”列；缺少的数值仅在总计关系能确定时补出。"
    ),
    "s3_collapsed_mismatch": gettext_noop(
        "表三%(where)s：合并行的子项数（%(parts)s）与数值个数不一致，未读取。"
    ),
    "s3_row_repeated": gettext_noop("表三“%(row)s”出现多次（%(where)s），保留第一次的数值。"),
    "s3_too_many_values": gettext_noop(
        "表三“%(row)s”（%(where)s）数值多于列数，取最后 %(width)s 个。"
    ),
    "s3_unplaced": gettext_noop(
        "表三“%(row)s”（%(where)s）只有 %(count)s 个数值，无法确定所在列，按空白处理。"
    ),
    "s3_glued_blanks": gettext_noop(
        "表三“%(row)s”（%(where)s）数字连在一起（“%(raw)s”），"
        "且有空白单元格，无法确定空白所在的列，数值留空，请核对原件。"
    ),
    "s3_glued_ambiguous": gettext_noop(
        "表三“%(row)s”（%(where)s）数字连在一起（“%(raw)s”），"
        "有 %(count)s 种拆分都符合勾稽关系：%(options)s。%(columns)s列留空，请核对原件。"
    ),
    "s3_derived": gettext_noop(
        "表三以下各行缺少的列按“总计=各类申请人之和”推算，请核对：%(rows)s。"
    ),
    "s3_row_missing": gettext_noop("表三未找到“%(row)s”行，数值留空。"),
    # section4.py
    "s4_no_data": gettext_noop("表四未找到数据行，数值留空。"),
    "s4_width": gettext_noop(
        "表四数据行有 %(count)s 个单元格（应为 %(width)s 个），无法确定对应关系，数值留空。"
    ),
    "s4_page_break": gettext_noop(
        "表四数据行跨页断开（%(first)s、%(second)s），已按各组“总计=各项之和”接续，请核对原件。"
    ),
    "s4_glued_ambiguous": gettext_noop(
        "表四%(where)s数字连在一起（“%(raw)s”），有 %(count)s 种拆分都符合"
        "“总计=各项之和”：%(options)s。不能确定的单元格留空，请核对原件。"
    ),
    "s4_unreadable": gettext_noop("表四%(where)s：无法识别的数值“%(raw)s”。"),
    "s4_blanks": gettext_noop("表四以下单元格为空白：%(cells)s。"),
    # core/ocr/proof.py (it calls result.warn(key, **params); it never imports the parser)
    "ocr_uncertain": gettext_noop("以下数字识别不确定，请对照原件核对：%(cells)s。"),
    "ocr_mismatch": gettext_noop(
        "%(rule)s不符（%(left)s ≠ %(right)s），可能是某格识别错误，请核对原件：%(options)s。"
    ),
    # Phrases that fill the warnings above.
    "location:line": LOCATION_LINE,
    "location:page_line": LOCATION_PAGE_LINE,
    "s4_cell": gettext_noop("%(group)s·%(column)s"),
    "cells_more": gettext_noop("%(names)s等 %(count)s 格"),
    "ocr:page": gettext_noop("第%(page)s页"),
    "ocr:cell": gettext_noop("%(page)s%(table)s「%(row)s·%(column)s」"),
    "ocr:option": gettext_noop("%(cell)s为%(value)s"),
    "ocr:rule_row_total": gettext_noop("表三「%(row)s」行总计"),
    "ocr:rule_column_total": gettext_noop("表三「%(column)s」列（七）总计"),
    "ocr:rule_balance": gettext_noop("表三「%(column)s」列 一+二=（七）+四"),
    "ocr:rule_s4_total": gettext_noop("表四「%(group)s」总计"),
}

# Why a file cannot be read (ParseResult.error), for the clerk.
ERRORS: dict[str, str] = {
    # sniff.py
    "empty_file": gettext_noop("文件是空的，没有可读取的内容。请检查后重新上传。"),
    "old_office": gettext_noop(
        "这是旧版 Word/Excel 文件（.doc/.xls），系统无法直接读取。"
        "请在 Office 或 WPS 中另存为 DOCX 或 PDF 后上传，或直接在表单中填写。"
    ),
    "image_file": gettext_noop(
        "这是图片文件，系统无法直接读取其中的文字（需要文字识别）。"
        "请上传带文字的 PDF 或 DOCX，或直接在表单中填写。"
    ),
    "unknown_format": gettext_noop(
        "无法识别该文件的格式（不是 PDF、DOCX、网页或文本文件）。"
        "请上传 PDF 或 DOCX 格式的年度报告，或直接在表单中填写。"
    ),
    "other_office": gettext_noop(
        "这是%(what)s文件，系统无法读取。请另存为 DOCX 或 PDF 后上传，或直接在表单中填写。"
    ),
    "zip_corrupt": gettext_noop(
        "文件已损坏或不完整，无法读取。请重新导出后上传，或直接在表单中填写。"
    ),
    "zip_archive": gettext_noop(
        "这是压缩包（ZIP），不是 Word 文档。请解压后上传其中的 PDF 或 DOCX 文件。"
    ),
    # extract.py
    "too_large": gettext_noop(
        "文件过大（%(size)s MB），上限为 %(limit)s MB。请压缩图片或只保留年度报告正文后重新上传。"
    ),
    "no_text": gettext_noop(
        "文件中没有找到可读取的文字。请确认上传的是年度报告正文，或直接在表单中填写。"
    ),
    # pdf.py
    "pdf_corrupt": gettext_noop(
        "PDF 文件已损坏或不完整，无法读取。请重新导出 PDF 后上传，或直接在表单中填写。"
    ),
    "pdf_encrypted": gettext_noop(
        "PDF 文件设置了密码保护，无法读取。请取消密码后重新导出 PDF 再上传，或直接在表单中填写。"
    ),
    "pdf_too_many_pages": gettext_noop(
        "PDF 共 %(pages)s 页，超过 %(limit)s 页的上限，不像是一份年度报告。请只上传年度报告本身。"
    ),
    "pdf_empty": gettext_noop(
        "PDF 中没有任何文字或图像内容。请检查文件后重新上传，或直接在表单中填写。"
    ),
    # docx.py
    "docx_corrupt": gettext_noop(
        "Word 文件已损坏或格式不标准，无法读取。"
        "请在 Word 或 WPS 中打开后重新另存为 DOCX（或导出 PDF）再上传，或直接在表单中填写。"
    ),
    "docx_zip_bomb": gettext_noop(
        "文件解压后体积异常巨大，可能是恶意构造的文件，已拒绝读取。"
        "请上传正常导出的 DOCX 或 PDF，或直接在表单中填写。"
    ),
    # html.py
    "html_empty": gettext_noop("网页中没有可读取的内容。"),
    "html_corrupt": gettext_noop(
        "网页文件无法解析。请上传 PDF 或 DOCX 格式的年度报告，或直接在表单中填写。"
    ),
    # __init__.py: a scan the portal cannot read (no OCR) and that said nothing itself
    "scan_unreadable": gettext_noop("扫描件无法识别，请手工填写。"),
    # core/ocr/scan.py (scanned.py fails with its ScanError's key and params)
    **OCR_ERRORS,
}
# Every key a Message may name: warnings, failures and the phrases that fill them.
TEMPLATES: dict[str, str] = {**WARNINGS, **ERRORS}

# Words that fill the templates and are not labels of the national format: the six parts'
# numerals, the row keys of table 三 (the OCR warnings name cells by key), separators.
WORDS = (
    gettext_noop("一"),
    gettext_noop("二"),
    gettext_noop("三"),
    gettext_noop("四"),
    gettext_noop("五"),
    gettext_noop("六"),
    gettext_noop("三.一"),
    gettext_noop("三.二"),
    gettext_noop("三.三.1"),
    gettext_noop("三.三.2"),
    gettext_noop("三.三.3"),
    gettext_noop("三.三.4"),
    gettext_noop("三.三.5"),
    gettext_noop("三.三.6"),
    gettext_noop("三.三.7"),
    gettext_noop("三.三.8"),
    gettext_noop("三.四.1"),
    gettext_noop("三.四.2"),
    gettext_noop("三.四.3"),
    gettext_noop("三.五.1"),
    gettext_noop("三.五.2"),
    gettext_noop("三.五.3"),
    gettext_noop("三.五.4"),
    gettext_noop("三.五.5"),
    gettext_noop("三.六"),
    gettext_noop("三.六.1"),
    gettext_noop("三.六.2"),
    gettext_noop("三.六.3"),
    gettext_noop("三.七"),
    gettext_noop("；"),
    gettext_noop("；或"),
    # The other office formats sniff.py names (other_office): the rest are names.
    gettext_noop("Excel 表格"),
)


class Message(str):
    """A warning's or failure's Chinese sentence that also keeps its template key and params."""

    template: str
    params: dict

    def __new__(cls, template: str, **params: Any) -> Message:
        text = render(template, params, templates=TEMPLATES)
        if text is None:
            raise KeyError(f"no parser message {template!r}")
        message = super().__new__(cls, text)
        message.template = template
        message.params = params
        return message

    def __reduce__(self):
        # Pickled from the parse sandbox's child to the worker (filing.services.sandbox).
        return _message, (self.template, self.params)

    def to_dict(self) -> dict:
        """How a parse run stores it: the Chinese as written, and what says it again."""
        return {"text": str(self), "template": self.template, "params": self.params}


def _message(template: str, params: dict) -> Message:
    return Message(template, **params)


def render_warning(
    template: str, params: dict, translate: Callable[[str], str] | None = None
) -> str | None:
    """A warning or failure in the language ``translate`` gives (Chinese by default); None if
    the template is unknown."""
    return render(template, params, translate, templates=TEMPLATES)


def where(line: Line) -> dict:
    """Where a line was printed, as a phrase (what Line.where() says)."""
    if line.page is not None:
        return {"template": "location:page_line", "page": line.page, "line": line.number}
    return {"template": "location:line", "line": line.number}


def printed(text: str) -> dict:
    """Text as the file printed it: quoted as is in every language."""
    return {"raw": str(text)}


def joined(items: Iterable, separator: str = "、") -> dict:
    """A list said with the language's separator."""
    return {"join": separator, "items": list(items)}
