"""Storing uploaded files exactly as they came."""

from __future__ import annotations

import hashlib
import os
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from reports.models import Attachment
from reports.parsing.document import ExtractionError
from reports.parsing.sniff import sniff
from reports.services.audit import audit_event_add

NAME_MAX = 120
_MARKDOWN_SUFFIXES = (".md", ".markdown")


def attachment_name_clean(name: str | None) -> str:
    """The original name made safe to show: basename only, no control characters, capped."""
    name = (name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
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
        "文件大小为 %(size).1f MB，超过了上传上限 %(limit).1f MB。"
        "请压缩图片或只保留年度报告正文后重新上传。",
        code="too_large",
        params={"size": size / 1048576, "limit": limit / 1048576},
    )


def attachment_content_type(data: bytes, name: str) -> str:
    """The sniffed kind of the bytes (never from the name, except markdown vs text)."""
    try:
        kind = sniff(data)
    except ExtractionError:
        return Attachment.Kind.UNKNOWN
    if kind == "text" and name.lower().endswith(_MARKDOWN_SUFFIXES):
        return Attachment.Kind.MARKDOWN
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
