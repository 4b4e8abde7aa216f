"""Certificate documents: from the dialect's text to the bytes kept, and back (pure functions).

A PDF arrives in base64 and is kept as the PDF itself, so the digest and the ``/content``
download are of the real document whatever line breaks the sender's base64 had.
"""

import base64
import binascii
import hashlib

from refsystems.qms.errors import QmsError

PDF = "application/pdf"
HTML = "text/html"

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
"""A certificate is a few pages; anything larger is not one (refused: ContentTooLarge)."""

EXTENSIONS = {HTML: "html", PDF: "pdf"}


def document_bytes(media_type: str, content: str) -> bytes:
    """The document as it will be kept; 422 InvalidContent when it is not what it claims,
    413 ContentTooLarge beyond ``MAX_DOCUMENT_BYTES``."""
    if media_type == PDF:
        try:
            data = base64.b64decode("".join(content.split()), validate=True)
        except (binascii.Error, ValueError):
            raise QmsError(
                422, "InvalidContent", "Content of an application/pdf certificate must be base64"
            ) from None
        if not data.startswith(b"%PDF-"):
            raise QmsError(422, "InvalidContent", "Content is not a PDF document (no %PDF- header)")
    else:
        data = content.encode("utf-8")
        if not content.strip():
            raise QmsError(422, "InvalidContent", "Content of a text/html certificate is blank")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise QmsError(
            413,
            "ContentTooLarge",
            f"the document has {len(data)} bytes; a certificate may have {MAX_DOCUMENT_BYTES}",
        )
    return data


def document_text(media_type: str, data: bytes) -> str:
    """The kept bytes as the dialect's Content (base64 for a PDF)."""
    return base64.b64encode(data).decode("ascii") if media_type == PDF else data.decode("utf-8")


def digest(data: bytes) -> str:
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


def file_name(certificate_number: str, media_type: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in certificate_number)
    return f"{safe}.{EXTENSIONS.get(media_type, 'bin')}"
