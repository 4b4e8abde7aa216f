"""Canonical commands for the demo data, each with a fresh idempotency key unless given."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from canonical.commands import (
    CreateInspectionLot,
    RecordDisposition,
    RecordMeasurement,
    UsageDecision,
)
from canonical.enums import Disposition, Role, SignatureMeaning
from canonical.quality import ElectronicSignature

CORRELATION = "corr-qms-test"


def _ids(key: str | None, plant: str = "P100") -> dict[str, str]:
    return {
        "idempotency_key": key or f"test-{uuid.uuid4()}",
        "correlation_id": CORRELATION,
        "plant": plant,
    }


def lot_command(
    key: str | None = None, plant: str = "P100", **overrides: Any
) -> CreateInspectionLot:
    fields: dict[str, Any] = {
        "order_id": "1000001",
        "item_id": "FG-1000",
        "lot_id": "B1000001",
        "quantity": Decimal(1000),
        "unit": "EA",
        **overrides,
    }
    return CreateInspectionLot(**_ids(key, plant), **fields)


def measurement(
    lot: str,
    value: str,
    characteristic: str = "VISC",
    sample: str = "S1",
    key: str | None = None,
    recorded_by: str = "op.nguyen",
) -> RecordMeasurement:
    return RecordMeasurement(
        **_ids(key),
        inspection_lot_id=lot,
        characteristic_id=characteristic,
        sample_id=sample,
        measured_value=Decimal(value),
        recorded_by=recorded_by,
    )


def signature(signer: str = "qa.lee", role: Role = Role.QUALITY_MANAGER) -> ElectronicSignature:
    return ElectronicSignature(
        signer=signer,
        role=role,
        signed_at=datetime(2025, 3, 4, 10, 30, tzinfo=UTC),
        meaning=SignatureMeaning.DISPOSITION_APPROVED,
        reason="viscosity within customer tolerance",
    )


def disposition(
    nc: str,
    decision: Disposition = Disposition.USE_AS_IS,
    key: str | None = None,
    **sig: Any,
) -> RecordDisposition:
    return RecordDisposition(
        **_ids(key), nonconformance_id=nc, decision=decision, signature=signature(**sig)
    )


def usage_decision(
    lot: str, accepted: bool = True, key: str | None = None, **q: Any
) -> UsageDecision:
    return UsageDecision(
        **_ids(key), inspection_lot_id=lot, accepted=accepted, decided_by="qa.lee", **q
    )
