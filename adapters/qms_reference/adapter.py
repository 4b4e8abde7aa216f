"""``QmsPort`` for the reference QMS: canonical commands in, its PascalCase dialect out.

Translation: plant -> ``Site`` (``plant.qms_site``) and base URL (``settings.systems[plant.qms]``);
origin production/finished_goods/goods_receipt -> "03"/"04"/"01" (a finished_goods lot is a
finished batch's final inspection: goods receipt from production); lot quantities through the
QMS's unit table (``settings.systems[plant.qms].units``; an empty table: canonical units);
measurement units pass unchanged (they are the characteristic's, e.g. mPa.s); dispositions,
roles, signature meanings and severities through ``codes``.

Goods-receipt lots (``create_receipt_inspection_lot``) carry the purchase order, supplier,
material document and the saga's sample plan (severity normal/tightened/reduced/skip/
discontinued -> InspectionSeverity NORMAL/TIGHTENED/REDUCED/SKIP/DISCONTINUED; ``skipped``
-> SkipLot with the plan's reason as SkipReason). On such lots a rejected result opens no
notification: ``open_nonconformance`` does (a Q2 against the supplier, which defaults to the
lot's). The QMS types notifications as S/4 QM does: a rejected result opens a defect
report (F3 internal, F2 against a vendor), one raised by hand is a complaint (Q3, Q2); the
type becomes the nonconformance's ``source`` (inspection or complaint). Texts longer than
the QMS keeps (400 characters) are cut, marked with "…".

Canonical refusal codes (``BusinessRefusal.code``): LotDecided (results, a second usage
decision or a cancellation on a decided lot), LotCancelled (results or a decision on a
cancelled lot), LotSkipped (results on a skip lot), QuantityExceeded (a receipt lot's usage
decision frees and blocks more than the lot), SupplierMissing (a vendor notification with no
supplier given or on the lot), NotificationClosed, SegregationOfDuties (the reporter signs the
disposition), NotAuthorized (the signer's role may not sign it), NoInspectionPlan,
DuplicateResult (another value for the same lot, characteristic and sample),
UnknownCharacteristic, UnitMismatch, DispositionMissing, ValidationFailed (the QMS refused the
request's shape), NotFound (404), Refused (any other 4xx), MappingError (plant, unit or code
not mapped, raised before anything is sent), BadResponse (an answer the adapter cannot read).
Certificates of analysis (``store_certificate``, ``get_certificate``: see ``certificates``)
add CertificateExists (the lot keeps another certificate), CertificateNumberInUse (the number
names another lot), CertificateContradictsRecords (it states conformance of a lot the QMS
holds a use-as-is or undecided nonconformance for), InvalidContent (not base64, not a PDF,
blank) and ContentTooLarge.
"""

from decimal import Decimal
from typing import Any

from adapters.http import was_replayed
from adapters.qms_reference import dialect
from adapters.qms_reference.base import path
from adapters.qms_reference.certificates import CertificateCalls
from adapters.qms_reference.codes import DISPOSITION, MEANING, ORIGIN, ROLE, SYSTEM
from adapters.qms_reference.signatures import SignatureCalls
from adapters.qms_reference.translate import (
    defect_text,
    fit,
    lot_info,
    lot_quantity,
    nonconformance,
    sample_plan,
)
from adapters.qms_reference.wire import mapping_error, number, read
from canonical.commands import (
    CancelInspectionLot,
    CreateInspectionLot,
    CreateReceiptInspectionLot,
    InspectionLotInfo,
    InspectionLotQuery,
    OpenNonconformance,
    Receipt,
    RecordDisposition,
    RecordMeasurement,
    UsageDecision,
)
from canonical.plant_config import ConfigError, UnitConversion, to_canonical
from canonical.quality import InspectionResult, Nonconformance


