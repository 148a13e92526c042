"""Scans of sample reports (development only): stamped, skewed, blurred, photographed.

``scan(pdf, kind)`` turns a PDF with a text layer into what townships upload:
an image-only PDF, JPEG, PNG or multi-page TIFF at 150-300 dpi, with a red
seal over the signature and some figures, skew, blur, noise, JPEG artefacts or
a phone photo's perspective and shading. ``python -m bench.corpus.scans --bench``
measures the OCR against the figures the sample printed.
"""

from __future__ import annotations

import io
import math
import random
import resource
import statistics
import sys
import time

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from core import formats

KINDS = ("pdf", "jpeg", "png", "tiff", "photo")
# (kind, dpi) measured by ``bench``; None lets the seed choose 150, 200 or 300 dpi.
BENCH_KINDS = (("pdf", 150), ("pdf", 200), ("pdf", 300), ("jpeg", None), ("png", None),
               ("tiff", None), ("photo", None))  # fmt: skip
_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

_S3_LABELS = [
    ("一", ["一、本年新收政府信息公开申请数量", ""]),
    ("二", ["二、上年结转政府信息公开申请数量", ""]),
    ("三.一", ["三、本年度办理结果", "(一) 予以公开"]),
    ("三.二", ["", "(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)"]),
    *[(f"三.三.{i}", ["", "(三) 不予公开" if i == 1 else "", t]) for i, t in enumerate(
        ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
         "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
         "7.属于行政执法案卷", "8.属于行政查询事项"], 1)],
    *[(f"三.四.{i}", ["", "(四) 无法提供" if i == 1 else "", t]) for i, t in enumerate(
        ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"], 1)],
    *[(f"三.五.{i}", ["", "(五) 不予处理" if i == 1 else "", t]) for i, t in enumerate(
        ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
         "5.要求行政机关确认或重新出具已获取信息"], 1)],
    *[(f"三.六.{i}", ["", "(六) 其他处理" if i == 1 else "", t]) for i, t in enumerate(
        ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
         "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"], 1)],
    ("三.七", ["", "(七) 总计"]),
    ("四", ["四、结转下年度继续办理", ""]),
]  # fmt: skip


def figures(seed: int) -> dict:
    """Random 2021-edition figures that satisfy every 勾稽 relation."""
    rnd = random.Random(seed)
    cols = formats.APPLICANT_KEYS[:-1]
    s3: dict[str, list[int]] = {}
    leaves = [k for k, _ in _S3_LABELS if k.startswith("三.") and k != "三.七"]
    for key in leaves:
        s3[key] = [rnd.choice([0, 0, 0, rnd.randint(1, 40)]) for _ in cols]
    s3["三.七"] = [sum(s3[k][i] for k in leaves) for i in range(len(cols))]
    s3["四"] = [rnd.randint(0, 5) for _ in cols]
    s3["二"] = [rnd.randint(0, 8) for _ in cols]
    s3["一"] = [s3["三.七"][i] + s3["四"][i] - s3["二"][i] for i in range(len(cols))]
    s3["一"] = [max(v, 0) for v in s3["一"]]
    s3["二"] = [s3["三.七"][i] + s3["四"][i] - s3["一"][i] for i in range(len(cols))]
    section3 = {k: [*v, sum(v)] for k, v in s3.items()}
    section4 = []
    for _ in formats.SECTION4_GROUPS:
        parts = [rnd.randint(0, 6) for _ in range(4)]
        section4 += [*parts, sum(parts)]
    section2 = {
        "规章": [0, 0, 0],
        "行政规范性文件": [rnd.randint(0, 9), rnd.randint(0, 3), rnd.randint(0, 30)],
        "行政许可": [rnd.randint(0, 300)],
        "行政处罚": [rnd.randint(0, 90)],
        "行政强制": [rnd.randint(0, 20)],
        "行政事业性收费": [rnd.randint(0, 50)],
    }
    return {"section2": section2, "section3": section3, "section4": section4}


