"""Electronic signatures inside the sagas: refuse one made for another record, build the
signature with its manifestation, and the command that appends it to the QMS's log."""

from datetime import datetime
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from canonical.enums import Role, SignatureMeaning
    from canonical.quality import ElectronicSignature
    from canonical.signatures import LogSignature, record_digest


def digest_problem(sent: str | None, record: dict[str, Any]) -> str | None:
    """A digest the signer sent must be this record's: a signature made for another record
    (another order, lot or decision) is refused."""
    expected = record_digest(record)
    if sent and sent != expected:
        return (
            f"the signature was made for another record: its digest {sent} is not this "
            f"record's ({expected}); a signature cannot be moved to another record"
        )
    return None


def signature(
    signer: str,
    role: Role,
    meaning: SignatureMeaning,
    reason: str,
    record: dict[str, Any],
    printed_name: str,
    authenticated_at: datetime | None,
) -> ElectronicSignature:
    return ElectronicSignature(
        signer=signer,
        role=role,
        signed_at=workflow.now(),
        meaning=meaning,
        reason=reason,
        printed_name=printed_name or signer,
        statement=str(record["meaning"]),
        record_digest=record_digest(record),
        authenticated_at=authenticated_at,
    )


def log_command(
    fields: dict[str, str], record: str, item_id: str, lot_id: str, sig: ElectronicSignature
) -> LogSignature:
    return LogSignature(
        **fields,
        record=record,
        item_id=item_id,
        lot_id=lot_id,
        signer=sig.signer,
        printed_name=sig.printed_name or sig.signer,
        role=sig.role,
        meaning=sig.meaning,
        statement=sig.statement,
        reason=sig.reason,
        signed_at=sig.signed_at,
        authenticated_at=sig.authenticated_at,
        record_digest=sig.record_digest,
    )


def manifestation(sig: ElectronicSignature) -> str:
    """The signature as people read it (§11.50): printed name, date and time, meaning."""
    digest = f" · record {sig.record_digest[:19]}…" if sig.record_digest else ""
    return (
        f"**Signed** '{sig.statement or sig.meaning.value}' by {sig.printed_name or sig.signer} "
        f"({sig.signer}, {sig.role.value}) at {sig.signed_at:%Y-%m-%d %H:%M:%S} UTC: "
        f"{sig.reason}{digest}"
    )
