"""The OCR engine (RapidOCR, PP-OCRv4 models shipped in its wheel), loaded once per process.

Threads are capped (PORTAL_OCR_THREADS, default 2) so two workers can share
two cores without oversubscribing; nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from dataclasses import dataclass

import numpy as np

_LOCK = threading.Lock()
REC_MIN_WIDTH = 96
REC_BATCH = 16  # lines recognised together (sorted by width, so a batch pads little)
SPENT = 0.0  # seconds inside the engine in this process (benchmarks tell load from code)


@dataclass
class Box:
    """One recognised text line: its text, confidence and axis-aligned box (page pixels)."""

    text: str
    score: float
    x0: float
    y0: float
    x1: float
    y1: float
    # Each character's (x0, x1), so a box the detector ran across a table rule can be cut.
    chars: list[tuple[float, float]] | None = None

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def h(self) -> float:
        return self.y1 - self.y0


@functools.lru_cache(maxsize=1)
def available() -> bool:
    """True when rapidocr-onnxruntime imports (it is an optional dependency)."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except Exception:  # noqa: BLE001 - any import failure means "no OCR here"
        return False
    return True


def threads() -> int:
    try:
        return max(1, int(os.environ.get("PORTAL_OCR_THREADS", "2")))
    except ValueError:
        return 2


@functools.lru_cache(maxsize=1)
def engine():
    """The RapidOCR instance, built lazily the first time a scan is read."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(
        intra_op_num_threads=threads(),
        inter_op_num_threads=1,
        print_verbose=False,
        # A batch is padded to its widest line and to at least this width: RapidOCR's
        # 320 pads every lone figure of a table to a six-character line; 96 (two
        # characters) leaves long lines as they were and reads the same text.
        rec_img_shape=[3, 48, REC_MIN_WIDTH],
        rec_batch_num=REC_BATCH,
    )


def detect(image: np.ndarray) -> list[np.ndarray]:
    """Text-line quadrilaterals only (no recognition): cheap, used for orientation."""
    global SPENT
    started = time.monotonic()
    with _LOCK:
        result, _ = engine()(image, use_det=True, use_cls=False, use_rec=False)
    SPENT += time.monotonic() - started
    return [np.asarray(b, dtype=np.float32) for b in (result or [])]


def recognise_crops(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Recognise already-cut line images (no detection)."""
    if not crops:
        return []
    global SPENT
    started = time.monotonic()
    with _LOCK:
        res, _ = engine().text_rec(crops)
    SPENT += time.monotonic() - started
    return [(text, float(score)) for text, score in res]


def read(image: np.ndarray) -> list[Box]:
    """Detect and recognise every text line of a prepared page image."""
    global SPENT
    started = time.monotonic()
    with _LOCK:
        result, _ = engine()(image, use_cls=False, text_score=0.3, return_word_box=True)
    SPENT += time.monotonic() - started
    boxes = []
    for quad, text, score, *words in result or []:
        pts = np.asarray(quad, dtype=np.float32)
        chars = None
        if words and words[0] and len(words[0]) == len(str(text)):
            chars = [(float(min(p[0] for p in w)), float(max(p[0] for p in w))) for w in words[0]]
        boxes.append(
            Box(
                text=str(text),
                score=float(score),
                x0=float(pts[:, 0].min()),
                y0=float(pts[:, 1].min()),
                x1=float(pts[:, 0].max()),
                y1=float(pts[:, 1].max()),
                chars=chars,
            )
        )
    return boxes
