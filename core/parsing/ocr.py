"""Compatibility shim: OCR lives in core.ocr (RapidOCR); this only says whether it is there."""

from __future__ import annotations

from core.ocr.engine import available

__all__ = ["available"]
