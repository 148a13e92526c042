"""PDF with a text layer: the official DOCX converted by LibreOffice, cached by content hash.

Each conversion takes about a second, so results are kept on disk under
$PORTAL_CORPUS_CACHE (default ~/.cache/portal-corpus), keyed by the DOCX bytes' hash.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.corpus.model import Sample
from bench.corpus.render_docx import render_docx

# Bump when the conversion changes, so cached PDFs are made again.
CONVERTER_VERSION = 1


class SofficeMissing(RuntimeError):
    """LibreOffice is not installed; PDF renderings cannot be made."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def cache_dir() -> Path:
    env = os.environ.get("PORTAL_CORPUS_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "portal-corpus"


def docx_to_pdf(docx_bytes: bytes, *, timeout: int = 120) -> bytes:
    digest = hashlib.sha256(docx_bytes + f"v{CONVERTER_VERSION}".encode()).hexdigest()
    cached = cache_dir() / f"{digest}.pdf"
    if cached.exists():
        return cached.read_bytes()
    soffice = soffice_path()
    if soffice is None:
        raise SofficeMissing("LibreOffice (soffice) is not installed: cannot render PDF samples")
    with tempfile.TemporaryDirectory(prefix="corpus-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "report.docx"
        source.write_bytes(docx_bytes)
        # A private profile: parallel conversions must not share LibreOffice's lock.
        profile = folder / "profile"
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(folder), str(source)],
            check=True, capture_output=True, timeout=timeout,
        )  # fmt: skip
        data = (folder / "report.pdf").read_bytes()
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(data)
    partial.replace(cached)
    return data


LAYOUTS = {"official": "official", "split-rows": "split-rows"}


def render_pdf(sample: Sample, layout_name: str) -> bytes:
    """The DOCX of the same layout as LibreOffice prints it: ``official`` (blank cells stay
    blank), ``split-rows`` (table rows broken across pages, a cell's lines on two pages)."""
    return docx_to_pdf(render_docx(sample, LAYOUTS[layout_name]))
