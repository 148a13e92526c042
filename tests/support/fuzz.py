"""Hostile and mutated report files for the upload fuzz tests, built from the sample corpus.

Profiles: the normal suite runs a modest number of examples; ``--hypothesis-profile=fuzz``
(or ``FUZZ_EXAMPLES=5000``) runs thousands. See tests/filing/test_fuzz_uploads.py.
"""

from __future__ import annotations

import functools
import io
import os
import zipfile

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.support import render

DEFAULT_EXAMPLES = 200
FUZZ_EXAMPLES = 5000


def register_profiles() -> None:
    """The "fuzz" profile (thousands of examples); called from tests/conftest.py."""
    settings.register_profile(
        "fuzz",
        max_examples=int(os.environ.get("FUZZ_EXAMPLES") or FUZZ_EXAMPLES),
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


def examples(share: float = 1.0) -> int:
    """How many examples a fuzz test runs: FUZZ_EXAMPLES, the fuzz profile, or the default."""
    env = os.environ.get("FUZZ_EXAMPLES")
    if env:
        total = int(env)
    elif settings.get_current_profile_name() == "fuzz":
        total = settings().max_examples
    else:
        total = DEFAULT_EXAMPLES
    return max(1, int(total * share))


def fuzz_settings(share: float = 1.0):
    return settings(
        max_examples=examples(share),
        deadline=None,
        derandomize=os.environ.get("FUZZ_EXAMPLES") is None
        and settings.get_current_profile_name() != "fuzz",
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


# ---------------------------------------------------------------- base files from the corpus

# Corpus reports (bench.corpus) standing where the real seeds were: both editions, a faulty
# one, and the text layouts real files show.
TEXTS = (
    (render.TOWN_2023, "markdown"),
    (render.TOWN_2020, "tabbed"),
    (render.TOWN_2022, "cell-per-line"),
    (render.FAULTY_2022, "rows-run-together"),
    (render.OTHER_TOWN_2023, "markdown-paged"),
)
# The corpus's own renderings in the other forms (official DOCX, HTML pages).
NATIVE = ((render.THIRD_TOWN_2023, "docx", "official"), (render.TOWN_2022, "html", "page"),
          (render.TOWN_2020, "html", "script-string"))  # fmt: skip


@functools.cache
def seed_texts() -> tuple[str, ...]:
    """The report texts every base file is made from."""
    return tuple(render.corpus_text(key, layout) for key, layout in TEXTS)


def _excerpt(text: str, lines: int = 60) -> str:
    return "\n".join(text.split("\n")[:lines])


@functools.cache
def libreoffice_pdf() -> bytes | None:
    """A short report excerpt rendered DOCX → PDF (one or two pages keep the loop fast)."""
    return render.docx_to_pdf(render.text_to_docx(_excerpt(seed_texts()[0])))


@functools.cache
def base_files() -> tuple[tuple[str, bytes], ...]:
    """(name, bytes): each report as text in several encodings, DOCX, HTML; PDFs."""
    out: list[tuple[str, bytes]] = []
    for i, text in enumerate(seed_texts()):
        out += [
            (f"seed{i}.txt", text.encode("utf-8")),
            (f"seed{i}.txt", text.encode("utf-8-sig")),
            (f"seed{i}.txt", text.encode("gb18030")),
            (f"seed{i}.txt", text.encode("gbk", "replace")),
            (f"seed{i}.txt", text.encode("utf-16")),
            (f"seed{i}.txt", text.encode("utf-16-be")),
            (f"seed{i}.md", text.encode("utf-8")),
            (f"seed{i}.docx", render.text_to_docx(text)),
            (f"seed{i}.html", render.text_to_html(text)),
            (f"seed{i}.htm", render.text_to_html(text, merged=True, encoding="gbk")),
        ]
    for key, form, layout in NATIVE:
        out.append((f"{key}-{layout}.{form}", render.corpus_bytes(key, form, layout)))
    out.append(
        ("hand.pdf", render.text_pdf([[(72, 72 + 14 * n, f"Row {n}\t{n}") for n in range(40)]]))
    )
    pdf = libreoffice_pdf()
    if pdf:
        out.append(("seed.pdf", pdf))
    return tuple(out)


# ---------------------------------------------------------------- hostile files


def _docx_with(document_xml, *, level: int = 6) -> bytes:
    """A real DOCX whose word/document.xml is replaced (bytes, or an iterable of chunks)."""
    source = zipfile.ZipFile(io.BytesIO(render.text_to_docx("一、总体情况")))
    chunks = [document_xml] if isinstance(document_xml, bytes) else document_xml
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as out:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, source.read(info.filename))
                continue
            with out.open("word/document.xml", "w", force_zip64=True) as part:
                for chunk in chunks:
                    part.write(chunk)
    return buffer.getvalue()


def _streamed_body(piece: bytes, megabytes: int):
    yield _body(b"")[: -len(b"</w:body></w:document>")]
    block = piece * (1048576 // len(piece))
    for _ in range(megabytes):
        yield block
    yield b"</w:body></w:document>"


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _body(inner: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        + f"<w:document {_W}><w:body>".encode()
        + inner
        + b"</w:body></w:document>"
    )


def _para(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def _table(rows: int, cols: int) -> bytes:
    cell = b"<w:tc><w:p><w:r><w:t>7</w:t></w:r></w:p></w:tc>"
    label = "<w:tc><w:p><w:r><w:t>行政许可</w:t></w:r></w:p></w:tc>".encode()
    row = b"<w:tr>" + label + cell * (cols - 1) + b"</w:tr>"
    return b"<w:tbl>" + row * rows + b"</w:tbl>"


@functools.cache
def hostile_files() -> tuple[tuple[str, bytes], ...]:
    """Zip bombs, entity bombs, deep nesting, huge tables, NULs, empties."""
    text = seed_texts()[0]
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lololololololololol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
            for i in range(1, 10)
        )
        + f"]><w:document {_W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
        "</w:body></w:document>".encode()
    )
    return (
        # 210 MB of XML in a few hundred kB: refused before it is inflated.
        ("bomb.docx", _docx_with(_streamed_body(b"<w:p/>", 210), level=9)),
        # 25 MB: under the absolute cap, over the compression ratio and the part cap.
        ("ratio.docx", _docx_with(_streamed_body(_para("0"), 25), level=1)),
        ("laughs.docx", _docx_with(laughs)),
        ("deep.docx", _docx_with(_body(b"<w:sdt><w:sdtContent>" * 5000 + _para("一")), level=9)),
        (
            "table.docx",
            _docx_with(_body(_para("三、收到和处理政府信息公开申请情况") + _table(3000, 8))),
        ),
        ("wide.docx", _docx_with(_body(_table(50, 2000)))),
        ("deep.html", b"<html><body>" + b"<div>" * 200_000 + "一、总体情况".encode()),
        ("deep-table.html", b"<html><body>" + b"<table><tr><td>" * 20_000 + b"1"),
        (
            "big-table.html",
            b"<html><body><table>"
            + "<tr><td>行政许可</td>".encode()
            + b"<td>1</td>" * 30
            + b"</tr>" * 1
            + ("<tr><td>行政许可</td>" + "<td>1</td>" * 30 + "</tr>").encode() * 2_000
            + b"</table>",
        ),
        ("spans.html", b"<table><tr><td colspan=999999 rowspan=999999>1</td></tr></table>"),
        ("rows.txt", ("行政许可\t1\t2\t3\n" * 400_000).encode()),
        ("tabs.txt", b"1\t" * 3_000_000),
        ("nul.txt", text.encode("utf-8").replace("。".encode(), b"\x00")),
        ("nuls.txt", b"\x00" * 100_000),
        ("utf16-nul.txt", "\x00".join(text).encode("utf-16-le")),
        ("empty.txt", b""),
        ("blank.txt", b" \r\n\t" * 1000),
        ("bom-only.txt", b"\xef\xbb\xbf"),
        ("pages.pdf", render.text_pdf([[(72, 72, f"page {n}")] for n in range(400)])),
        ("truncated.pdf", render.text_pdf([[(72, 72, "x")]])[:60]),
        ("header.pdf", b"%PDF-1.7\n"),
        ("zip-in-zip.docx", _docx_with(b"PK\x03\x04" + os.urandom(2000))),
        ("random.pdf", bytes(range(256)) * 64),
    )


# ---------------------------------------------------------------- mutations


def _mutate(data: bytes, op: str, where: float, size: int, byte: int) -> bytes:
    if not data:
        return bytes([byte]) * size if op == "insert" else data
    i = int(where * (len(data) - 1))
    if op == "truncate":
        return data[:i]
    if op == "flip":  # a burst of flipped bytes (xor keeps them different)
        out = bytearray(data)
        for k in range(i, min(len(out), i + size), max(1, size // 8)):
            out[k] ^= byte or 0xFF
        return bytes(out)
    if op == "nul":
        return data[:i] + b"\x00" * size + data[i:]
    if op == "insert":
        return data[:i] + bytes([byte]) * size + data[i:]
    if op == "delete":
        return data[:i] + data[i + size :]
    if op == "repeat":
        return data[:i] + data[i : i + size] * 50 + data[i:]
    if op == "swap":
        j = (i + size) % len(data)
        a, b = sorted((i, j))
        return data[:a] + data[b:] + data[a:b]
    raise ValueError(op)


mutation = st.tuples(
    st.sampled_from(["truncate", "flip", "nul", "insert", "delete", "repeat", "swap"]),
    st.floats(0, 1),
    st.integers(1, 4096),
    st.integers(0, 255),
)


@st.composite
def report_files(draw) -> tuple[str, bytes]:
    """A base or hostile file, maybe spliced with another, then mutated 0–4 times."""
    bases = base_files()
    if draw(st.integers(0, 9)) == 0:
        name, data = draw(st.sampled_from(hostile_files()))
    else:
        name, data = draw(st.sampled_from(bases))
    if draw(st.integers(0, 9)) == 0:
        _, other = draw(st.sampled_from(bases))
        cut = draw(st.floats(0, 1))
        data = data[: int(cut * len(data))] + other[int(cut * len(other)) :]
    for op in draw(st.lists(mutation, max_size=4)):
        data = _mutate(data, *op)
    if draw(st.integers(0, 19)) == 0:
        name = draw(st.sampled_from(["x.pdf", "x.docx", "x.txt", "x.html", "x"]))
    return name, data