class ReferenceQmsAdapter(CertificateCalls, SignatureCalls):
    """Certificates of analysis: ``CertificateCalls``; the signature log: ``SignatureCalls``;
    the plumbing: ``QmsAdapterBase``."""

    async def create_inspection_lot(self, command: CreateInspectionLot) -> InspectionLotInfo:
        base, plant, units = self._plant(command.plant)
        origin = ORIGIN.get(command.origin)
        if origin is None:
            raise mapping_error(f"origin {command.origin!r} has no QMS code; known: {list(ORIGIN)}")
        quantity, unit = lot_quantity(command.quantity, command.unit, units)
        body = {
            "Origin": origin,
            "Material": command.item_id,
            "Batch": command.lot_id,
            "Site": plant.qms_site,
            "Quantity": number(quantity),
            "Unit": unit,
            "SourceOrder": command.order_id,
        }
        response = await self._write(f"{base}/api/v1/inspection-lots", body, command)
        return lot_info(read(dialect.InspectionLot, response))

    async def create_receipt_inspection_lot(
        self, command: CreateReceiptInspectionLot
    ) -> InspectionLotInfo:
        """A goods-receipt lot (Origin "01") recording the saga's sample plan as computed."""
        base, plant, units = self._plant(command.plant)
        quantity, unit = lot_quantity(command.quantity, command.unit, units)
        body = {
            "Origin": ORIGIN["goods_receipt"],
            "Material": command.item_id,
            "Batch": command.lot_id,
            "Site": plant.qms_site,
            "Quantity": number(quantity),
            "Unit": unit,
            "PurchaseOrder": command.purchase_order,
            "Supplier": command.supplier,
            "MaterialDocument": command.material_document,
            "SamplePlan": sample_plan(command.plan),
        }
        response = await self._write(f"{base}/api/v1/inspection-lots", body, command)
        return lot_info(read(dialect.InspectionLot, response))

    async def cancel_inspection_lot(self, command: CancelInspectionLot) -> Receipt:
        """LTCA; a lot already cancelled answers as done, a decided one is LotDecided."""
        base, _plant, _units = self._plant(command.plant)
        lot = path(command.inspection_lot_id)
        response = await self._write(
            f"{base}/api/v1/inspection-lots/{lot}/cancel",
            {"Reason": fit(command.reason) or "cancelled"},
            command,
        )
        cancelled = read(dialect.InspectionLot, response)
        return Receipt(system=SYSTEM, document=cancelled.LotNumber, replayed=was_replayed(response))

    async def record_measurement(self, command: RecordMeasurement) -> InspectionResult:
        """The QMS valuates the value itself; ``passed`` is its verdict, not ours."""
        base, _plant, _units = self._plant(command.plant)
        body = {
            "MIC": command.characteristic_id,
            "SampleID": command.sample_id,
            "MeasuredValue": format(command.measured_value, "f"),
            "Unit": command.unit,
            "RecordedBy": command.recorded_by,
        }
        lot = path(command.inspection_lot_id)
        response = await self._write(f"{base}/api/v1/inspection-lots/{lot}/results", body, command)
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

    async def get_inspection_results(self, query: InspectionLotQuery) -> list[InspectionResult]:
        """The results QMS holds for the lot, with its own valuation: the system of record
        for a receipt decision (a webhook only says that something changed)."""
        base, _plant, _units = self._plant(query.plant)
        url = f"{base}/api/v1/inspection-lots/{path(query.inspection_lot_id)}/results"
        response = await self._read(url, query.correlation_id)
        results = [dialect.Result.model_validate(row) for row in response.json()]
        return [
            InspectionResult(
                inspection_lot_id=r.InspectionLot,
                characteristic_id=r.MIC,
                sample_id=r.SampleID,
                measured_value=r.MeasuredValue,
                unit=r.Unit,
                passed=r.Valuation == "A",
                nonconformance_id=r.NotificationNumber,
            )
            for r in results
        ]

    async def get_nonconformance(
        self, plant: str, nonconformance_id: str, correlation_id: str = ""
    ) -> Nonconformance:
        base, _plant, _units = self._plant(plant)
        url = f"{base}/api/v1/notifications/{path(nonconformance_id)}"
        return nonconformance(read(dialect.Notification, await self._read(url, correlation_id)))

    async def open_nonconformance(self, command: OpenNonconformance) -> Nonconformance:
        """A notification by hand: with a supplier a Q2 (vendor complaint); without one the
        lot's origin decides (a receipt lot's is a Q2 against the lot's supplier)."""
        base, _plant, _units = self._plant(command.plant)
        body: dict[str, Any] = {
            "InspectionLot": command.inspection_lot_id,
            "ReportedBy": command.raised_by,
            "DefectText": defect_text(command.description),
        }
        if command.supplier:
            body |= {"NotificationType": "Q2", "Supplier": command.supplier}
        response = await self._write(f"{base}/api/v1/notifications", body, command)
        return nonconformance(read(dialect.Notification, response))

    async def record_disposition(self, command: RecordDisposition) -> Receipt:
        base, _plant, _units = self._plant(command.plant)
        signature = command.signature
        body = {
            "Code": DISPOSITION[command.decision],
            "SignedBy": signature.signer,
            "SignerRole": ROLE[signature.role],
            "SignedAt": signature.signed_at.isoformat(),
            "Meaning": MEANING[signature.meaning],
            "Reason": signature.reason,
        }
        number_ = path(command.nonconformance_id)
        response = await self._write(
            f"{base}/api/v1/notifications/{number_}/disposition", body, command
        )
        notification = read(dialect.Notification, response)
        return Receipt(
            system=SYSTEM,
            document=notification.NotificationNumber,
            replayed=was_replayed(response),
        )

    async def record_usage_decision(self, command: UsageDecision) -> Receipt:
        """Quantities are canonical (the lot's canonical unit); both zero means the whole lot
        one way. On a receipt lot they may split it but not exceed it (QuantityExceeded)."""
        base, _plant, units = self._plant(command.plant)
        lot = path(command.inspection_lot_id)
        body: dict[str, Any] = {
            "Code": "A" if command.accepted else "R",
            "DecidedBy": command.decided_by,
        }
        if command.quantity_free or command.quantity_blocked:
            factor = await self._lot_unit_factor(base, lot, units, command.correlation_id)
            body["QtyToFree"] = number(command.quantity_free / factor)
            body["QtyToBlocked"] = number(command.quantity_blocked / factor)
        response = await self._write(
            f"{base}/api/v1/inspection-lots/{lot}/usage-decision", body, command
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
        response = await self._read(f"{base}/api/v1/inspection-lots/{lot}", correlation_id)
        try:
            factor, _unit = to_canonical(
                Decimal(1), read(dialect.InspectionLot, response).Unit, units
            )
        except ConfigError as exc:
            raise mapping_error(str(exc)) from exc
        return factor
