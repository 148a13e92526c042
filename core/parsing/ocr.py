"""Compatibility shim: OCR lives in core.ocr (RapidOCR); this only says whether it is there."""

from __future__ import annotations


def available() -> bool:
    """True when the OCR engine (rapidocr-onnxruntime) can be imported."""
    from core.ocr.engine import available as engine_available

    return engine_available()
