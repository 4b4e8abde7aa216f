"""Canonical commands for the demo data, each with a fresh idempotency key unless given."""

import base64
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from canonical.commands import (
    CancelInspectionLot,
    CreateInspectionLot,
    CreateReceiptInspectionLot,
    OpenNonconformance,
    RecordDisposition,
    RecordMeasurement,
    SamplePlan,
    StoreCertificate,
    UsageDecision,
)
from canonical.enums import Disposition, Role, SignatureMeaning
from canonical.quality import ElectronicSignature

CORRELATION = "corr-qms-test"
SUPPLIER = "V-700100"
PURCHASE_ORDER = "4500000123"


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


def sample_plan(severity: str = "normal", **overrides: Any) -> SamplePlan:
    """Lot size 10000, general level II: code letter L, n = 200 at AQL 1.0 (Ac 5, Re 6)."""
    fields: dict[str, Any] = {
        "severity": severity,
        "code_letter": "L",
        "sample_size": 200,
        "accept_number": 5,
        "reject_number": 6,
        "aql": Decimal("1.0"),
        **overrides,
    }
    return SamplePlan(**fields)


def skip_plan() -> SamplePlan:
    return sample_plan(
        "skip",
        sample_size=0,
        accept_number=0,
        reject_number=1,
        skipped=True,
        reason="supplier on skip-lot: 10 lots accepted in a row",
    )


def receipt_lot_command(
    key: str | None = None, plan: SamplePlan | None = None, **overrides: Any
) -> CreateReceiptInspectionLot:
    fields: dict[str, Any] = {
        "material_document": "5000000001/2025",
        "purchase_order": PURCHASE_ORDER,
        "supplier": SUPPLIER,
        "item_id": "PK-300",
        "lot_id": "B3000001",
        "quantity": Decimal(10000),
        "unit": "EA",
        "plan": plan or sample_plan(),
        **overrides,
    }
    return CreateReceiptInspectionLot(**_ids(key), **fields)


def cancel(lot: str, key: str | None = None, reason: str = "PO cancelled") -> CancelInspectionLot:
    return CancelInspectionLot(**_ids(key), inspection_lot_id=lot, reason=reason)


def open_nc(
    lot: str, key: str | None = None, supplier: str = "", raised_by: str = "qa.ortiz"
) -> OpenNonconformance:
    return OpenNonconformance(
        **_ids(key),
        inspection_lot_id=lot,
        description="WALL below 0.27 mm on 7 of 200 samples (Re 6)",
        raised_by=raised_by,
        supplier=supplier,
    )


PDF_BYTES = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
HTML = "<html><body><h1>Certificate of analysis</h1><p>FG-1000 B1000001</p></body></html>\n"


def pdf_base64() -> str:
    return base64.b64encode(PDF_BYTES).decode("ascii")


def certificate(
    key: str | None = None,
    number: str = "COA-B1000001",
    content: str = HTML,
    media_type: str = "text/html",
    **overrides: Any,
) -> StoreCertificate:
    fields: dict[str, Any] = {"item_id": "FG-1000", "lot_id": "B1000001", **overrides}
    return StoreCertificate(
        **_ids(key), certificate_id=number, media_type=media_type, content=content, **fields
    )
