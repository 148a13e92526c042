"""Storing uploaded files exactly as they came."""

from __future__ import annotations

import hashlib
import os
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext, gettext_lazy

from core import ocr
from core.parsing.document import ExtractionError
from core.parsing.sniff import image_kind, sniff
from filing.messages import extraction_error_text
from filing.models import Attachment
from filing.services.audit import audit_event_add

NAME_MAX = 120
# A crop never changes for the same file, page and box; a day keeps hot review pages cheap.
CROP_CACHE_SECONDS = 24 * 3600
_MARKDOWN_SUFFIXES = (".md", ".markdown")
# Characters Windows refuses in file names; never needed in a report's name.
_RESERVED = str.maketrans({ch: "_" for ch in '<>:"|?*'})
# What each accepted extension may contain, by sniffed kind.
SUFFIX_KINDS = {
    ".pdf": {"pdf"},
    ".docx": {"docx"},
    ".txt": {"text"},
    ".md": {"text"},
    ".markdown": {"text"},
    # A saved page fragment without tags reads as plain text.
    ".html": {"html", "text"},
    ".htm": {"html", "text"},
    # Scans and phone photos, read by OCR; a JPEG saved as .png still reads.
    ".jpg": {"jpeg", "png"},
    ".jpeg": {"jpeg", "png"},
    ".png": {"png", "jpeg"},
    ".tif": {"tiff"},
    ".tiff": {"tiff"},
}
_KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "html": gettext_lazy("网页（HTML）"),
    "text": gettext_lazy("纯文本"),
    "jpeg": gettext_lazy("JPEG 图片"),
    "png": gettext_lazy("PNG 图片"),
    "tiff": gettext_lazy("TIFF 图片"),
}


def attachment_name_clean(name: str | None) -> str:
    """The original name made safe to show: basename only, no control characters, capped."""
    name = (name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    name = unicodedata.normalize("NFC", name).translate(_RESERVED).strip(" .") or name.strip()
    if name in {"", ".", ".."}:
        return "upload"
    if len(name) > NAME_MAX:
        stem, ext = os.path.splitext(name)
        ext = ext if len(ext) <= 16 else ""
        name = stem[: NAME_MAX - len(ext)] + ext
    return name


def _read_all(data) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if hasattr(data, "seek"):
        data.seek(0)
    if hasattr(data, "chunks"):
        return b"".join(data.chunks())
    return data.read()


def _size_of(data) -> int:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return len(data)
    size = getattr(data, "size", None)
    if size is not None:
        return int(size)
    position = data.tell()
    data.seek(0, os.SEEK_END)
    size = data.tell()
    data.seek(position)
    return size


def _too_large(size: int, limit: int) -> ValidationError:
    return ValidationError(
        gettext_lazy(
            "文件大小为 %(size).1f MB，超过了上传上限 %(limit).1f MB。"
            "请压缩图片或只保留年度报告正文后重新上传。"
        ),
        code="too_large",
        params={"size": size / 1048576, "limit": limit / 1048576},
    )


def attachment_content_type(data: bytes, name: str) -> str:
    """The sniffed kind of the bytes (never from the name, except markdown vs text)."""
    scan = image_kind(data)
    if scan is not None:
        return scan
    try:
        kind = sniff(data)
    except ExtractionError:
        return Attachment.Kind.UNKNOWN
    if kind == "text" and name.lower().endswith(_MARKDOWN_SUFFIXES):
        return Attachment.Kind.MARKDOWN
    return kind


def attachment_type_check(*, data: bytes, name: str) -> str:
    """The sniffed kind if the name's extension allows it; ValidationError otherwise.

    Content that cannot be read at all (junk, an old .doc renamed .pdf) under an accepted
    extension passes as "unknown": it is kept and its parse run fails with the reason.
    """
    suffix = os.path.splitext(attachment_name_clean(name))[1].lower()
    allowed = SUFFIX_KINDS.get(suffix)
    try:
        # Images go to OCR; sniff alone refuses them (it wants a text document).
        kind = image_kind(data) or sniff(data)
    except ExtractionError as exc:
        if allowed is None:
            raise ValidationError(extraction_error_text(exc), code=exc.code) from None
        return Attachment.Kind.UNKNOWN
    if allowed is None:
        raise ValidationError(
            gettext_lazy(
                "不支持扩展名为“%(suffix)s”的文件。请上传 PDF、DOCX、TXT、HTML 格式的年度报告，"
                "或 JPEG、PNG、TIFF 格式的扫描件、照片。"
            ),
            code="unsupported_extension",
            params={"suffix": suffix or gettext("（无）")},
        )
    if kind not in allowed:
        raise ValidationError(
            gettext_lazy(
                "文件扩展名是“%(suffix)s”，但内容是%(kind)s。请确认选对了文件，"
                "或改用与内容相符的扩展名后重新上传。"
            ),
            code="type_mismatch",
            params={"suffix": suffix, "kind": _KIND_LABELS.get(kind, kind)},
        )
    return kind


def attachment_add(
    *, data, original_name: str, uploaded_by=None, report=None, organ=None
) -> Attachment:
    """Store an uploaded file byte for byte with its hash, size and sniffed type."""
    limit = settings.PORTAL_MAX_UPLOAD_BYTES
    size = _size_of(data)
    if size > limit:
        raise _too_large(size, limit)
    content = _read_all(data)
    if len(content) > limit:  # a file object whose declared size was wrong
        raise _too_large(len(content), limit)
    name = attachment_name_clean(original_name)
    if uploaded_by is not None and not getattr(uploaded_by, "is_authenticated", False):
        uploaded_by = None
    attachment = Attachment(
        report=report,
        organ=organ if organ is not None else getattr(report, "organ", None),
        original_name=name,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content_type=attachment_content_type(content, name),
        uploaded_by=uploaded_by,
    )
    attachment.full_clean(exclude=["file"])
    # The file goes to storage first: a row never points at bytes that were not written.
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    audit_event_add(
        action="attachment.upload",
        actor=uploaded_by,
        report=report,
        data={
            "attachment": attachment.pk,
            "name": name,
            "sha256": attachment.sha256,
            "size": attachment.size,
            "content_type": attachment.content_type,
        },
    )
    return attachment


def attachment_crop(*, attachment: Attachment, page: int, bbox) -> bytes:
    """PNG of one value's box on a scanned page, cached by the file's hash, page and box.

    Rendering and preparing a page costs a second or so; the review page asks for each
    flagged cell's crop, so the bytes are kept in the cache (same file => same crop).
    """
    box = ",".join(f"{float(v):.1f}" for v in bbox)
    key = f"attachment-crop:{attachment.sha256}:{int(page)}:{box}"
    png = cache.get(key)
    if png is None:
        with attachment.file.open("rb") as handle:
            data = handle.read()
        png = ocr.crop(data, int(page), [float(v) for v in bbox])
        cache.set(key, png, CROP_CACHE_SECONDS)
    return png