def report_text(seed: int, organ: str = "晋江市紫帽镇人民政府", year: int = 2023) -> str:
    """The report as tab-separated text in the national 2021 layout."""
    f = figures(seed)
    s2 = f["section2"]
    t = "\t"
    lines = [
        f"{organ}{year}年政府信息公开工作年度报告",
        "一、总体情况",
        f"{year}年，我镇认真贯彻落实《中华人民共和国政府信息公开条例》，"
        f"全年共收到政府信息公开申请{f['section3']['一'][-1]}件，均已按时答复。",
        "二、主动公开政府信息情况",
        "第二十条第（一）项\t\t\t",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        *[f"{k}\t" + t.join(map(str, s2[k])) for k in ("规章", "行政规范性文件")],
        "第二十条第（五）项\t\t\t",
        "信息内容\t本年处理决定数量\t\t",
        f"行政许可\t{s2['行政许可'][0]}\t\t",
        "第二十条第（六）项\t\t\t",
        "信息内容\t本年处理决定数量\t\t",
        f"行政处罚\t{s2['行政处罚'][0]}\t\t",
        f"行政强制\t{s2['行政强制'][0]}\t\t",
        "第二十条第（八）项\t\t\t",
        "信息内容\t本年收费金额（单位：万元）\t\t",
        f"行政事业性收费\t{s2['行政事业性收费'][0]}\t\t",
        "三、收到和处理政府信息公开申请情况",
        "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t\t申请人情况\t\t\t\t\t\t",
        "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
        "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
    ]
    for key, labels in _S3_LABELS:
        cells = (labels + ["", "", ""])[:3]
        lines.append(t.join(cells + [str(v) for v in f["section3"][key]]))
    lines += [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t",
        "\t\t\t\t\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
        t.join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3),
        t.join(map(str, f["section4"])),
        "五、存在的主要问题及改进情况",
        "一是公开内容不够全面；二是解读形式较为单一。下一步将加强培训，提升公开质量。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
        organ,
        f"{year + 1}年1月20日",
    ]
    return "\n".join(lines)


def expected_cells(seed: int) -> dict[tuple[str, str, str], int]:
    """(table, row, column) -> the figure the sample printed."""
    f = figures(seed)
    out = {}
    edition = formats.get_edition(formats.EDITION_2021)
    s2 = [v for k in ("规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费")
          for v in f["section2"][k]]  # fmt: skip
    for (row, col), v in zip(edition.section2_cells(), s2, strict=True):
        out[(formats.SECTION2, row, col)] = v
    for row, values in f["section3"].items():
        for col, v in zip(formats.APPLICANT_KEYS, values, strict=True):
            out[(formats.SECTION3, row, col)] = v
    for (g, c), v in zip(formats.SECTION4_CELLS, f["section4"], strict=True):
        out[(formats.SECTION4, g, c)] = v
    return out


def sample_pdf(seed: int = 1, *, corpus: bool = False) -> tuple[bytes | None, dict]:
    """(born-digital PDF, expected cells): this file's own sample, or one of bench.corpus."""
    if corpus:
        from bench import corpus as shared

        clean = [s for s in shared.samples() if not s.faults]
        sample = clean[seed % len(clean)]
        return shared.render(sample, "pdf", "official"), cells_of(sample.figures)
    from tests.support.render import docx_to_pdf, text_to_docx

    return docx_to_pdf(text_to_docx(report_text(seed))), expected_cells(seed)


def cells_of(figures: dict) -> dict[tuple[str, str, str], int | float | None]:
    """Figures in the shared shape (result.figures()) as (table, row, column) -> value."""
    out = {}
    for row, cols in figures["section2"].items():
        for col, v in cols.items():
            out[(formats.SECTION2, row, col)] = v
    for row, values in figures["section3"].items():
        for col, v in zip(formats.APPLICANT_KEYS, values, strict=True):
            out[(formats.SECTION3, row, col)] = v
    for (g, c), v in zip(formats.SECTION4_CELLS, figures["section4"], strict=True):
        out[(formats.SECTION4, g, c)] = v
    return out


def _pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(doc))]
    finally:
        doc.close()


