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
REC_BATCH_WIDTH = 4096  # px of padded width (at 48 px high) in one batch
DET_SIDE = 1600  # longest side of the page copy text lines are detected on (RapidOCR: 2000)
TEXT_SCORE = 0.3  # lines read with less confidence are dropped
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


def session_options(threads: int):
    """onnxruntime options for our sessions (RapidOCR 1.4.4 builds its own without a hook).

    RapidOCR turns the CPU memory arena off, so every batch of a new width
    (nearly every batch: lines differ in length) maps its buffers afresh and
    the kernel zero-fills gigabytes of pages: two thirds of the recogniser's
    CPU was page faults. The arena keeps the buffers (a worker's peak RSS
    stays near 1.1 GB with detection at DET_SIDE). Threads idle between
    batches sleep instead of spinning, so two workers on two cores do not
    burn each other's time.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.enable_cpu_mem_arena = True
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return options


def _tune(wrapper, model_path: str, threads: int) -> None:
    """Rebuild one of RapidOCR's sessions (its OrtInferSession.session) with our options."""
    import onnxruntime as ort

    wrapper.session = ort.InferenceSession(
        model_path,
        sess_options=session_options(threads),
        # As RapidOCR asks: the arena grows by what a batch needs, not to the next power of 2.
        providers=[("CPUExecutionProvider", {"arena_extend_strategy": "kSameAsRequested"})],
    )


@functools.lru_cache(maxsize=1)
def engine():
    """The RapidOCR instance, built lazily the first time a scan is read."""
    from rapidocr_onnxruntime import RapidOCR
    from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH
    from rapidocr_onnxruntime.utils import read_yaml, update_model_path

    ocr = RapidOCR(
        intra_op_num_threads=threads(),
        inter_op_num_threads=1,
        print_verbose=False,
        # A batch is padded to its widest line and to at least this width: RapidOCR's
        # 320 pads every lone figure of a table to a six-character line; 96 (two
        # characters) leaves long lines as they were and reads the same text.
        rec_img_shape=[3, 48, REC_MIN_WIDTH],
        rec_batch_num=REC_BATCH,
    )
    models = update_model_path(read_yaml(DEFAULT_CFG_PATH))
    _tune(ocr.text_det.infer, models["Det"]["model_path"], threads())
    _tune(ocr.text_rec.session, models["Rec"]["model_path"], threads())
    return ocr


def _detect(image: np.ndarray, side: int) -> list[np.ndarray]:
    """Text-line quadrilaterals in ``image``'s pixels, found on a copy no larger than ``side``.

    RapidOCR would shrink a page to 2000 px and detect at that size; lines of
    200 dpi print are found as well on a smaller copy, at about half the cost,
    and their boxes are scaled back so lines are cut from the full page.
    """
    import cv2

    f = min(1.0, side / max(image.shape[:2]))
    small = image
    if f < 1.0:
        small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    ocr = engine()
    quads, _ = ocr.text_det(small)
    if quads is None or len(quads) == 0:
        return []
    quads = np.asarray(ocr.sorted_boxes(quads), dtype=np.float32)
    sy, sx = image.shape[0] / small.shape[0], image.shape[1] / small.shape[1]
    quads[:, :, 0] = np.clip(quads[:, :, 0] * sx, 0, image.shape[1] - 1)
    quads[:, :, 1] = np.clip(quads[:, :, 1] * sy, 0, image.shape[0] - 1)
    return list(quads)


def batches(widths: list[float]) -> list[list[int]]:
    """Indices of line images grouped for the recogniser, narrowest first.

    A batch is padded to its widest line, and its buffers grow with lines x
    width: up to REC_BATCH lines, but only as many long prose lines as fit in
    REC_BATCH_WIDTH columns, so a batch of long lines stays small in memory.
    """
    out: list[list[int]] = []
    for i in sorted(range(len(widths)), key=lambda i: widths[i]):
        width = max(widths[i], REC_MIN_WIDTH)
        if out and len(out[-1]) < REC_BATCH and (len(out[-1]) + 1) * width <= REC_BATCH_WIDTH:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def _recognise(crops: list[np.ndarray], word_box: bool = False) -> list:
    """RapidOCR's recogniser over ``crops`` in our batches; results in the crops' order."""
    ocr = engine()
    widths = [48 * c.shape[1] / max(c.shape[0], 1) for c in crops]
    out: list = [None] * len(crops)
    for group in batches(widths):
        res, _ = ocr.text_rec([crops[i] for i in group], word_box)
        for i, r in zip(group, res, strict=True):
            out[i] = r
    return out


def detect(image: np.ndarray) -> list[np.ndarray]:
    """Text-line quadrilaterals only (no recognition): cheap, used for orientation."""
    global SPENT
    started = time.monotonic()
    with _LOCK:
        quads = _detect(image, max(image.shape[:2]))
    SPENT += time.monotonic() - started
    return quads


def recognise_crops(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Recognise already-cut line images (no detection)."""
    if not crops:
        return []
    global SPENT
    started = time.monotonic()
    with _LOCK:
        res = _recognise(crops)
    SPENT += time.monotonic() - started
    return [(text, float(score)) for text, score, *_ in res]


def read(image: np.ndarray) -> list[Box]:
    """Detect and recognise every text line of a prepared page image."""
    global SPENT
    started = time.monotonic()
    with _LOCK:
        ocr = engine()
        quads = _detect(image, DET_SIDE)
        crops = ocr.get_crop_img_list(image, quads) if quads else []
        res = ocr.cal_rec_boxes(crops, quads, _recognise(crops, True)) if crops else []
    SPENT += time.monotonic() - started
    boxes = []
    for quad, (text, score, words, *_) in zip(quads, res, strict=True):
        if float(score) < TEXT_SCORE:
            continue
        pts = np.asarray(quad, dtype=np.float32)
        chars = None
        if words and len(words) == len(str(text)):
            chars = [(float(min(p[0] for p in w)), float(max(p[0] for p in w))) for w in words]
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
