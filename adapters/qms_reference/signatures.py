"""The reference QMS's signature log, in canonical terms.

``log_signature`` appends one signature (``POST /api/v1/signatures``; role and meaning
through ``codes``); the receipt's document is the log's entry id. ``find_signatures`` lists a
lot's entries oldest first. Refusal: SignatureRecordMismatch (the digest belongs to another
record).
"""

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from pydantic import AwareDatetime

from adapters.http import was_replayed
from adapters.qms_reference.base import QmsAdapterBase
from adapters.qms_reference.codes import MEANING, ROLE, SYSTEM
from adapters.qms_reference.dialect import Wire
from adapters.qms_reference.wire import read
from canonical.commands import LotQuery, Receipt
from canonical.signatures import LogSignature, SignatureEntry


class LoggedSignature(Wire):
    EntryID: str
    Record: str
    Material: str
    Batch: str
    SignedBy: str
    PrintedName: str
    SignerRole: str
    Meaning: str
    Statement: str
    Reason: str
    SignedAt: AwareDatetime
    AuthenticatedAt: AwareDatetime | None = None
    RecordDigest: str


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


class SignatureCalls(QmsAdapterBase):
    async def log_signature(self, command: LogSignature) -> Receipt:
        base, _plant, _units = self._plant(command.plant)
        body: dict[str, Any] = {
            "Record": command.record,
            "Material": command.item_id,
            "Batch": command.lot_id,
            "SignedBy": command.signer,
            "PrintedName": command.printed_name,
            "SignerRole": ROLE[command.role],
            "Meaning": MEANING[command.meaning],
            "Statement": command.statement,
            "Reason": command.reason,
            "SignedAt": _iso(command.signed_at),
            "AuthenticatedAt": _iso(command.authenticated_at),
            "RecordDigest": command.record_digest,
        }
        response = await self._write(f"{base}/api/v1/signatures", body, command)
        logged = read(LoggedSignature, response)
        return Receipt(system=SYSTEM, document=logged.EntryID, replayed=was_replayed(response))

    async def find_signatures(self, query: LotQuery) -> list[SignatureEntry]:
        base, _plant, _units = self._plant(query.plant)
        params = urlencode({"Material": query.item_id, "Batch": query.lot_id})
        response = await self._read(f"{base}/api/v1/signatures?{params}", query.correlation_id)
        roles = {code: role for role, code in ROLE.items()}
        meanings = {code: meaning for meaning, code in MEANING.items()}
        return [
            SignatureEntry(
                entry_id=row.EntryID,
                record=row.Record,
                item_id=row.Material,
                lot_id=row.Batch,
                signer=row.SignedBy,
                printed_name=row.PrintedName,
                role=roles[row.SignerRole],
                meaning=meanings[row.Meaning],
                statement=row.Statement,
                reason=row.Reason,
                signed_at=row.SignedAt,
                authenticated_at=row.AuthenticatedAt,
                record_digest=row.RecordDigest,
            )
            for row in (LoggedSignature.model_validate(item) for item in response.json())
        ]
