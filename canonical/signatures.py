"""Electronic signatures bound to the record they sign (21 CFR Part 11 §11.70).

A signature carries the SHA-256 digest of the canonical JSON of the signed record: its
identity (the saga's record id, the nonconformance or lot) and the decision. The same record
and decision always give the same digest, any other record a different one, so a signature
copied onto another record no longer matches it. Pure functions: the workflows call them.
"""

import hashlib
import json
from decimal import Decimal
from typing import Any

from pydantic import AwareDatetime, Field

from canonical.commands import Command
from canonical.enums import Role, SignatureMeaning
from canonical.messages import CanonicalModel


def canonical_json(record: dict[str, Any]) -> str:
    """Sorted keys, no spaces, text as is (RFC 8785 style for the strings and integers we
    sign; quantities go in as decimal strings)."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_digest(record: dict[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(canonical_json(record).encode("utf-8")).hexdigest()


def disposition_record(workflow_id: str, nonconformance_id: str, decision: str) -> dict[str, Any]:
    return {
        "record": workflow_id,
        "nonconformance_id": nonconformance_id,
        "decision": decision,
        "meaning": f"disposition: {decision}",
    }


def release_record(workflow_id: str, item_id: str, lot_id: str, verdict: str) -> dict[str, Any]:
    meaning = "released for shipment" if verdict == "approve" else "release rejected"
    return {
        "record": workflow_id,
        "item_id": item_id,
        "lot_id": lot_id,
        "decision": verdict,
        "meaning": meaning,
    }


RECEIPT_MEANINGS = {
    "accept": "acceptance",
    "reject": "rejection",
    "partial": "partial acceptance",
}


def receipt_record(
    workflow_id: str, item_id: str, lot_id: str, decision: str, accepted: Decimal | None
) -> dict[str, Any]:
    return {
        "record": workflow_id,
        "item_id": item_id,
        "lot_id": lot_id,
        "decision": decision,
        "accepted_quantity": None if accepted is None else str(accepted.normalize()),
        "meaning": RECEIPT_MEANINGS[decision],
    }


class SignatureEntry(CanonicalModel):
    """One line of the append-only signature log, as the QMS keeps it."""

    entry_id: str
    record: str
    item_id: str
    lot_id: str
    signer: str
    printed_name: str
    role: Role
    meaning: SignatureMeaning
    statement: str = Field(description='What the signature means, e.g. "disposition: rework"')
    reason: str
    signed_at: AwareDatetime
    authenticated_at: AwareDatetime | None = None
    record_digest: str


class LogSignature(Command):
    """Append a signature to the QMS's signature log (the lot's Part 11 record)."""

    record: str
    item_id: str
    lot_id: str
    signer: str
    printed_name: str
    role: Role
    meaning: SignatureMeaning
    statement: str
    reason: str
    signed_at: AwareDatetime
    authenticated_at: AwareDatetime | None = None
    record_digest: str
