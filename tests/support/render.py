"""Report files for tests: the project's own corpus (bench.corpus), and the real seeds if present.

The corpus renders any sample in any form and layout and knows its true figures, so tests
run everywhere. The five real seed reports live in ``shared/seeds`` beside the repository
(or ``$PORTAL_SEEDS_DIR``); only a small extra set of tests uses them, skipping without them.
Also: seed or corpus texts rendered as DOCX, HTML and PDF for extraction tests.
"""

from __future__ import annotations

import functools
import html
import io
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from core.parsing.document import Line
from core.parsing.text import clean, split_lines

SEEDS_ABSENT = (
    "shared/seeds is not beside the repository (real reports nobody here wrote; CI has them)"
)

# Clean corpus reports standing in where tests once took the real seeds: the same years and
# editions (2023 and 2022 in the 2021 edition, 2020 in the 2019 one), towns of one city.
TOWN_2023 = "2023-longmei"
OTHER_TOWN_2023 = "2023-bailin"
TOWN_2022 = "2022-qinghe"
TOWN_2020 = "2020-nanxin"
THIRD_TOWN_2023 = "2023-xixing"
# A report whose printed figures break rules the checks call errors (表三 totals).
FAULTY_2022 = "2022-quanning"


def seeds_dir() -> Path:
    """The shared seeds directory (beside the repo, or $PORTAL_SEEDS_DIR)."""
    env = os.environ.get("PORTAL_SEEDS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "seeds"


def has_seeds() -> bool:
    return seeds_dir().is_dir()


needs_seeds = pytest.mark.skipif(not has_seeds(), reason=SEEDS_ABSENT)


@functools.cache
def _corpus() -> dict:
    from bench import corpus

    return {sample.key: sample for sample in corpus.samples()}


def corpus_sample(key: str):
    """The corpus sample "<year>-<organ slug>" (bench.corpus, seed 2026)."""
    return _corpus()[key]


def corpus_keys() -> list[str]:
    return list(_corpus())


@functools.lru_cache(maxsize=64)
def corpus_bytes(key: str, form: str = "text", layout: str = "markdown") -> bytes:
    """The sample rendered as the file a clerk would upload."""
    from bench import corpus

    return corpus.render(corpus_sample(key), form, layout)


def corpus_text(key: str, layout: str = "markdown") -> str:
    return corpus_bytes(key, "text", layout).decode("utf-8")


@functools.cache
def _corpus_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="corpus-files-"))


def corpus_path(key: str, form: str = "text", layout: str = "markdown") -> Path:
    """The sample rendered into a file on disk ("<key>-<layout>.<ext>"), for commands that take paths."""
    from bench.corpus.render import EXTENSIONS

    path = _corpus_folder() / f"{key}-{layout}.{EXTENSIONS[form]}"
    if not path.exists():
        path.write_bytes(corpus_bytes(key, form, layout))
    return path


def corpus_expected(key: str) -> dict:
    """What a correct parse of any rendering gives (organ, year, edition, published, figures)."""
    from bench import corpus

    return corpus.expected_json(corpus_sample(key))


def seed_path(name: str) -> Path:
    """A seed file by full name or by prefix ("000"); the calling test skips without the seeds."""
    folder = seeds_dir()
    if not folder.is_dir():
        pytest.skip(SEEDS_ABSENT)
    exact = folder / name
    if exact.exists():
        return exact
    matches = sorted(folder.glob(f"{name}*.txt"))
    if not matches:
        raise FileNotFoundError(f"no seed {name!r} in {folder}")
    return matches[0]


def seed_text(name: str) -> str:
    return seed_path(name).read_text(encoding="utf-8")


# Corpus reports for the extraction round trips, beside the real seeds' "000".."004".
CORPUS_TEXTS = (TOWN_2023, TOWN_2020, FAULTY_2022)


def report_text(name: str) -> str:
    """A corpus report's markdown text by key ("2023-longmei"), or a real seed's ("000")."""
    return corpus_text(name) if name in _corpus() else seed_text(name)


def blocks(text: str) -> list[tuple[str, list[Line]]]:
    """Group a text into ("para", [line]) and ("table", rows) runs.

    A table run is consecutive tab or pipe rows; a blank line or a new pipe table ends it.
    """
    out: list[tuple[str, list[Line]]] = []
    previous: Line | None = None
    for line in split_lines(clean(text)):
        is_row = len(line.cells) > 1 or line.table is not None
        joined = (
            previous is not None
            and out
            and out[-1][0] == "table"
            and is_row
            and line.number == previous.number + 1
            and line.table == previous.table
        )
        if joined:
            out[-1][1].append(line)
        else:
            out.append(("table" if is_row else "para", [line]))
        previous = line
    return out


def _is_number(cell: str) -> bool:
    return cell.strip().replace(".", "", 1).lstrip("-").isdigit()


def _header_rows(rows: list[Line]) -> int:
    """Rows before the first one holding a number are header rows."""
    for i, row in enumerate(rows):
        if any(_is_number(c) for c in row.cells):
            return i
    return len(rows)


def _header_spans(cells: list[str], width: int) -> list[tuple[int, int, str]]:
    """(start, span, text): empty header cells merge into the non-empty cell before them."""
    padded = cells + [""] * (width - len(cells))
    spans: list[tuple[int, int, str]] = []
    for col, text in enumerate(padded):
        if text or not spans or not spans[-1][2]:
            spans.append((col, 1, text))
        else:
            start, span, label = spans[-1]
            spans[-1] = (start, span + 1, label)
    return spans


