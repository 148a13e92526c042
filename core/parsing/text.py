"""Plain text and markdown: decode robustly, then split into lines and cells."""

from __future__ import annotations

import codecs
import re

from core.parsing.document import Document, Line
from core.parsing.messages import Message, printed
from core.parsing.normalize import recover_lines

# Caps that keep a hostile or runaway file cheap; real reports are a few hundred lines.
MAX_CHARS = 5_000_000
MAX_LINES = 50_000
MAX_LINE_CHARS = 20_000
MAX_CELLS = 200

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Drop C0/C1 controls except tab and newline; vertical tab and form feed end a line.
_CLEAN = {i: None for i in [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)]}
_CLEAN.update({0x0B: "\n", 0x0C: "\n", 0x2028: "\n", 0x2029: "\n", 0xFEFF: None, 0x0D: "\n"})
_SEPARATOR_CHARS = frozenset("|:-=+ \t\u3000")
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")


def decode(data: bytes) -> tuple[str, list[str]]:
    """Bytes to text with a deterministic try-order; returns (text, warnings)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace"), []
    utf16 = utf16_guess(data[:4096])
    if utf16:
        return data.decode(utf16, "replace"), []
    for encoding in ("utf-8", "gb18030"):
        text = _strict(data, encoding)
        if text is not None:
            return text, []
    guess = _normalizer_guess(data)
    if guess:
        return data.decode(guess, "replace"), [Message("encoding_guessed", encoding=printed(guess))]
    return data.decode("utf-8", "replace"), [Message("encoding_unknown")]


def clean(text: str) -> str:
    """Normalise newlines and strip NULs and other control characters (tab kept)."""
    return text.replace("\r\n", "\n").translate(_CLEAN)


def split_lines(text: str, *, first_table: int = 0) -> list[Line]:
    """Split cleaned text into Lines: tab rows, pipe-table rows, or one-cell text lines."""
    lines: list[Line] = []
    table = first_table - 1
    in_pipe_table = False
    for number, raw in enumerate(text.split("\n")[:MAX_LINES], 1):
        raw = raw[:MAX_LINE_CHARS]
        stripped = raw.strip()
        if not stripped:
            in_pipe_table = False
            continue
        if _is_separator(stripped):
            continue
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if not in_pipe_table:
                table += 1
                in_pipe_table = True
            lines.append(Line(cells=_pipe_cells(stripped), number=number, table=table))
            continue
        in_pipe_table = False
        if "\t" in raw:
            cells = [cell.strip() for cell in raw.rstrip("\n").split("\t", MAX_CELLS - 1)]
            lines.append(Line(cells=cells, number=number))
        else:
            lines.append(Line(cells=[stripped], number=number))
    return lines


def extract_text(data: bytes) -> Document:
    """Decode and split a text or markdown file."""
    text, warnings = decode(data)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        warnings.append(Message("text_too_long", count=f"{MAX_CHARS:,}"))
    text = recover_lines(clean(text))
    if text.count("\n") >= MAX_LINES:
        warnings.append(Message("text_too_many_lines", count=f"{MAX_LINES:,}"))
    return Document(lines=split_lines(text), kind="text", warnings=warnings)


def looks_like_markdown(lines: list[Line]) -> bool:
    """Pipe tables or ATX headings mark a markdown file."""
    return any(line.table is not None for line in lines) or any(
        re.match(r"#{1,6}\s", line.cells[0]) for line in lines[:2000] if len(line.cells) == 1
    )


def _is_separator(stripped: str) -> bool:
    if not set(stripped) <= _SEPARATOR_CHARS:
        return False
    return stripped.count("-") + stripped.count("=") >= 3


def _pipe_cells(stripped: str) -> list[str]:
    inner = stripped[1:-1] if stripped.endswith("|") and len(stripped) > 1 else stripped[1:]
    parts = _PIPE_SPLIT.split(inner, MAX_CELLS - 1)
    return [part.replace("\\|", "|").strip() for part in parts]


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        # Only forgive a character cut off at the very end (truncated upload).
        if exc.start >= len(data) - 4:
            try:
                return data[: exc.start].decode(encoding)
            except UnicodeDecodeError:
                return None
        return None


def utf16_guess(sample: bytes) -> str | None:
    """UTF-16 without BOM: NULs of ASCII at one parity, and the decode reads as text."""
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < 0.02 * len(sample) / 2:
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    text = sample.decode(encoding, "replace")
    plain = sum(1 for ch in text if _is_texty(ch))
    return encoding if plain >= 0.9 * len(text) else None


def _is_texty(ch: str) -> bool:
    code = ord(ch)
    return (
        0x20 <= code < 0x7F
        or ch in "\t\n\r"
        or 0x3000 <= code <= 0x9FFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x2000 <= code <= 0x206F
    )


def _normalizer_guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - pinned in requirements
        return None
    best = from_bytes(data[:262_144]).best()
    return best.encoding if best else None
