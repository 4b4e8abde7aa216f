"""Canonical commands for the demo data, each with a fresh idempotency key unless given."""

import uuid
from decimal import Decimal
from typing import Any

from canonical.commands import CorrectiveActionRequest, LotOutcome

CORRELATION = "corr-portal-test"
ACME = "17300001"
BUDGET = "17300002"


def _ids(key: str | None, plant: str) -> dict[str, str]:
    return {
        "idempotency_key": key or f"test-{uuid.uuid4()}",
        "correlation_id": CORRELATION,
        "plant": plant,
    }


def scar_request(
    key: str | None = None, plant: str = "P100", **overrides: Any
) -> CorrectiveActionRequest:
    fields: dict[str, Any] = {
        "supplier": ACME,
        "purchase_order": "4500000001",
        "item_id": "RM-200",
        "lot_id": "B2000009",
        "nonconformance_id": "QN10000001",
        "description": "PH 8.1 outside limits 6.5..7.5, sample S1",
        **overrides,
    }
    return CorrectiveActionRequest(**_ids(key, plant), **fields)


def outcome(
    batch: str,
    accepted: bool = True,
    key: str | None = None,
    plant: str = "P100",
    **overrides: Any,
) -> LotOutcome:
    fields: dict[str, Any] = {
        "supplier": ACME,
        "item_id": "RM-200",
        "lot_id": batch,
        "accepted": accepted,
        "quantity": Decimal(1000),
        "rejected_quantity": Decimal(0) if accepted else Decimal(1000),
        "unit": "KG",
        **overrides,
    }
    return LotOutcome(**_ids(key, plant), **fields)
