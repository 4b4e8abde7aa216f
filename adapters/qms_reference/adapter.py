"""``QmsPort`` for the reference QMS: canonical commands in, its PascalCase dialect out.

Translation: plant -> ``Site`` (``plant.qms_site``) and base URL (``settings.systems[plant.qms]``);
origin production/goods_receipt -> "03"/"01"; lot quantities through the QMS's unit table
(``settings.systems[plant.qms].units``; an empty table means the QMS keeps canonical units);
measurement units pass unchanged (they are the characteristic's, e.g. mPa.s); dispositions,
roles, signature meanings and severities through ``codes``.

Canonical refusal codes (``BusinessRefusal.code``): LotDecided (results or a second usage
decision on a decided lot), NotificationClosed, SegregationOfDuties (the reporter signs the
disposition), NotAuthorized (the signer's role may not sign it), NoInspectionPlan,
DuplicateResult (another value for the same lot, characteristic and sample),
UnknownCharacteristic, UnitMismatch, DispositionMissing, ValidationFailed (the QMS refused the
request's shape), NotFound (404), Refused (any other 4xx), MappingError (plant, unit or code
not mapped, raised before anything is sent), BadResponse (an answer the adapter cannot read).
"""

from decimal import Decimal
from urllib.parse import quote

import httpx

from adapters.http import CORRELATION_HEADER, send, was_replayed, write_headers
from adapters.qms_reference import dialect
from adapters.qms_reference.codes import (
    DISPOSITION,
    DISPOSITION_FROM_QMS,
    MEANING,
    ORIGIN,
    ROLE,
    SEVERITY_FROM_QMS,
    SYSTEM,
)
from adapters.qms_reference.wire import mapping_error, number, read, refusal_code
from canonical.commands import (
    CreateInspectionLot,
    InspectionLotInfo,
    Receipt,
    RecordDisposition,
    RecordMeasurement,
    UsageDecision,
)
from canonical.plant_config import (
    ConfigError,
    PlantConfig,
    Settings,
    UnitConversion,
    from_canonical,
    to_canonical,
)
from canonical.quality import InspectionCharacteristic, InspectionResult, Nonconformance