def text_to_docx(text: str) -> bytes:
    """A Word document: text lines as paragraphs, each run of table rows as one real table."""
    import docx

    document = docx.Document()
    for kind, lines in blocks(text):
        if kind == "para":
            document.add_paragraph(lines[0].cells[0])
            continue
        width = max(len(row.cells) for row in lines)
        table = document.add_table(rows=len(lines), cols=width)
        table.style = "Table Grid"
        cells = table._cells  # one pass; table.cell() rescans the whole table each call
        for r, row in enumerate(lines):
            for c, value in enumerate(row.cells):
                if value:
                    cells[r * width + c].text = value
        _set_widths(table, lines, cells, document.sections[0])
        for r in range(_header_rows(lines)):
            for start, span, _ in _header_spans(lines[r].cells, width):
                if span > 1:
                    cells[r * width + start].merge(cells[r * width + start + span - 1])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_widths(table, rows: list[Line], cells, section) -> None:
    """Columns as wide as their content (capped), rows kept whole on a page, like real reports."""
    from docx.oxml import OxmlElement

    width = len(table.columns)
    weights = [
        2 + min(max((len(r.cells[c]) for r in rows if c < len(r.cells)), default=0), 10)
        for c in range(width)
    ]
    usable = section.page_width - section.left_margin - section.right_margin
    table.autofit = False
    widths = [int(usable * weight / sum(weights)) for weight in weights]
    for c, column in enumerate(table.columns):
        column.width = widths[c]
    for i, cell in enumerate(cells):
        cell.width = widths[i % width]
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def text_to_html(text: str, *, merged: bool = False, encoding: str = "utf-8") -> bytes:
    """An HTML page; with merged=True, header cells use colspan and label cells rowspan."""
    parts = [
        f'<!DOCTYPE html><html><head><meta charset="{encoding}"><title>报告</title>',
        "<script>var x = '<td>junk</td>';</script><style>td{border:1px}</style></head>",
        "<body><nav><a href='/'>首页</a></nav>",
    ]
    for kind, lines in blocks(text):
        if kind == "para":
            parts.append(f"<p>{html.escape(lines[0].cells[0])}</p>")
        else:
            parts.append(_html_table(lines, merged))
    parts.append("</body></html>")
    return "\n".join(parts).encode(encoding)


def _html_table(rows: list[Line], merged: bool) -> str:
    width = max(len(row.cells) for row in rows)
    grid = [row.cells + [""] * (width - len(row.cells)) for row in rows]
    # origin[r][c] = (r0, c0) of the cell covering (r, c); spans[(r0, c0)] = [rowspan, colspan]
    origin: list[list[tuple[int, int]]] = [[(r, c) for c in range(width)] for r in range(len(rows))]
    spans: dict[tuple[int, int], list[int]] = {}
    headers = _header_rows(rows) if merged else 0
    for r in range(len(rows)):
        if r < headers:
            for start, span, _ in _header_spans(rows[r].cells, width):
                spans[(r, start)] = [1, span]
                for c in range(start, start + span):
                    origin[r][c] = (r, start)
            continue
        spans.update({(r, c): [1, 1] for c in range(width)})
        if not merged or r == 0 or r - 1 < headers:
            continue
        for c in range(width):
            if grid[r][c]:
                break  # only the leading empty cells sit under a merged label
            r0, c0 = origin[r - 1][c]
            if c0 == c and spans[(r0, c0)][1] == 1 and (grid[r0][c0] or r0 != r - 1):
                spans[(r0, c0)][0] += 1
                origin[r][c] = (r0, c0)
                del spans[(r, c)]
    out = ["<table border='1'>"]
    for r in range(len(rows)):
        out.append("<tr>")
        for c in range(width):
            if (r, c) not in spans:
                continue
            rowspan, colspan = spans[(r, c)]
            attrs = (f" rowspan='{rowspan}'" if rowspan > 1 else "") + (
                f" colspan='{colspan}'" if colspan > 1 else ""
            )
            tag = "th" if r < headers else "td"
            out.append(f"<{tag}{attrs}>{html.escape(grid[r][c])}</{tag}>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx_bytes: bytes, *, timeout: int = 120) -> bytes | None:
    """Convert with LibreOffice; None when LibreOffice is not installed."""
    soffice = soffice_path()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="render-") as tmp:
        folder = Path(tmp)
        source = folder / "report.docx"
        source.write_bytes(docx_bytes)
        profile = Path(tempfile.gettempdir()) / f"lo-profile-{uuid.uuid4().hex}"
        try:
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        return (folder / "report.pdf").read_bytes()


def text_pdf(pages: list[list[tuple[float, float, str]]]) -> bytes:
    """A minimal hand-built PDF: each page a list of (x, y-from-top, ASCII text) in Helvetica."""
    objects: list[bytes] = []
    kids = []
    for n, items in enumerate(pages):
        ops = []
        for x, y, text in items:
            safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"BT /F1 11 Tf {x:.1f} {842 - y:.1f} Td ({safe}) Tj ET")
        stream = "\n".join(ops).encode("latin-1")
        page_id = 4 + 2 * n
        kids.append(f"{page_id} 0 R")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {page_id + 1} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(head + objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1,
        xref,
    )
    return bytes(out)


def image_pdf() -> bytes:
    """A scanned-looking PDF: one page that is only an image (no text layer)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (850, 1100), "white")
    draw = ImageDraw.Draw(image)
    for y in range(100, 1000, 40):
        draw.rectangle((80, y, 760, y + 12), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=100)
    return buffer.getvalue()


@functools.lru_cache(maxsize=8)
def seed_as_pdf(name: str) -> bytes | None:
    """A seed rendered DOCX → PDF through LibreOffice, cached per test run."""
    return docx_to_pdf(text_to_docx(seed_text(name)))
