"""The certificate part of the dialect: a certificate of analysis (CoA) kept as a quality
record of one batch at one site.

MediaType "text/html" (Content is the document's text, kept exactly as sent) or
"application/pdf" (Content is the PDF in base64). A batch has one certificate: it is a record,
not a draft, so a different one is refused (CertificateExists) and an identical repeat (same
number, media type and document) answers the one stored.
"""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StringConstraints

from refsystems.qms.schemas import Dialect, Name

MediaTypeCode = Literal["text/html", "application/pdf"]

Document = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1)]
"""The document as sent: whitespace is part of it (the digest covers every byte)."""


class CertificateIn(Dialect):
    """``IssuedAt`` defaults to the moment the QMS stores the certificate."""

    CertificateNumber: Name
    MediaType: MediaTypeCode
    Content: Document
    IssuedBy: Name
    IssuedAt: AwareDatetime | None = None
    ConformanceStated: bool = Field(
        default=False,
        description="The document states that the batch conforms to its specification: "
        "refused (409 CertificateContradictsRecords) for a batch with a notification used as "
        "is or without a disposition",
    )


class CertificateCreate(CertificateIn):
    """``POST /api/v1/certificates`` names the batch in the body."""

    Site: Name
    Material: Name
    Batch: Name


class CertificateHeader(Dialect):
    """What lists show: everything but the document itself."""

    CertificateNumber: str
    Site: str
    Material: str
    Batch: str
    MediaType: MediaTypeCode
    IssuedBy: str
    IssuedAt: datetime
    StoredAt: datetime
    ContentDigest: str
    Size: int


class Certificate(CertificateHeader):
    Content: Document
