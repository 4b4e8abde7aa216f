"""One ``QmsPort`` over plants with different quality systems: each call goes to the adapter
of the calling plant's QMS (``plants.<id>.qms`` names a ``[systems.*]`` entry, whose ``kind``
picks the adapter). A plant on S/4 QM beside plants on the reference QMS is configuration
only."""

from adapters.errors import BusinessRefusal
from adapters.ports import QmsPort
from canonical.commands import (
    CancelInspectionLot,
    Certificate,
    CreateInspectionLot,
    CreateReceiptInspectionLot,
    InspectionLotInfo,
    InspectionLotQuery,
    LotQuery,
    OpenNonconformance,
    Receipt,
    RecordDisposition,
    RecordMeasurement,
    StoreCertificate,
    UsageDecision,
)
from canonical.plant_config import ConfigError, Settings
from canonical.quality import InspectionResult, Nonconformance
from canonical.signatures import LogSignature, SignatureEntry


class QmsByPlant:
    def __init__(self, settings: Settings, by_system: dict[str, QmsPort]):
        self.settings = settings
        self.by_system = by_system  # [systems.*] name -> the adapter of its kind

    def _for(self, plant: str) -> QmsPort:
        try:
            system = self.settings.plant(plant).qms
        except ConfigError as exc:
            raise BusinessRefusal("qms", "MappingError", str(exc)) from None
        return self.by_system[system]

    async def create_inspection_lot(self, command: CreateInspectionLot) -> InspectionLotInfo:
        return await self._for(command.plant).create_inspection_lot(command)

    async def record_measurement(self, command: RecordMeasurement) -> InspectionResult:
        return await self._for(command.plant).record_measurement(command)

    async def get_inspection_results(self, query: InspectionLotQuery) -> list[InspectionResult]:
        return await self._for(query.plant).get_inspection_results(query)

    async def get_nonconformance(
        self, plant: str, nonconformance_id: str, correlation_id: str = ""
    ) -> Nonconformance:
        return await self._for(plant).get_nonconformance(plant, nonconformance_id, correlation_id)

    async def record_disposition(self, command: RecordDisposition) -> Receipt:
        return await self._for(command.plant).record_disposition(command)

    async def record_usage_decision(self, command: UsageDecision) -> Receipt:
        return await self._for(command.plant).record_usage_decision(command)

    async def create_receipt_inspection_lot(
        self, command: CreateReceiptInspectionLot
    ) -> InspectionLotInfo:
        return await self._for(command.plant).create_receipt_inspection_lot(command)

    async def cancel_inspection_lot(self, command: CancelInspectionLot) -> Receipt:
        return await self._for(command.plant).cancel_inspection_lot(command)

    async def open_nonconformance(self, command: OpenNonconformance) -> Nonconformance:
        return await self._for(command.plant).open_nonconformance(command)

    async def store_certificate(self, command: StoreCertificate) -> Receipt:
        return await self._for(command.plant).store_certificate(command)

    async def get_certificate(self, query: LotQuery) -> Certificate | None:
        return await self._for(query.plant).get_certificate(query)

    async def log_signature(self, command: LogSignature) -> Receipt:
        return await self._for(command.plant).log_signature(command)

    async def find_signatures(self, query: LotQuery) -> list[SignatureEntry]:
        return await self._for(query.plant).find_signatures(query)
