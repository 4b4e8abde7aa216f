"""Certificates of analysis as quality records: stored once per batch, never replaced.

A certificate is evidence that a batch was released against its specification. Replacing it
would rewrite that evidence, so a second, different certificate for the batch is refused
(CertificateExists) and a certificate number names one batch only (CertificateNumberInUse).
An identical repeat (a caller retrying under a new key) answers the stored record unchanged.
A certificate that states conformance is refused for a batch the QMS knows does not conform
(CertificateContradictsRecords): a notification on it used as is, or not yet dispositioned.
"""

import json
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from refsystems.common.context import WriteContext
from refsystems.qms import events
from refsystems.qms.certificate_schemas import Certificate, CertificateHeader, CertificateIn
from refsystems.qms.documents import digest, document_bytes, document_text
from refsystems.qms.errors import QmsError, not_found
from refsystems.qms.store import as_utc
from refsystems.qms.tables import CertificateRow, NotificationRow


def find_certificate(
    session: Session, site: str, material: str, batch: str
) -> CertificateRow | None:
    query = select(CertificateRow).where(
        CertificateRow.site == site,
        CertificateRow.material == material,
        CertificateRow.batch == batch,
    )
    return session.exec(query).first()


def get_certificate(session: Session, site: str, material: str, batch: str) -> CertificateRow:
    row = find_certificate(session, site, material, batch)
    if row is None:
        raise not_found("certificate for batch", f"{site}/{material}/{batch}")
    return row


def find_certificates(
    session: Session, material: str | None, batch: str | None, site: str | None
) -> list[CertificateRow]:
    query = select(CertificateRow).order_by(col(CertificateRow.id))
    for column, value in (("material", material), ("batch", batch), ("site", site)):
        if value is not None:
            query = query.where(getattr(CertificateRow, column) == value)
    return list(session.exec(query))


def certificate_header(row: CertificateRow) -> CertificateHeader:
    return CertificateHeader(
        CertificateNumber=row.certificate_number,
        Site=row.site,
        Material=row.material,
        Batch=row.batch,
        MediaType=row.media_type,  # type: ignore[arg-type]
        IssuedBy=row.issued_by,
        IssuedAt=as_utc(row.issued_at),
        StoredAt=as_utc(row.stored_at),
        ContentDigest=row.content_digest,
        Size=row.size,
    )


def certificate_out(row: CertificateRow) -> Certificate:
    return Certificate(
        **certificate_header(row).model_dump(),
        Content=document_text(row.media_type, row.content),
    )


def is_same_certificate(row: CertificateRow, body: CertificateIn, content_digest: str) -> bool:
    """The same document under the same number; who sent it again, and when, does not matter."""
    return (row.certificate_number, row.media_type, row.content_digest) == (
        body.CertificateNumber,
        body.MediaType,
        content_digest,
    )


def certificate_exists(row: CertificateRow) -> QmsError:
    return QmsError(
        409,
        "CertificateExists",
        f"batch {row.site}/{row.material}/{row.batch} already has certificate "
        f"{row.certificate_number}; a certificate is kept, not replaced",
    )


def ensure_number_free(session: Session, number: str) -> None:
    query = select(CertificateRow).where(CertificateRow.certificate_number == number)
    other = session.exec(query).first()
    if other is not None:
        raise QmsError(
            409,
            "CertificateNumberInUse",
            f"certificate {number} belongs to batch {other.site}/{other.material}/{other.batch}",
        )


def ensure_records_agree(session: Session, site: str, material: str, batch: str) -> None:
    """A certificate may state conformance only if no notification on the batch says otherwise."""
    query = select(NotificationRow).where(
        NotificationRow.site == site, NotificationRow.material == material
    )
    for row in session.exec(query):
        if batch not in json.loads(row.affected_batches):
            continue
        if row.disposition == "UAI":
            why = f"is used as is under notification {row.notification_number}"
        elif row.disposition is None:
            why = f"has notification {row.notification_number} without a disposition"
        else:
            continue
        raise QmsError(
            409,
            "CertificateContradictsRecords",
            f"batch {site}/{material}/{batch} {why}: its certificate cannot state that it "
            "conforms to its specification",
        )


def store_certificate(
    session: Session, ctx: WriteContext, site: str, material: str, batch: str, body: CertificateIn
) -> tuple[Certificate, bool]:
    """Keep the batch's certificate. Returns it and whether it is new (False: the identical
    certificate was already kept; nothing is recorded again)."""
    data = document_bytes(body.MediaType, body.Content)
    content_digest = digest(data)
    existing = find_certificate(session, site, material, batch)
    if existing is not None:
        if is_same_certificate(existing, body, content_digest):
            return certificate_out(existing), False
        raise certificate_exists(existing)
    if body.ConformanceStated:
        ensure_records_agree(session, site, material, batch)
    ensure_number_free(session, body.CertificateNumber)
    row = CertificateRow(
        certificate_number=body.CertificateNumber,
        site=site,
        material=material,
        batch=batch,
        media_type=body.MediaType,
        content=data,
        content_digest=content_digest,
        size=len(data),
        issued_by=body.IssuedBy,
        issued_at=(body.IssuedAt or datetime.now(UTC)).astimezone(UTC),
        correlation_id=ctx.correlation_id,
    )
    session.add(row)
    session.flush()
    header = certificate_header(row)
    ctx.record(
        session,
        "store_certificate",
        "Certificate",
        row.certificate_number,
        header.model_dump(mode="json"),
    )
    correlation_id = ctx.correlation_id or f"qms-certificate-{row.certificate_number}"
    events.certificate_issued(session, header, correlation_id)
    session.commit()
    return certificate_out(row), True
