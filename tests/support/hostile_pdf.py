"""Hand-built hostile PDFs: a decompression bomb and a password-protected file."""

from __future__ import annotations

import functools
import zlib


def _pdf(objects: list[bytes], *, trailer_extra: bytes = b"") -> bytes:
    """A PDF with a correct cross-reference table around ``objects`` (numbered from 1)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer_extra,
        xref,
    )
    return bytes(out)


def _page_objects(stream: bytes, filters: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d %s>>\nstream\n" % (len(stream), filters) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


@functools.cache
def decompression_bomb(gigabytes: float = 2.0) -> bytes:
    """One page whose content stream inflates from a few MB to ``gigabytes`` of spaces."""
    packer = zlib.compressobj(9)
    chunk = b" " * (16 * 1024 * 1024)
    parts = [packer.compress(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n")]
    for _ in range(int(gigabytes * 1024 / 16)):
        parts.append(packer.compress(chunk))
    parts.append(packer.flush())
    return _pdf(_page_objects(b"".join(parts), b"/Filter /FlateDecode "))


def encrypted_pdf() -> bytes:
    """A PDF with a standard-security /Encrypt dictionary (RC4, a user password is set)."""
    objects = _page_objects(b"BT /F1 12 Tf 72 720 Td (secret) Tj ET")
    objects.append(
        b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 "
        b"/O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>"
    )
    return _pdf(
        objects,
        trailer_extra=b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (b"ab" * 16, b"ab" * 16),
    )
