"""QMS activities: inspection lots, results, nonconformances, decisions."""

from temporalio import activity

from activities.errors import classified
from adapters.ports import QmsPort
from canonical.commands import (
    CancelInspectionLot,
    CreateInspectionLot,
    CreateReceiptInspectionLot,
    InspectionLotInfo,
    InspectionLotQuery,
    NonconformanceQuery,
    OpenNonconformance,
    Receipt,
    RecordDisposition,
    RecordMeasurement,
    UsageDecision,
)
from canonical.quality import InspectionResult, Nonconformance
from canonical.signatures import LogSignature


class QmsActivities:
    def __init__(self, qms: QmsPort):
        self.qms = qms

    @activity.defn(name="qms.create_inspection_lot")
    async def create_inspection_lot(self, command: CreateInspectionLot) -> InspectionLotInfo:
        return await classified(self.qms.create_inspection_lot(command))

    @activity.defn(name="qms.record_measurement")
    async def record_measurement(self, command: RecordMeasurement) -> InspectionResult:
        return await classified(self.qms.record_measurement(command))

    @activity.defn(name="qms.get_inspection_results")
    async def get_inspection_results(self, query: InspectionLotQuery) -> list[InspectionResult]:
        return await classified(self.qms.get_inspection_results(query))

    @activity.defn(name="qms.get_nonconformance")
    async def get_nonconformance(self, query: NonconformanceQuery) -> Nonconformance:
        return await classified(
            self.qms.get_nonconformance(query.plant, query.nonconformance_id, query.correlation_id)
        )

    @activity.defn(name="qms.record_disposition")
    async def record_disposition(self, command: RecordDisposition) -> Receipt:
        return await classified(self.qms.record_disposition(command))

    @activity.defn(name="qms.record_usage_decision")
    async def record_usage_decision(self, command: UsageDecision) -> Receipt:
        return await classified(self.qms.record_usage_decision(command))

    @activity.defn(name="qms.create_receipt_inspection_lot")
    async def create_receipt_inspection_lot(
        self, command: CreateReceiptInspectionLot
    ) -> InspectionLotInfo:
        return await classified(self.qms.create_receipt_inspection_lot(command))

    @activity.defn(name="qms.cancel_inspection_lot")
    async def cancel_inspection_lot(self, command: CancelInspectionLot) -> Receipt:
        return await classified(self.qms.cancel_inspection_lot(command))

    @activity.defn(name="qms.open_nonconformance")
    async def open_nonconformance(self, command: OpenNonconformance) -> Nonconformance:
        return await classified(self.qms.open_nonconformance(command))

    @activity.defn(name="qms.log_signature")
    async def log_signature(self, command: LogSignature) -> Receipt:
        """Append an electronic signature to the QMS's signature log (idempotent by key)."""
        return await classified(self.qms.log_signature(command))
