"""Commands the sagas send to systems through the adapter ports, and the receipts they get.

Every command carries the idempotency key (stable across retries: workflow id + business
step) and the correlation id, which the adapters send as headers on every request.
"""

from decimal import Decimal

from pydantic import Field

from canonical.enums import Disposition, StockStatus
from canonical.events import LabResult
from canonical.messages import CanonicalModel
from canonical.quality import ElectronicSignature, InspectionCharacteristic


class Command(CanonicalModel):
    idempotency_key: str = Field(min_length=1)
    correlation_id: str = Field(min_length=1)
    plant: str


class Receipt(CanonicalModel):
    """What a system answered to a write: its document number, and whether it was a replay."""

    system: str
    document: str
    replayed: bool = False


# --- ERP -------------------------------------------------------------------------------------


class GoodsIssue(Command):
    """Component consumption against a production order (SAP movement type 261)."""

    order_id: str
    item_id: str
    lot_id: str
    quantity: Decimal = Field(gt=0)
    unit: str


class GoodsReceipt(Command):
    """Finished goods receipt for a production order (SAP movement type 101)."""

    order_id: str
    item_id: str
    lot_id: str
    quantity: Decimal = Field(gt=0)
    unit: str
    to_quality_inspection: bool = Field(
        default=False, description="Receive into quality-inspection stock, pending release"
    )


class ReverseDocument(Command):
    """Reverse an earlier material document (262 for a 261, 102 for a 101)."""

    document: str


class ConfirmOperation(Command):
    order_id: str
    operation_id: str
    yield_quantity: Decimal = Field(ge=0)
    scrap_quantity: Decimal = Field(default=Decimal(0), ge=0)
    unit: str
    final: bool = False


class CancelConfirmation(Command):
    document: str


class SetLotRestriction(Command):
    """Block (or unblock) a batch: its stock moves to blocked and new receipts land there."""

    item_id: str
    lot_id: str
    blocked: bool
    reason: str = ""


class SetDeliveryBlock(Command):
    """Put (or lift) the shipping block on every outbound delivery of a lot."""

    lot_id: str
    blocked: bool
    reason_code: str = "QH"


class CompleteOrder(Command):
    """Technically complete the order (TECO)."""

    order_id: str


class WithdrawOrder(Command):
    """A compensated order: technically complete (TECO) and flagged for deletion (DLFL), once
    every posting against it is reversed, so that ERP shows it will not be produced."""

    order_id: str


class StockQuery(CanonicalModel):
    plant: str
    item_id: str
    lot_id: str


class LotStock(CanonicalModel):
    item_id: str
    lot_id: str
    quantities: dict[StockStatus, Decimal]
    unit: str
    restricted: bool


# --- MES -------------------------------------------------------------------------------------


class JobOperation(CanonicalModel):
    operation_id: str = Field(description="Canonical (ERP) operation number")
    segment_id: str = Field(description="The plant's MES segment id")
    description: str = ""


class DispatchJob(Command):
    order_id: str
    item_id: str
    revision: str = ""
    quantity: Decimal = Field(gt=0)
    unit: str
    lot_id: str
    operations: list[JobOperation]


class JobCommand(Command):
    """Recall a dispatch, abort a job, hold or release its lot."""

    order_id: str
    reason: str = ""


class ReworkJob(Command):
    order_id: str
    reason: str
    nonconformance_id: str


# --- QMS -------------------------------------------------------------------------------------


class CreateInspectionLot(Command):
    order_id: str
    item_id: str
    lot_id: str
    quantity: Decimal = Field(gt=0)
    unit: str
    origin: str = Field(default="production", description="production | goods_receipt")


class InspectionLotInfo(CanonicalModel):
    inspection_lot_id: str
    characteristics: list[InspectionCharacteristic]


class RecordMeasurement(Command):
    inspection_lot_id: str
    characteristic_id: str
    sample_id: str
    measured_value: Decimal
    unit: str = ""
    recorded_by: str = "mes"


class RecordDisposition(Command):
    nonconformance_id: str
    decision: Disposition
    signature: ElectronicSignature


class UsageDecision(Command):
    inspection_lot_id: str
    accepted: bool
    decided_by: str
    quantity_free: Decimal = Decimal(0)
    quantity_blocked: Decimal = Decimal(0)


class OrderQuery(CanonicalModel):
    """Read one order (or job) in a system, traced by the saga's correlation id."""

    plant: str
    order_id: str
    correlation_id: str = ""


