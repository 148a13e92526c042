"""Pages as images, and their preparation for OCR.

Preparation is deterministic (the same bytes give the same prepared page), so
a cell's box, given in prepared-page pixels, can be cropped again later.
Steps: flatten a phone photo's perspective, whiten the red seal, turn the page
upright (0/90/180/270), straighten a small skew, and even out the lighting.
"""

from __future__ import annotations

import io

import numpy as np

from core.ocr import engine

DPI = 200
MAX_SIDE = 2400  # a phone photo is scaled down to about A4 at 200 dpi
MIN_SIDE = 500  # smaller than this cannot be read
PAGE_SIDE = 2339  # the long side of A4 at 200 dpi, where PDF pages are drawn
UPSCALE_BELOW = 2000  # a page image shorter than this (A4 at 170 dpi) is scaled up to PAGE_SIDE
# Mean confidence of a page's longest lines read as they lie above which the page is
# upright: text upside down or sideways reads far below it (0.3-0.7).
UPRIGHT = 0.9


def pdf_page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def render_pdf_page(data: bytes, number: int, dpi: int = DPI) -> np.ndarray:
    """One PDF page (1-based) as a BGR array at ``dpi``."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[number - 1]
        bitmap = page.render(scale=dpi / 72)
        image = np.asarray(bitmap.to_pil().convert("RGB"))
        page.close()
    finally:
        pdf.close()
    return _fit(image[:, :, ::-1].copy())


def image_frames(data: bytes) -> list[np.ndarray]:
    """Every frame of a JPEG/PNG/TIFF as BGR arrays (EXIF rotation applied)."""
    from PIL import Image, ImageOps, ImageSequence

    frames = []
    with Image.open(io.BytesIO(data)) as img:
        for frame in ImageSequence.Iterator(img):
            frame = ImageOps.exif_transpose(frame.convert("RGB"))
            frames.append(_fit(np.asarray(frame)[:, :, ::-1].copy()))
    return frames


def _fit(image: np.ndarray) -> np.ndarray:
    """Bring an image to about an A4 page at 200 dpi: a phone photo is scaled down, and a
    low-resolution scan (150 dpi and below) up, since the recogniser misreads figures whose
    strokes are only a pixel or two wide (PDF pages are drawn at 200 dpi for the same reason).
    """
    import cv2

    h, w = image.shape[:2]
    if max(h, w) > MAX_SIDE:
        f = MAX_SIDE / max(h, w)
        return cv2.resize(image, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
    if MIN_SIDE <= max(h, w) < UPSCALE_BELOW:
        f = min(PAGE_SIDE / max(h, w), 2.0)
        return cv2.resize(image, (round(w * f), round(h * f)), interpolation=cv2.INTER_CUBIC)
    return image


def too_small(image: np.ndarray) -> bool:
    return min(image.shape[:2]) < MIN_SIDE


def flatten_photo(image: np.ndarray) -> np.ndarray:
    """Warp a sheet photographed on a darker surface to a flat rectangle."""
    import cv2

    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    small = 800 / max(gray.shape)
    g = cv2.resize(gray, None, fx=small, fy=small, interpolation=cv2.INTER_AREA)
    g = cv2.GaussianBlur(g, (5, 5), 0)
    _, mask = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return image
    sheet = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(sheet) / (g.shape[0] * g.shape[1])
    if area <= 0.3:
        return image  # no sheet stands out: leave the page as it is
    quad = cv2.approxPolyDP(sheet, 0.02 * cv2.arcLength(sheet, True), True)
    if area >= 0.96 or len(quad) != 4:
        return _whiten_desk(image, mask, small)
    pts = _order(quad.reshape(4, 2).astype(np.float32) / small)
    w = int(max(np.linalg.norm(pts[1] - pts[0]), np.linalg.norm(pts[2] - pts[3])))
    h = int(max(np.linalg.norm(pts[3] - pts[0]), np.linalg.norm(pts[2] - pts[1])))
    target = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(pts, target)
    return cv2.warpPerspective(image, matrix, (w, h), borderValue=(255, 255, 255))


def _whiten_desk(image: np.ndarray, sheet: np.ndarray, scale: float) -> np.ndarray:
    """Dark desk showing at the edges of a photo becomes paper.

    A sheet filling the frame (or one whose corners are cut off) cannot be
    warped, but the dark slivers around it would read as table rules.
    """
    import cv2

    count, labels, stats, _ = cv2.connectedComponentsWithStats((sheet == 0).astype(np.uint8))
    h, w = sheet.shape
    desk = np.zeros_like(sheet, dtype=bool)
    for i in range(1, count):
        x, y, bw, bh, _ = stats[i]
        if x == 0 or y == 0 or x + bw == w or y + bh == h:  # touches the frame: not print
            desk |= labels == i
    if not desk.any():
        return image
    desk = cv2.dilate(desk.astype(np.uint8), np.ones((5, 5), np.uint8))
    full = cv2.resize(desk, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_NEAREST)
    out = image.copy()
    out[full > 0] = (255, 255, 255)
    return out


def _order(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[s.argmin()], pts[d.argmin()], pts[s.argmax()], pts[d.argmax()]])


def red_mask(image: np.ndarray) -> np.ndarray:
    """Pixels of the red seal (and red ink): red clearly above green and blue.

    Blur, a translucent stamp and JPEG wash a seal's strokes to a pale pink (red
    only 20-35 above green), so the test is a small channel difference.
    """
    b, g, r = (image[:, :, i].astype(np.int16) for i in range(3))
    return (r - np.maximum(g, b) > 20) & (r > 90)


def remove_seal(image: np.ndarray) -> np.ndarray:
    """The page as seen through a red filter: the seal turns pale, print under it stays.

    A seal is stamped over the print, so a stroke under it is dark in every
    channel while the seal alone is bright in red. Taking each pixel's
    brightest channel keeps black and grey print (its darkness scaled by the
    seal's faint red tint) and lifts the seal to near paper; what stays of its
    ring is whitened where it is clearly red and light. Whitening by colour
    alone would also erase the blurred grey edges of rules and digits under it.
    """
    bright = image.max(axis=2)
    b, g, r = (image[:, :, i].astype(np.int16) for i in range(3))
    faint = (r - np.maximum(g, b) > 15) & (bright > 130)
    bright = np.where(faint, 255, bright).astype(np.uint8)
    return np.repeat(bright[:, :, None], 3, axis=2)


def orient(image: np.ndarray) -> tuple[int, float]:
    """(quarter turns counter-clockwise to make the page upright, skew in degrees)."""
    import cv2

    f = 960 / max(image.shape[:2])
    small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    quads = engine.detect(small)
    lines = []
    for q in quads:
        e1, e2 = q[1] - q[0], q[2] - q[1]
        edge, other = (e1, e2) if np.linalg.norm(e1) >= np.linalg.norm(e2) else (e2, e1)
        if np.linalg.norm(edge) > 3 * np.linalg.norm(other):
            lines.append((float(np.linalg.norm(edge)), q, edge))
    if not lines:
        return 0, 0.0
    lines.sort(key=lambda t: -t[0])
    angles = [np.degrees(np.arctan2(e[1], e[0])) for _, _, e in lines]
    skew = float(np.median([((a + 45) % 90) - 45 for a in angles]))
    crops = []
    for _, q, _ in lines[:10]:
        x0, y0 = np.maximum(q.min(axis=0).astype(int) - 2, 0)
        x1, y1 = q.max(axis=0).astype(int) + 2
        crops.append(small[y0:y1, x0:x1])
    best, best_score = 0, -1.0
    for turns in range(4):
        rotated = [np.ascontiguousarray(np.rot90(c, turns)) for c in crops]
        rotated = [c for c in rotated if c.shape[1] > c.shape[0]]
        if not rotated:
            continue
        # Averaged over every line, so a turn that leaves few lines lying flat cannot win
        # on one lucky crop (a desk edge, a seal's rim).
        score = sum(s for _, s in engine.recognise_crops(rotated)) / len(crops)
        if score > best_score:
            best, best_score = turns, score
        if turns == 0 and score >= UPRIGHT:
            break  # a page read this fluently as it lies is upright
    return best, skew


def rotate(image: np.ndarray, turns: int, skew: float) -> np.ndarray:
    import cv2

    if turns:
        image = np.ascontiguousarray(np.rot90(image, turns))
    if abs(skew) < 0.15 or abs(skew) > 6:
        return image
    h, w = image.shape[:2]
    # rot90 turns counter-clockwise, which maps a skew angle a to the same a.
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
    return cv2.warpAffine(
        image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255)
    )


def even_light(image: np.ndarray) -> np.ndarray:
    """Divide by a smoothed background so shadows and gradients of a photo vanish."""
    import cv2

    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, np.ones((25, 25), np.uint8))
    background = cv2.GaussianBlur(background, (0, 0), 15)
    flat = cv2.divide(gray, np.maximum(background, 1), scale=255)
    return cv2.cvtColor(flat, cv2.COLOR_GRAY2BGR)


def table_frame(gray: np.ndarray) -> np.ndarray | None:
    """Homography squaring the largest ruled table, when a photo's perspective tilts it.

    A sheet photographed too close has no desk around it to warp by, but its
    table's outer frame is a printed rectangle: its four corners say how the
    page was tilted. None when the frame is already square (a flat scan).
    """
    import cv2

    h, w = gray.shape
    ink = (gray < 170).astype(np.uint8)
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(w // 40, 20)), np.uint8))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(h // 60, 20), 1), np.uint8))
    rules = cv2.dilate(horiz | vert, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(rules, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    frame = max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(frame)
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(quad) != 4 or cv2.contourArea(hull) < 0.1 * h * w:
        return None
    pts = _order(quad.reshape(4, 2).astype(np.float32))
    x0, y0 = pts[:, 0].min(), pts[:, 1].min()
    x1, y1 = pts[:, 0].max(), pts[:, 1].max()
    target = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)
    if np.abs(pts - target).max() < 4:
        return None
    return cv2.getPerspectiveTransform(pts, target)


def prepare(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(page ready for OCR, the same page in colour, used to tell seal text apart)."""
    import cv2

    image = flatten_photo(image)
    clean = remove_seal(image)
    turns, skew = orient(clean)
    image = rotate(image, turns, skew)
    flat = even_light(remove_seal(image))
    matrix = table_frame(flat[:, :, 0])
    if matrix is not None:
        size = (image.shape[1], image.shape[0])
        white = (255, 255, 255)
        flat = cv2.warpPerspective(flat, matrix, size, borderValue=white)
        image = cv2.warpPerspective(image, matrix, size, borderValue=white)
    return flat, image