class ReferenceQmsAdapter:
    def __init__(self, settings: Settings, client: httpx.AsyncClient):
        self.settings = settings
        self.client = client

    def _plant(self, plant_id: str) -> tuple[str, PlantConfig, list[UnitConversion]]:
        try:
            plant = self.settings.plant(plant_id)
        except ConfigError as exc:
            raise mapping_error(str(exc)) from exc
        system = self.settings.systems[plant.qms]
        return str(system.base_url).rstrip("/"), plant, system.units

    @staticmethod
    def _reads(correlation_id: str) -> dict[str, str]:
        return {CORRELATION_HEADER: correlation_id} if correlation_id else {}

    async def create_inspection_lot(self, command: CreateInspectionLot) -> InspectionLotInfo:
        base, plant, units = self._plant(command.plant)
        origin = ORIGIN.get(command.origin)
        if origin is None:
            raise mapping_error(f"origin {command.origin!r} has no QMS code; known: {list(ORIGIN)}")
        try:
            quantity, unit = (
                from_canonical(command.quantity, command.unit, units)
                if units
                else (command.quantity, command.unit)
            )
        except ConfigError as exc:
            raise mapping_error(str(exc)) from exc
        body = {
            "Origin": origin,
            "Material": command.item_id,
            "Batch": command.lot_id,
            "Site": plant.qms_site,
            "Quantity": number(quantity),
            "Unit": unit,
            "SourceOrder": command.order_id,
        }
        response = await send(
            self.client,
            SYSTEM,
            "POST",
            f"{base}/api/v1/inspection-lots",
            refusal_code=refusal_code,
            json=body,
            headers=write_headers(command.idempotency_key, command.correlation_id),
        )
        lot = read(dialect.InspectionLot, response)
        return InspectionLotInfo(
            inspection_lot_id=lot.LotNumber,
            characteristics=[
                InspectionCharacteristic(
                    characteristic_id=c.MIC,
                    description=c.Description,
                    nominal=c.Target,
                    lower_limit=c.LowerLimit,
                    upper_limit=c.UpperLimit,
                    unit=c.Unit,
                )
                for c in lot.Characteristics
            ],
        )

    async def record_measurement(self, command: RecordMeasurement) -> InspectionResult:
        """The QMS valuates the value itself; ``passed`` is its verdict, not ours."""
        base, _plant, _units = self._plant(command.plant)
        lot = quote(command.inspection_lot_id, safe="")
        response = await send(
            self.client,
            SYSTEM,
            "POST",
            f"{base}/api/v1/inspection-lots/{lot}/results",
            refusal_code=refusal_code,
            json={
                "MIC": command.characteristic_id,
                "SampleID": command.sample_id,
                "MeasuredValue": format(command.measured_value, "f"),
                "Unit": command.unit,
                "RecordedBy": command.recorded_by,
            },
            headers=write_headers(command.idempotency_key, command.correlation_id),
        )
        result = read(dialect.Result, response)
        return InspectionResult(
            inspection_lot_id=result.InspectionLot,
            characteristic_id=result.MIC,
            sample_id=result.SampleID,
            measured_value=result.MeasuredValue,
            unit=result.Unit,
            passed=result.Valuation == "A",
            nonconformance_id=result.NotificationNumber,
        )

    async def get_nonconformance(
        self, plant: str, nonconformance_id: str, correlation_id: str = ""
    ) -> Nonconformance:
        base, _plant, _units = self._plant(plant)
        response = await send(
            self.client,
            SYSTEM,
            "GET",
            f"{base}/api/v1/notifications/{quote(nonconformance_id, safe='')}",
            refusal_code=refusal_code,
            headers=self._reads(correlation_id),
        )
        notification = read(dialect.Notification, response)
        severity = SEVERITY_FROM_QMS.get(notification.Severity)
        if severity is None:
            raise mapping_error(f"QMS severity {notification.Severity!r} is not mapped")
        disposition = None
        if notification.Disposition is not None:
            disposition = DISPOSITION_FROM_QMS.get(notification.Disposition.Code)
            if disposition is None:
                raise mapping_error(
                    f"QMS disposition {notification.Disposition.Code!r} is not mapped"
                )
        return Nonconformance(
            nonconformance_id=notification.NotificationNumber,
            severity=severity,
            description=notification.DefectText,
            affected_lots=notification.AffectedBatches,
            raised_by=notification.ReportedBy,
            disposition=disposition,
        )

    async def record_disposition(self, command: RecordDisposition) -> Receipt:
        base, _plant, _units = self._plant(command.plant)
        signature = command.signature
        response = await send(
            self.client,
            SYSTEM,
            "POST",
            f"{base}/api/v1/notifications/{quote(command.nonconformance_id, safe='')}/disposition",
            refusal_code=refusal_code,
            json={
                "Code": DISPOSITION[command.decision],
                "SignedBy": signature.signer,
                "SignerRole": ROLE[signature.role],
                "SignedAt": signature.signed_at.isoformat(),
                "Meaning": MEANING[signature.meaning],
                "Reason": signature.reason,
            },
            headers=write_headers(command.idempotency_key, command.correlation_id),
        )
        notification = read(dialect.Notification, response)
        return Receipt(
            system=SYSTEM,
            document=notification.NotificationNumber,
            replayed=was_replayed(response),
        )

    async def record_usage_decision(self, command: UsageDecision) -> Receipt:
        """Quantities are in the lot's unit; both zero means the whole lot one way."""
        base, _plant, units = self._plant(command.plant)
        lot = quote(command.inspection_lot_id, safe="")
        body: dict[str, object] = {
            "Code": "A" if command.accepted else "R",
            "DecidedBy": command.decided_by,
        }
        if command.quantity_free or command.quantity_blocked:
            factor = await self._lot_unit_factor(base, lot, units, command.correlation_id)
            body["QtyToFree"] = number(command.quantity_free / factor)
            body["QtyToBlocked"] = number(command.quantity_blocked / factor)
        response = await send(
            self.client,
            SYSTEM,
            "POST",
            f"{base}/api/v1/inspection-lots/{lot}/usage-decision",
            refusal_code=refusal_code,
            json=body,
            headers=write_headers(command.idempotency_key, command.correlation_id),
        )
        return Receipt(
            system=SYSTEM, document=command.inspection_lot_id, replayed=was_replayed(response)
        )

    async def _lot_unit_factor(
        self, base: str, lot: str, units: list[UnitConversion], correlation_id: str
    ) -> Decimal:
        """How many canonical units one unit of the lot is (1 when the QMS keeps canonical)."""
        if not units:
            return Decimal(1)
        response = await send(
            self.client,
            SYSTEM,
            "GET",
            f"{base}/api/v1/inspection-lots/{lot}",
            refusal_code=refusal_code,
            headers=self._reads(correlation_id),
        )
        try:
            factor, _unit = to_canonical(
                Decimal(1), read(dialect.InspectionLot, response).Unit, units
            )
        except ConfigError as exc:
            raise mapping_error(str(exc)) from exc
        return factor
