"""Small inputs that each make the parser warn, one or more kinds of warning per case."""

from __future__ import annotations

import itertools

from core.parsing import parse_bytes, pdf, section4, text
from core.parsing.document import Line
from core.parsing.result import ParseResult
from core.parsing.section2 import read_section2
from core.parsing.section3 import Section3Reader
from core.parsing.section4 import read_section4
from tests.core.parsing import synth

FIGURES = synth.figures(1)
REPORT = synth.report(FIGURES)
S4_ROW = "\t".join(str(v) for v in FIGURES["section4"])
NEW_ROW = "一、本年新收政府信息公开申请数量\t\t443\t441\t724\t648\t438\t392\t3086"


def _parse(report: str) -> list:
    return parse_bytes(report.encode("utf-8"), "report.txt").warnings


def _edited(old: str, new: str) -> list:
    assert old in REPORT, old
    return _parse(REPORT.replace(old, new, 1))


def _lines(*rows: list[str], page: int | None = None) -> list[Line]:
    return [Line(cells=cells, number=i, page=page, table=1) for i, cells in enumerate(rows, 1)]


def _read(reader, lines: list[Line]) -> list:
    result = ParseResult()
    reader(lines, result)
    return result.warnings


def _with_row(key: str, printed: str, figures: dict | None = None, sep: str = "\t") -> list:
    """The report with one 表三 row's figures printed as ``printed`` after its label."""
    label = next(r.label for r in synth.EDITION.section3_rows if r.key == key)

    def table(rows):
        return [
            f"{r[0]}{sep}{printed}" if r[0] and r[0].endswith(label) else "\t".join(r) for r in rows
        ]

    return _parse(synth.report(figures or synth.figures(2, small=True), table=table))


def _s4_cells(raws: list[str]) -> list:
    """Table 四's 15 cells as read from one printed line (a cell the reader could not parse)."""
    line = Line(cells=raws, number=1, table=1)
    result = ParseResult()
    section4._emit([(raw, line, 0.9) for raw in raws], result)
    return result.warnings


def _s3_glued_ambiguous() -> list:
    figures = synth.figures(2)
    s3 = figures["section3"]
    s3["三.一"] = [1, 3, 12, 0, 0, 0, 16]
    s3["三.七"] = [None] * 7  # the column rules cannot decide
    return _with_row("三.一", "13\t12\t0\t0\t0\t16", figures, sep="\t\t")


def _s4_glued_ambiguous() -> list:
    figures = synth.figures(4)
    figures["section4"] = [0, 10, 0, 1, 11, 0, 2, 2, 2, 6, 11, 2, 0, 0, 13]

    def table(rows):
        lines = ["\t".join(r) for r in rows]
        if rows[0][0].startswith("行政复议"):
            lines[1] = "0100111022261120013"
        return lines

    return _parse(synth.report(figures, table=table))


def _pdf_pages(monkeypatch, failing: int | None = None, timeout_after: int | None = None):
    from tests.support.render import text_pdf

    data = text_pdf([[(72, 72, f"page {n}")] for n in range(3)])
    if failing is not None:
        read_page = pdf._read_page

        def fail(page, number, state):
            if number == failing:
                raise pdf._pdf_errors()[0]("broken page")
            return read_page(page, number, state)

        monkeypatch.setattr(pdf, "_read_page", fail)
    if timeout_after is not None:
        clock = itertools.count()
        monkeypatch.setattr(pdf.time, "monotonic", lambda: 0 if next(clock) <= 1 else 10**6)
    return pdf.extract_pdf(data, budget=timeout_after or 60).warnings


def _pdf_image_pages(monkeypatch) -> list:
    import io

    import pypdfium2

    from tests.support.render import image_pdf, text_pdf

    merged = pypdfium2.PdfDocument(text_pdf([[(72, 72, "Report 2023")]]))
    merged.import_pages(pypdfium2.PdfDocument(image_pdf()))
    merged.import_pages(pypdfium2.PdfDocument(image_pdf()))
    buffer = io.BytesIO()
    merged.save(buffer)
    return pdf.extract_pdf(buffer.getvalue()).warnings


def _pdf_scan(monkeypatch, ocr: bool) -> list:
    from tests.support.render import image_pdf

    monkeypatch.setattr(pdf.ocr, "available", lambda: ocr)
    return pdf.extract_pdf(image_pdf()).warnings