class InspectionLotQuery(CanonicalModel):
    """Read one inspection lot's recorded results in QMS."""

    plant: str
    inspection_lot_id: str
    correlation_id: str = ""


class NonconformanceQuery(CanonicalModel):
    plant: str
    nonconformance_id: str
    correlation_id: str = ""


# --- supplier receipts -----------------------------------------------------------------------


class TransferFromInspection(Command):
    """Move quality-inspection stock of a lot: to unrestricted (SAP 321) or blocked (350)."""

    item_id: str
    lot_id: str
    quantity: Decimal = Field(gt=0)
    unit: str
    to_status: StockStatus = Field(description="unrestricted or blocked")


class ReturnToVendor(Command):
    """Return blocked stock of a received lot to its supplier (SAP 122 against the PO)."""

    purchase_order: str
    purchase_order_item: str = "00010"
    item_id: str
    lot_id: str
    quantity: Decimal = Field(gt=0)
    unit: str
    reason: str = ""


class SamplePlan(CanonicalModel):
    """How much of a received lot to inspect, and the decision numbers (ANSI/ASQ Z1.4 style)."""

    severity: str = Field(description="normal | tightened | reduced | skip")
    code_letter: str = ""
    sample_size: int = Field(ge=0)
    accept_number: int = Field(ge=0)
    reject_number: int = Field(ge=1)
    aql: Decimal
    skipped: bool = False
    reason: str = ""


class CreateReceiptInspectionLot(Command):
    material_document: str
    purchase_order: str
    supplier: str
    item_id: str
    lot_id: str
    quantity: Decimal = Field(gt=0)
    unit: str
    plan: SamplePlan


class CancelInspectionLot(Command):
    inspection_lot_id: str
    reason: str


class OpenNonconformance(Command):
    """Open a (supplier) nonconformance against an inspection lot."""

    inspection_lot_id: str
    description: str
    raised_by: str
    supplier: str = ""


class CorrectiveActionRequest(Command):
    """A supplier corrective action request (SCAR) in the supplier portal."""

    supplier: str
    purchase_order: str
    item_id: str
    lot_id: str
    nonconformance_id: str
    description: str


class LotOutcome(Command):
    """One received lot's outcome, for the supplier's scorecard."""

    supplier: str
    item_id: str
    lot_id: str
    accepted: bool
    quantity: Decimal
    rejected_quantity: Decimal = Decimal(0)
    unit: str
    skipped: bool = False


class SupplierScorecard(CanonicalModel):
    supplier: str
    lots_received: int
    lots_accepted: int
    lots_rejected: int
    open_corrective_actions: int
    rating: Decimal = Field(description="0-100")


class PurchaseOrderQuery(CanonicalModel):
    plant: str
    purchase_order: str
    correlation_id: str = ""


class ReceivedLot(CanonicalModel):
    """A lot received against a purchase order, as ERP's goods receipts record it."""

    item_id: str
    lot_id: str
    material_document: str


# --- finished goods release ------------------------------------------------------------------


class LotQuery(CanonicalModel):
    plant: str
    item_id: str
    lot_id: str
    correlation_id: str = ""


class RequestLabTesting(Command):
    """Ask the laboratory to test a finished lot against the product's specification."""

    item_id: str
    lot_id: str
    order_id: str | None = None
    quantity: Decimal
    unit: str


class LabStatus(CanonicalModel):
    """What the LIMS holds for a lot now (for reconciling a missed event)."""

    sample_id: str
    status: str = Field(description="registered | in_testing | authorized | cancelled")
    passed: bool | None = None
    results: list[LabResult] = Field(default_factory=list)
    authorized_by: str = ""
    analysts: list[str] = Field(default_factory=list)


class PackagingStatus(CanonicalModel):
    lot_id: str
    verified: bool
    passed: bool | None = None
    verified_by: str = ""
    checks: dict[str, bool] = Field(default_factory=dict)


class StoreCertificate(Command):
    """A certificate of analysis to keep with the lot's quality records."""

    item_id: str
    lot_id: str
    certificate_id: str
    media_type: str = "text/html"
    content: str
    states_conformance: bool = Field(
        default=False, description="The document says the lot conforms to its specification"
    )


class Certificate(CanonicalModel):
    certificate_id: str
    item_id: str
    lot_id: str
    media_type: str
    content: str
