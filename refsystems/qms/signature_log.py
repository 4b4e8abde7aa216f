"""The QMS's electronic-signature log (21 CFR Part 11): append-only, readable per batch.

``POST /api/v1/signatures`` appends one signature (idempotent by key, as every write);
``GET /api/v1/signatures?Material=&Batch=`` lists a batch's signatures, oldest first. There is
no route that changes or deletes an entry. A digest already logged for another record is
refused (409 SignatureRecordMismatch): a signature cannot be moved to another record.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import Field as Text
from sqlmodel import col, select

from refsystems.common.app import SessionDep
from refsystems.common.context import WriteContext, write_context
from refsystems.qms.errors import QmsError
from refsystems.qms.schemas import Dialect, MeaningCode, RoleCode
from refsystems.qms.tables import SignatureLogRow

router = APIRouter(prefix="/api/v1/signatures", tags=["signatures"])


class SignatureIn(Dialect):
    Record: str = Text(min_length=1, max_length=200)
    Material: str = Text(min_length=1, max_length=40)
    Batch: str = Text(min_length=1, max_length=20)
    SignedBy: str = Text(min_length=1, max_length=80)
    PrintedName: str = Text(min_length=1, max_length=120)
    SignerRole: RoleCode
    Meaning: MeaningCode
    Statement: str = Text(min_length=1, max_length=80)
    Reason: str = Text(min_length=3, max_length=500)
    SignedAt: datetime
    AuthenticatedAt: datetime | None = None
    RecordDigest: str = Text(pattern=r"^sha256:[0-9a-f]{64}$")


class Signature(SignatureIn):
    EntryID: str
    LoggedAt: datetime


def signature_out(row: SignatureLogRow) -> Signature:
    return Signature(
        EntryID=f"SIG{row.id:08d}",
        Record=row.record,
        Material=row.material,
        Batch=row.batch,
        SignedBy=row.signed_by,
        PrintedName=row.printed_name,
        SignerRole=row.signer_role,  # type: ignore[arg-type]
        Meaning=row.meaning,  # type: ignore[arg-type]
        Statement=row.statement,
        Reason=row.reason,
        SignedAt=row.signed_at,
        AuthenticatedAt=row.authenticated_at,
        RecordDigest=row.record_digest,
        LoggedAt=row.logged_at,
    )


@router.post("", status_code=201)
def append_signature(
    body: SignatureIn,
    session: SessionDep,
    ctx: Annotated[WriteContext, Depends(write_context)],
) -> Signature:
    other = session.exec(
        select(SignatureLogRow).where(
            SignatureLogRow.record_digest == body.RecordDigest,
            SignatureLogRow.record != body.Record,
        )
    ).first()
    if other is not None:
        raise QmsError(
            409,
            "SignatureRecordMismatch",
            f"digest {body.RecordDigest} was signed for record {other.record}, not {body.Record}",
        )
    row = SignatureLogRow(
        record=body.Record,
        material=body.Material,
        batch=body.Batch,
        signed_by=body.SignedBy,
        printed_name=body.PrintedName,
        signer_role=body.SignerRole,
        meaning=body.Meaning,
        statement=body.Statement,
        reason=body.Reason,
        signed_at=body.SignedAt,
        authenticated_at=body.AuthenticatedAt,
        record_digest=body.RecordDigest,
        correlation_id=ctx.correlation_id,
    )
    session.add(row)
    session.flush()
    ctx.record(session, "signature_logged", "signature", f"SIG{row.id:08d}", {"batch": row.batch})
    session.commit()
    session.refresh(row)
    return signature_out(row)


@router.get("")
def find_signatures(
    session: SessionDep,
    material: Annotated[str | None, Query(alias="Material")] = None,
    batch: Annotated[str | None, Query(alias="Batch")] = None,
) -> list[Signature]:
    """A batch's signatures, oldest first (``?Material=FG-1000&Batch=B1000001``)."""
    query = select(SignatureLogRow).order_by(col(SignatureLogRow.id))
    if material is not None:
        query = query.where(SignatureLogRow.material == material)
    if batch is not None:
        query = query.where(SignatureLogRow.batch == batch)
    return [signature_out(row) for row in session.exec(query)]
