"""Parse speed per input format, as ratios to bare text extraction of the same file.

Bare extraction is what any reader of the format must do anyway (decode the
text; python-docx paragraphs and cells; pdfplumber's page text; lxml's text).
The pipeline is ``parse_bytes``: sniffing, extraction into lines and cells,
and reading the report. Both are timed in the same run on the same bytes.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from core.parsing import parse_bytes


def bare_text(data: bytes) -> int:
    return len(data.decode("utf-8", "replace").splitlines())


def bare_docx(data: bytes) -> int:
    import docx

    document = docx.Document(io.BytesIO(data))
    count = sum(len(p.text) for p in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            count += sum(len(cell.text) for cell in row.cells)
    return count


def bare_pdf(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


def bare_html(data: bytes) -> int:
    import lxml.html

    return len(lxml.html.fromstring(data).text_content())


BARE: dict[str, Callable[[bytes], int]] = {
    "text": bare_text,
    "docx": bare_docx,
    "pdf": bare_pdf,
    "html": bare_html,
}


def median_ms(func: Callable[[], object], repeat: int) -> float:
    func()  # warm imports and caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(samples: dict[str, list[tuple[str, bytes]]], repeat: int = 5) -> list[dict]:
    """One row per format: median pipeline and bare times over its files, and their ratio."""
    rows = []
    for kind, files in samples.items():
        pipeline = [median_ms(lambda d=data: parse_bytes(d), repeat) for _, data in files]
        bare = [median_ms(lambda d=data, k=kind: BARE[k](d), repeat) for _, data in files]
        rows.append(
            {
                "format": kind,
                "files": len(files),
                "pipeline_ms": round(statistics.median(pipeline), 2),
                "bare_ms": round(statistics.median(bare), 2),
                "ratio": round(
                    statistics.median(p / b for p, b in zip(pipeline, bare, strict=True)), 2
                ),
            }
        )
    return rows


def seed_samples(seeds: Path, with_pdf: bool = True) -> dict[str, list[tuple[str, bytes]]]:
    """The seed reports as text, and rendered as DOCX, HTML and (with LibreOffice) PDF."""
    # The renderers are the test suite's: benchmarks run from a checkout, never in production.
    from tests.support.render import docx_to_pdf, text_to_docx, text_to_html

    samples: dict[str, list[tuple[str, bytes]]] = {"text": [], "docx": [], "html": [], "pdf": []}
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text("utf-8")
        document = text_to_docx(text)
        samples["text"].append((path.name, text.encode("utf-8")))
        samples["docx"].append((path.name, document))
        samples["html"].append((path.name, text_to_html(text)))
        pdf = docx_to_pdf(document) if with_pdf else None
        if pdf:
            samples["pdf"].append((path.name, pdf))
    return {kind: files for kind, files in samples.items() if files}


def corpus_samples(
    seed: int = 0, count: int = 5, forms: tuple[str, ...] = ("text", "html", "docx", "pdf")
) -> dict[str, list[tuple[str, bytes]]]:
    """The first ``count`` corpus samples in every rendering of each form (no ../shared needed).

    PDF renderings need LibreOffice; without it the PDF row is left out.
    """
    from bench import corpus

    picked = [s for s in corpus.samples(seed) if not s.faults][:count]
    out: dict[str, list[tuple[str, bytes]]] = {}
    for form, layout in corpus.RENDERINGS:
        if form not in forms:
            continue
        for sample in picked:
            try:
                data = corpus.render(sample, form, layout)
            except Exception:  # noqa: BLE001 - SofficeMissing and friends: skip the form
                break
            out.setdefault(form, []).append((corpus.filename(sample, form, layout), data))
    return out


def report_texts(seeds: Path) -> list[str]:
    """The seed reports' texts when the folder holds any, else clean corpus reports as text.

    A fresh clone has no ../shared: the benchmarks then run on the project's own corpus.
    """
    paths = sorted(seeds.glob("*.txt")) if seeds.is_dir() else []
    if paths:
        return [p.read_text("utf-8") for p in paths]
    from bench import corpus

    picked = [s for s in corpus.samples() if not s.faults][:5]
    return [corpus.render(s, "text", "markdown").decode("utf-8") for s in picked]


def parse_samples(seeds: Path, with_pdf: bool = True) -> dict[str, list[tuple[str, bytes]]]:
    """The seeds in every form when they are beside the repository, else corpus samples."""
    if seeds.is_dir() and any(seeds.glob("*.txt")):
        return seed_samples(seeds, with_pdf=with_pdf)
    forms = ("text", "html", "docx", "pdf") if with_pdf else ("text", "html", "docx")
    return corpus_samples(count=5, forms=forms)
