"""DOCX to PDF with LibreOffice (soffice --headless), in a private temp dir, with a timeout."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

TIMEOUT = 90


class ConversionError(Exception):
    """LibreOffice is missing, failed, or took too long."""


def soffice_path() -> str | None:
    """The LibreOffice binary, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile_dir() -> Path:
    # One profile per process: LibreOffice refuses two instances on one profile, and a fresh
    # profile each time costs a second of set-up.
    return Path(tempfile.gettempdir()) / f"portal-lo-profile-{os.getuid()}-{os.getpid()}"


def docx_to_pdf(data: bytes, *, timeout: int = TIMEOUT) -> bytes:
    """Convert DOCX bytes to PDF bytes; raise ConversionError on any failure."""
    soffice = soffice_path()
    if soffice is None:
        raise ConversionError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="portal-pdf-") as tmp:
        source = Path(tmp) / "report.docx"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={_profile_dir().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so a timeout can end soffice and its helpers together
        )
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionError(f"LibreOffice took longer than {timeout} s") from None
        target = Path(tmp) / "report.pdf"
        if process.returncode != 0 or not target.exists():
            logger.warning("soffice failed (%s): %s", process.returncode, output[-2000:])
            raise ConversionError(f"LibreOffice failed with status {process.returncode}")
        return target.read_bytes()
