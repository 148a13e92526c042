"""The engine's own settings: detection on a smaller copy, bounded batches, session options."""

from __future__ import annotations

import numpy as np
import pytest

from core.ocr import engine

needs_ocr = pytest.mark.skipif(
    not engine.available(), reason="rapidocr-onnxruntime is not installed (optional OCR)"
)


def test_batches_go_narrowest_first_and_hold_few_long_lines():
    widths = [1700.0, 60.0, 300.0, 1650.0, 96.0, 1710.0, *[80.0] * 20]
    groups = engine.batches(widths)
    assert sorted(i for g in groups for i in g) == list(range(len(widths)))
    flat = [widths[i] for g in groups for i in g]
    assert flat == sorted(flat)
    for g in groups:
        assert len(g) <= engine.REC_BATCH
        widest = max(max(widths[i], engine.REC_MIN_WIDTH) for i in g)
        assert len(g) == 1 or len(g) * widest <= engine.REC_BATCH_WIDTH
    assert [len(g) for g in groups if max(widths[i] for i in g) > 1600] == [2, 1]
    assert len(groups[0]) == engine.REC_BATCH  # short figures still share a batch


@needs_ocr
def test_sessions_keep_their_buffers_and_do_not_spin():
    ocr = engine.engine()
    for session in (ocr.text_det.infer.session, ocr.text_rec.session.session):
        options = session.get_session_options()
        assert options.enable_cpu_mem_arena
        assert options.intra_op_num_threads == engine.threads()
        assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"


@needs_ocr
def test_lines_found_on_the_smaller_copy_are_boxed_and_read_in_full_page_pixels():
    import cv2

    page = np.full((2400, 1700, 3), 255, np.uint8)  # larger than DET_SIDE: detected scaled down
    assert max(page.shape[:2]) > engine.DET_SIDE
    spots = {"4096": (1200, 1900), "1357": (200, 400)}
    for text, (x, y) in spots.items():
        cv2.putText(page, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 1.4, (0, 0, 0), 3)
    boxes = {b.text.strip(): b for b in engine.read(page)}
    assert set(boxes) == set(spots)
    for text, (x, y) in spots.items():
        ink = np.argwhere(page[y - 60 : y + 20, x - 20 : x + 200, 0] < 128)
        iy0, ix0 = ink.min(axis=0) + (y - 60, x - 20)
        iy1, ix1 = ink.max(axis=0) + (y - 60, x - 20)
        b = boxes[text]
        assert b.x0 <= ix0 and ix1 <= b.x1 and b.y0 <= iy0 and iy1 <= b.y1, (text, b)
        assert ix1 - ix0 > 0.7 * (b.x1 - b.x0) and iy1 - iy0 > 0.5 * (b.y1 - b.y0), (text, b)
        assert (
            b.chars and len(b.chars) == 4 and b.x0 - 5 <= b.chars[0][0] < b.chars[-1][1] <= b.x1 + 5
        )