def seal(size: int, text: str = "晋江市紫帽镇人民政府") -> Image.Image:
    """A round red official seal (RGBA), text along the rim and a star."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    red = (215, 30, 35, 210)
    d.ellipse([4, 4, size - 4, size - 4], outline=red, width=max(size // 40, 3))
    font = ImageFont.truetype(_FONT, size // 9)
    n = len(text)
    for i, ch in enumerate(text):
        a = math.radians(-150 + 300 * i / max(n - 1, 1) - 90)
        r = size * 0.36
        x, y = size / 2 + r * math.cos(a), size / 2 + r * math.sin(a)
        d.text((x, y), ch, fill=red, font=font, anchor="mm")
    c, r = size / 2, size * 0.12
    star = [(c + r * math.cos(math.radians(-90 + 72 * k)) * (1 if k % 2 == 0 else 0.4),
             c + r * math.sin(math.radians(-90 + 72 * k)) * (1 if k % 2 == 0 else 0.4))
            for k in range(0, 10)]  # fmt: skip
    star = [(c + r * (1 if k % 2 == 0 else 0.4) * math.cos(math.radians(-90 + 36 * k)),
             c + r * (1 if k % 2 == 0 else 0.4) * math.sin(math.radians(-90 + 36 * k)))
            for k in range(10)]  # fmt: skip
    d.polygon(star, fill=red)
    return img


def _stamp(page: Image.Image, rnd: random.Random, last: bool) -> Image.Image:
    """Seals multiply onto the page, so black print under them stays black."""
    w, h = page.size
    size = int(w * 0.22)
    spots = [(int(w * rnd.uniform(0.55, 0.7)), int(h * rnd.uniform(0.2, 0.75)))]
    if last:
        spots.append((int(w * 0.6), int(h * 0.8)))
    base = np.asarray(page).astype(np.float32)
    for x, y in spots:
        mark = seal(size).rotate(rnd.uniform(-20, 20))
        layer = Image.new("RGBA", page.size, (0, 0, 0, 0))
        layer.paste(mark, (x - size // 2, y - size // 2), mark)
        arr = np.asarray(layer).astype(np.float32)
        alpha = arr[:, :, 3:4] / 255
        tint = 1 - alpha * (1 - arr[:, :, :3] / 255)
        base = base * tint
    return Image.fromarray(base.clip(0, 255).astype(np.uint8))


def degrade(page: Image.Image, rnd: random.Random, *, photo: bool = False) -> Image.Image:
    """Skew, blur, noise; a photo also gets perspective, shading and a desk around it."""
    page = page.rotate(rnd.uniform(-3, 3), expand=False, fillcolor=(255, 255, 255),
                       resample=Image.BICUBIC)  # fmt: skip
    page = page.filter(ImageFilter.GaussianBlur(rnd.uniform(0.3, 0.9)))
    arr = np.asarray(page).astype(np.float32)
    arr += np.random.default_rng(rnd.randint(0, 1 << 30)).normal(0, 6, arr.shape)
    if photo:
        h, w = arr.shape[:2]
        yy, xx = np.mgrid[0:h, 0:w]
        shade = 0.75 + 0.25 * (xx / w) * (1 - 0.3 * yy / h)
        arr = arr * shade[:, :, None]
        page = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
        m = int(w * 0.08)
        desk = Image.new("RGB", (w + 2 * m, h + 2 * m), (70, 60, 50))
        desk.paste(page, (m, m))
        j = lambda: rnd.uniform(-0.025, 0.025) * w  # noqa: E731
        quad = (
            m + j(),
            m + j(),
            m + j(),
            m + h + j(),
            m + w + j(),
            m + h + j(),
            m + w + j(),
            m + j(),
        )
        return desk.transform((w, h), Image.QUAD, quad, resample=Image.BICUBIC)
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def scan(pdf: bytes, kind: str = "pdf", *, seed: int = 0, dpi: int | None = None,
         turn: int = 0) -> bytes:  # fmt: skip
    """Image-only bytes of ``kind`` (pdf, jpeg, png, tiff, photo=jpeg) made from ``pdf``."""
    rnd = random.Random(seed)
    dpi = dpi or rnd.choice([150, 200, 300])
    pages = _pages(pdf, dpi)
    out = []
    for i, page in enumerate(pages):
        page = _stamp(page, rnd, last=i == len(pages) - 1)
        page = degrade(page, rnd, photo=kind == "photo")
        if turn:
            page = page.rotate(90 * turn, expand=True)
        out.append(page)
    buf = io.BytesIO()
    if kind == "pdf":
        out = [Image.open(io.BytesIO(_jpeg(p, rnd))) for p in out]
        out[0].save(buf, "PDF", resolution=dpi, save_all=True, append_images=out[1:])
    elif kind == "tiff":
        out[0].save(buf, "TIFF", compression="tiff_deflate", save_all=True, append_images=out[1:])
    elif kind == "png":
        return _png(out[0])
    else:
        return _jpeg(out[0], rnd)
    return buf.getvalue()


def _jpeg(page: Image.Image, rnd: random.Random) -> bytes:
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=rnd.randint(55, 85))
    return buf.getvalue()


def _png(page: Image.Image) -> bytes:
    buf = io.BytesIO()
    page.save(buf, "PNG")
    return buf.getvalue()


def table_pages(pdf: bytes) -> bytes:
    """Only the pages of the PDF that print a table (faster tests and benches)."""
    import pdfplumber
    import pypdfium2 as pdfium

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        keep = [i for i, p in enumerate(doc.pages) if p.find_tables()]
    src, dst = pdfium.PdfDocument(pdf), pdfium.PdfDocument.new()
    dst.import_pages(src, keep)
    buf = io.BytesIO()
    dst.save(buf)
    return buf.getvalue()


def score(result, expected: dict) -> tuple[int, int, int, int]:
    """(cells, right, wrong but flagged, wrong and silent)."""
    got = {(v.table, v.row, v.column): v for v in result.values}
    right = flagged = silent = 0
    for key, want in expected.items():
        v = got.get(key)
        if v is not None and v.value == want:
            right += 1
        elif v is not None and (v.flag or v.confidence < 0.9):
            flagged += 1
        else:
            silent += 1
    return len(expected), right, flagged, silent


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bare(data: bytes, kind: str) -> float:
    """CPU seconds of bare RapidOCR (detect + recognise, nothing else) on the same pages.

    It is the project's engine instance, so its recogniser settings (engine.REC_*) and
    session options apply, but RapidOCR's own detection (the page shrunk to 2000 px, not
    engine.DET_SIDE) and batching: the ratio measures what preparation, orientation and
    layout add to the engine, less what our detection and batching save.

    The baseline the pipeline is measured against in the same run, so a loaded
    machine moves both alike.
    """
    from core.ocr import engine, scan

    frames = list(scan.page_images(data, "pdf" if kind == "pdf" else "image"))
    started = _cpu()
    for _, page in frames:
        engine.engine()(page, use_cls=False)
    return (_cpu() - started) / max(len(frames), 1)


def bench(seeds: range = range(1, 4), out=print) -> dict:
    """Print accuracy, flagged/silent errors, time per page and peak memory per scan kind.

    PDF and TIFF scans hold the whole report; a JPEG/PNG/photo is one page, the one
    printing table 四, and is scored on that table's 15 cells. Speed is given as wall
    and CPU (user+sys) seconds per page, and as the ratio of CPU per page to bare
    RapidOCR's on the first seed's pages of each kind (measured in the same run).
    """
    from core.ocr import engine
    from core.parsing import parse_bytes

    per_page, cpu_page, engine_page, whole = [], [], [], []
    ours, theirs = 0.0, 0.0
    rows = {}
    for kind, dpi in BENCH_KINDS:
        totals = [0, 0, 0, 0]
        for seed in seeds:
            pdf, expected = sample_pdf(seed)
            single = kind in ("jpeg", "png", "photo")
            if single:
                pdf = _last_page(table_pages(pdf))
                expected = {k: v for k, v in expected.items() if k[0] == formats.SECTION4}
            data = scan(pdf, kind, seed=seed, dpi=dpi)
            t0, e0, c0 = time.monotonic(), engine.SPENT, _cpu()
            result = parse_bytes(data, f"scan.{kind}")
            elapsed, spent = time.monotonic() - t0, _cpu() - c0
            pages = max(_count_pages(pdf), 1)
            per_page.append(elapsed / pages)
            cpu_page.append(spent / pages)
            engine_page.append((engine.SPENT - e0) / pages)
            if seed == seeds[0]:
                ours += spent / pages
                theirs += bare(data, kind)
            if not single:
                whole.append(elapsed)
            if result.error:
                out(f"  {kind} seed {seed}: {result.error_code} {result.error}")
            for i, n in enumerate(score(result, expected)):
                totals[i] += n
        cells, right, flagged, silent = totals
        label = f"{kind}@{dpi}" if dpi else kind
        rows[label] = {"cells": cells, "right": right, "flagged": flagged, "silent": silent}
        out(f"{label:8s} cells {cells:4d}  right {right / max(cells, 1):7.2%}  "
            f"flagged-wrong {flagged:3d}  silent-wrong {silent:3d}")  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    summary = {
        "wall_s_page": statistics.median(per_page),
        "cpu_s_page": statistics.median(cpu_page),
        "engine_s_page": statistics.median(engine_page),
        "whole_report_s": statistics.median(whole) if whole else 0.0,
        "cpu_ratio_to_bare": ours / max(theirs, 1e-9),
        "peak_mb": peak,
        "threads": engine.threads(),
    }
    out(f"median {summary['wall_s_page']:.2f} s/page wall, {summary['cpu_s_page']:.2f} s/page CPU "
        f"(engine wall {summary['engine_s_page']:.2f}); whole report median "
        f"{summary['whole_report_s']:.1f} s; CPU/page ÷ bare RapidOCR's "
        f"{summary['cpu_ratio_to_bare']:.2f}; peak RSS {peak:.0f} MB; "
        f"{summary['threads']} engine thread(s)")  # fmt: skip
    return {"kinds": rows, **summary}


def _last_page(pdf: bytes) -> bytes:
    import pypdfium2 as pdfium

    src, dst = pdfium.PdfDocument(pdf), pdfium.PdfDocument.new()
    dst.import_pages(src, [len(src) - 1])
    buf = io.BytesIO()
    dst.save(buf)
    return buf.getvalue()


def _count_pages(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(pdf))


if __name__ == "__main__":
    if "--bench" in sys.argv:
        bench(range(1, int(sys.argv[sys.argv.index("--bench") + 1]) + 1)
              if sys.argv[-1].isdigit() else range(1, 4),
              out=lambda line: print(line, flush=True))  # fmt: skip
