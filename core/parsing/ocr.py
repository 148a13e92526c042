"""Optional OCR of scanned PDF pages with the tesseract command (chi_sim)."""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from core.parsing.document import Line

log = logging.getLogger(__name__)

PAGE_TIMEOUT = 60
RESOLUTION = 200


@functools.lru_cache(maxsize=1)
def available() -> bool:
    """True when tesseract with the simplified-Chinese model is installed."""
    binary = shutil.which("tesseract")
    if binary is None:
        return False
    try:
        out = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "chi_sim" in (out.stdout + out.stderr).split()


def ocr_pages(pages, warnings: list[str]) -> list[Line]:
    """Render each page at 200 dpi and read it; a page that fails is skipped with a warning."""
    lines: list[Line] = []
    with tempfile.TemporaryDirectory(prefix="ocr-") as tmp:
        image = Path(tmp) / "page.png"
        for number, page in enumerate(pages, 1):
            try:
                page.to_image(resolution=RESOLUTION).original.save(image)
                text = _tesseract(image)
            except (OSError, ValueError, subprocess.SubprocessError) as exc:
                log.warning("ocr of page %s failed: %r", number, exc)
                warnings.append(f"第{number}页文字识别失败，已跳过。")
                continue
            for raw in text.splitlines():
                if raw.strip():
                    lines.append(Line(cells=[raw.strip()], page=number))
    return lines


def _tesseract(image: Path) -> str:
    out = subprocess.run(
        ["tesseract", str(image), "stdout", "-l", "chi_sim"],
        capture_output=True,
        text=True,
        timeout=PAGE_TIMEOUT,
        check=True,
    )
    return out.stdout
