"""Canonical commands and lab actions for the demo batch, each with a fresh idempotency key
unless given."""

import uuid
from decimal import Decimal
from typing import Any

from canonical.commands import LabStatus, LotQuery, RequestLabTesting
from refsystems.lims.lab import Lab
from refsystems.lims.schemas import Sample

CORRELATION = "corr-lims-test"
SITE = "LAB-SPR"
ANALYST = "lab.patel"
SECOND_ANALYST = "lab.chen"
REVIEWER = "lab.morgan"

PASSING: dict[str, dict[str, Any]] = {
    "PH": {"value": "6.2"},
    "VISC": {"value": "12000"},
    "MICRO_TPC": {"value": "20"},
    "APPEARANCE": {"text": "conforms"},
}


def lab_request(key: str | None = None, plant: str = "P100", **overrides: Any) -> RequestLabTesting:
    fields: dict[str, Any] = {
        "item_id": "FG-1000",
        "lot_id": "B1000001",
        "order_id": "1000001",
        "quantity": Decimal(1000),
        "unit": "EA",
        **overrides,
    }
    return RequestLabTesting(
        idempotency_key=key or f"test-{uuid.uuid4()}",
        correlation_id=CORRELATION,
        plant=plant,
        **fields,
    )


def lot_query(lot_id: str = "B1000001", plant: str = "P100") -> LotQuery:
    return LotQuery(plant=plant, item_id="FG-1000", lot_id=lot_id, correlation_id=CORRELATION)


async def register(lab: Lab, batch: str = "B1000001", material: str = "FG-1000") -> Sample:
    return await lab.register(SITE, material, batch, 1000, "EA", correlation_id=CORRELATION)


async def complete(lab: Lab, sample_id: str, /, **results: dict[str, Any]) -> Sample:
    """Enter a result by ANALYST for every test: passing ones unless given."""
    sample = None
    for test_code, result in {**PASSING, **results}.items():
        sample = await lab.enter_result(sample_id, test_code, ANALYST, **result)
    assert sample is not None
    return sample


async def authorized(lab: Lab, /, batch: str = "B1000001", **results: dict[str, Any]) -> Sample:
    """A sample of ``batch`` with every result in and authorised by REVIEWER."""
    sample = await register(lab, batch)
    await complete(lab, sample.sample_id, **results)
    return await lab.authorize(sample.sample_id, REVIEWER, comment="reviewed")


def status_of(status: LabStatus | None) -> tuple[str, bool | None] | None:
    return None if status is None else (status.status, status.passed)