def _text_limits(monkeypatch) -> list:
    monkeypatch.setattr(text, "MAX_CHARS", 1200)
    monkeypatch.setattr(text, "MAX_LINES", 10)
    return text.extract_text(("第一行\n" * 400).encode("utf-8")).warnings


def _encoding(data: bytes) -> list:
    return text.extract_text(data).warnings


# name -> (how to get the warnings, given pytest's monkeypatch; warnings it must give).
CASES = {
    "s2_unreadable": (
        lambda mp: _edited("规章\t104\t104\t30", "规章\t104\t1 —\t30"),
        ["表二“规章”第8行：无法识别的数值“1 —”。"],
    ),
    "s2_row_missing": (
        lambda mp: _edited("行政许可\t12", "行政许可"),
        ["表二未找到“行政许可”行，数值留空。"],
    ),
    "s2_cell_missing": (
        lambda mp: _read(
            lambda lines, r: read_section2(lines, synth.EDITION, r),
            _lines(["规章", "104", "30"]),
        ),
        ["表二“规章”缺少“现行有效件数”的数值。"],
    ),
    "s3_unreadable": (
        lambda mp: _edited("（一）予以公开\t\t1\t12", "（一）予以公开\t\t1\t1 /"),
        ["表三第24行：无法识别的数值“1 /”，按空白处理。"],
    ),
    "s3_too_many_values": (
        lambda mp: _edited(NEW_ROW, NEW_ROW.replace("\t\t", "\t\t9\t")),
        ["表三“一、本年新收政府信息公开申请数量”（第22行）数值多于列数，取最后 7 个。"],
    ),
    "s3_unplaced": (
        lambda mp: _edited(NEW_ROW, "一、本年新收政府信息公开申请数量\t\t443\t441\t724\t3086"),
        [
            "表三“一、本年新收政府信息公开申请数量”（第22行）只有 5 个数值，"
            "无法确定所在列，按空白处理。"
        ],
    ),
    "s3_header_missing+s3_derived": (
        lambda mp: _parse(
            REPORT.replace("\t其他\t总计", "\t总计").replace(
                NEW_ROW, "一、本年新收政府信息公开申请数量\t\t443\t441\t724\t648\t830\t3086"
            )
        ),
        [
            "表三表头缺少“其他”列；缺少的数值仅在总计关系能确定时补出。",
            "表三以下各行缺少的列按“总计=各类申请人之和”推算，请核对：一、本年新收政府信息公开申请数量。",
        ],
    ),
    "s3_row_missing": (
        lambda mp: _parse(REPORT.replace(NEW_ROW + "\n", "")),
        ["表三未找到“一、本年新收政府信息公开申请数量”行，数值留空。"],
    ),
    "s3_row_repeated": (
        lambda mp: _edited(NEW_ROW, NEW_ROW + "\n" + NEW_ROW),
        ["表三“一、本年新收政府信息公开申请数量”出现多次（第23行），保留第一次的数值。"],
    ),
    "s3_collapsed_mismatch": (
        lambda mp: _read(
            lambda lines, r: Section3Reader(synth.EDITION, r).read(lines),
            _lines(["（三）不予公开", "1.属于国家秘密 2.其他法律行政法规禁止公开", "0 0 0", "0"]),
        ),
        ["表三第1行：合并行的子项数（2）与数值个数不一致，未读取。"],
    ),
    "s3_glued_blanks": (
        lambda mp: _with_row("三.二", "000000", sep="   "),
        [
            "表三“（二）部分公开”（第25行）数字连在一起（“000000”），且有空白单元格，"
            "无法确定空白所在的列，数值留空，请核对原件。"
        ],
    ),
    "s3_glued_ambiguous": (
        lambda mp: _s3_glued_ambiguous(),
        [
            "表三“（一）予以公开”（第24行）数字连在一起（“13 12 0 0 0 16”），"
            "有 2 种拆分都符合勾稽关系：13 1 2 0 0 0 16；1 3 12 0 0 0 16。"
            "自然人、商业企业、科研机构列留空，请核对原件。"
        ],
    ),
    "s4_no_data": (
        lambda mp: _read(read_section4, _lines(["行政复议", "行政诉讼"])),
        ["表四未找到数据行，数值留空。"],
    ),
    "s4_width": (
        lambda mp: _read(read_section4, _lines(["1", "2", "3", "4", "5", "6"])),
        ["表四数据行有 6 个单元格（应为 15 个），无法确定对应关系，数值留空。"],
    ),
    "s4_page_break": (
        lambda mp: _read(
            read_section4,
            [
                Line(cells=["行政复议", "行政诉讼"], number=1, page=6, table=6),
                Line(
                    cells=["19", "34", "29", "32", "2", "53", "13", "10", "20", "9", "26", "7"]
                    + ["8", "11", "5"],
                    number=2,
                    page=6,
                    table=6,
                ),
                Line(
                    cells=["7", "", "", "", "9\n2", "", "", "", "", "6", "", "", "", "", "2"],
                    number=3,
                    page=7,
                    table=7,
                ),
            ],
        ),
        [
            "表四数据行跨页断开（第6页 第2行、第7页 第3行），已按各组“总计=各项之和”接续，请核对原件。"
        ],
    ),
    "s4_glued_ambiguous": (
        lambda mp: _s4_glued_ambiguous(),
        [
            "表四第49行数字连在一起（“0100111022261120013”），有 2 种拆分都符合“总计=各项之和”："
            "0 10 0 1 11 0 2 2 2 6 1 12 0 0 13；0 10 0 1 11 0 2 2 2 6 11 2 0 0 13。"
            "不能确定的单元格留空，请核对原件。",
            "表四以下单元格为空白：复议后起诉·结果维持、复议后起诉·结果纠正。",
        ],
    ),
    "s4_unreadable+s4_blanks": (
        lambda mp: _s4_cells(["1 —", "", *["0"] * 13]),
        [
            "表四第1行：无法识别的数值“1 —”。",
            "表四以下单元格为空白：行政复议·结果维持、行政复议·结果纠正。",
        ],
    ),
    "edition_guessed+headings+meta": (
        lambda mp: _parse("随便写的一段话\n另一段话"),
        [
            "未找到以下部分的标题：一、二、三、四、五、六。",
            "未找到报告标题（“××年政府信息公开工作年度报告”）。",
            "未能从标题中识别统计年度。",
            "未能识别发布机关。",
            "未找到落款日期（发布日期），请手工填写。",
            "无法从表格标签判断版式，按年度暂定为2019年版，请核对。",
        ],
    ),
    "year_from_period": (
        lambda mp: _edited(synth.TITLE, f"{synth.ORGAN}政府信息公开工作年度报告"),
        ["标题中没有年度，统计年度取自“统计期限”一句。"],
    ),
    "table_stream": (
        lambda mp: _parse(
            synth.report(FIGURES, table=lambda rows: [c for r in rows for c in r if c])
        ),
        [
            "表二按逐格文本读取（原文表格结构已丢失），请核对。",
            "表三按逐格文本读取（原文表格结构已丢失），请核对。",
            "表四按逐格文本读取（原文表格结构已丢失），请核对。",
        ],
    ),
    "text_limits": (
        _text_limits,
        ["文件过长，只读取了前 1,200 个字符。", "文件行数过多，只读取了前 10 行。"],
    ),
    "encoding_unknown": (
        lambda mp: _encoding(bytes(range(0x80, 0x100)) * 4),
        ["文件编码无法识别，部分文字可能显示为乱码。"],
    ),
    "encoding_guessed": (
        lambda mp: _encoding("Привет, как дела? Хорошо.".encode("cp1251") * 5),
        ["文件编码不明确，按 cp1251 读取，个别文字可能有误。"],
    ),
    "pdf_page_unreadable": (
        lambda mp: _pdf_pages(mp, failing=2),
        ["第2页无法读取，已跳过。"],
    ),
    "pdf_timeout": (
        lambda mp: _pdf_pages(mp, timeout_after=1),
        ["读取超时，只读取了前 1 页。"],
    ),
    "pdf_image_pages": (
        _pdf_image_pages,
        ["第2、3页是图片（扫描件），其中的文字未能读取，请核对。"],
    ),
    "pdf_scan_ocr": (
        lambda mp: _pdf_scan(mp, ocr=True),
        ["这是扫描件（PDF 中没有文字层），由自动识别（OCR）读取。"],
    ),
    "pdf_scan_no_ocr": (
        lambda mp: _pdf_scan(mp, ocr=False),
        [
            "这是扫描件（PDF 中没有文字层），系统无法读取表格数字。"
            "请上传由 Word/WPS 直接导出的 PDF，或直接在表单中填写。"
        ],
    ),
}
