"""``QmsPort`` for a plant whose quality system is S/4HANA's QM, over API_INSPECTIONLOT_SRV
(the same gateway, CSRF session and repeatable requests as the SAP ERP adapter).

Translation: plant -> ``Plant`` (``plant.erp_plant``) and base URL (the plant's QMS system,
usually the S/4 gateway); origin production/finished_goods/goods_receipt -> 03/04/01; lot
quantities through the QMS system's unit table, or the ERP's where it has none (they are SAP
units); a measurement goes to the lot's characteristic whose master inspection characteristic
(``InspectionSpecification``) is the canonical characteristic id, as its summarized result
(``A_InspectionResult``), which S/4 valuates (``InspectionValuationResult`` A or R); a usage
decision is code A (accepted) or R (rejected).

Exactly once: every write carries a RequestID from the step's key. Where the gateway has no
repeatable requests, the writes are found before they are repeated: a lot by its order (or
material document) and batch, a result by its characteristic, a decision by its lot.

Not in S/4 QM's inspection lot API, refused as ``NotSupported`` (the saga parks the step for
an operator): quality notifications and their dispositions (API_QUALITYNOTIFICATION_SRV),
certificates and the signature log. A lot is cancelled (LTCA) in S/4 with its order's
deletion flag: ``cancel_inspection_lot`` answers done once S/4 shows the lot cancelled.
"""

from decimal import Decimal
from typing import Any, NoReturn

import httpx

from adapters.erp_sap.odata import ODataSession, edm_decimal, eq_filter, is_set, key
from adapters.erp_sap.repeatability import CreationTimes
from adapters.errors import BusinessRefusal
from adapters.http import CORRELATION_HEADER, was_replayed
from adapters.qms_sap.codes import ORIGIN, SYSTEM, refusal_code
from canonical.commands import (
    CancelInspectionLot,
    Certificate,
    Command,
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
from canonical.plant_config import (
    ConfigError,
    PlantConfig,
    Settings,
    UnitConversion,
    from_canonical,
)
from canonical.quality import InspectionCharacteristic, InspectionResult, Nonconformance
from canonical.signatures import LogSignature, SignatureEntry

SERVICE = "API_INSPECTIONLOT_SRV"


class SapQmAdapter:
    def __init__(self, settings: Settings, client: httpx.AsyncClient):
        self.settings = settings
        self.client = client
        self.creation_times = CreationTimes()
        self._sessions: dict[str, ODataSession] = {}

    # --- translation and plumbing -------------------------------------------------------

    def _plant(self, plant_id: str) -> tuple[ODataSession, PlantConfig, list[UnitConversion]]:
        try:
            plant = self.settings.plant(plant_id)
        except ConfigError as exc:
            raise BusinessRefusal(SYSTEM, "MappingError", str(exc)) from None
        system = self.settings.systems[plant.qms]
        base = str(system.base_url).rstrip("/")
        if base not in self._sessions:
            self._sessions[base] = ODataSession(self.client, base, refusal_code, SYSTEM)
        return self._sessions[base], plant, system.units or self.settings.erp.units

    async def _post(
        self, session: ODataSession, command: Command, path: str, body: dict[str, Any]
    ) -> httpx.Response:
        headers = {
            **self.creation_times.headers(command.idempotency_key),
            CORRELATION_HEADER: command.correlation_id,
        }
        return await session.write("POST", SERVICE, path, headers, json=body)

    @staticmethod
    def _not_supported(what: str) -> NoReturn:
        raise BusinessRefusal(
            SYSTEM, "NotSupported", f"{what} is not part of S/4 QM's inspection lot API"
        )

    async def _find(
        self, session: ODataSession, entity_set: str, correlation_id: str, **where: str
    ) -> list[dict[str, Any]]:
        params = {"$filter": eq_filter(**where)}
        return await session.results(SERVICE, entity_set, params, correlation_id)

    # --- inspection lots ----------------------------------------------------------------

    async def _create_lot(
        self, command: Command, plant_id: str, body: dict[str, Any], **found_by: str
    ) -> InspectionLotInfo:
        session, plant, _units = self._plant(plant_id)
        body |= {"Plant": plant.erp_plant}
        cid = command.correlation_id
        earlier = await self._find(session, "A_InspectionLot", cid, **found_by)
        if earlier:  # posted before (a retry where the gateway has no repeatable requests)
            lot = earlier[0]
        else:
            lot = (await self._post(session, command, "A_InspectionLot", body)).json()["d"]
        return await self._lot_info(session, lot["InspectionLot"], cid)

    async def _lot_info(self, session: ODataSession, lot: str, cid: str) -> InspectionLotInfo:
        rows = await self._find(session, "A_InspectionCharacteristic", cid, InspectionLot=lot)
        return InspectionLotInfo(
            inspection_lot_id=lot,
            characteristics=[
                InspectionCharacteristic(
                    characteristic_id=row["InspectionSpecification"],
                    description=row["InspectionSpecificationText"],
                    nominal=Decimal(str(float(row["InspSpecTargetValue"]))),
                    lower_limit=Decimal(str(float(row["InspSpecLowerLimit"]))),
                    upper_limit=Decimal(str(float(row["InspSpecUpperLimit"]))),
                    unit=row["InspectionSpecificationUnit"],
                )
                for row in rows
            ],
        )

    def _quantity(
        self, quantity: Decimal, unit: str, units: list[UnitConversion]
    ) -> tuple[str, str]:
        try:
            sap_quantity, sap_unit = from_canonical(quantity, unit, units)
        except ConfigError as exc:
            raise BusinessRefusal(SYSTEM, "MappingError", str(exc)) from None
        return edm_decimal(sap_quantity), sap_unit

    async def create_inspection_lot(self, command: CreateInspectionLot) -> InspectionLotInfo:
        origin = ORIGIN.get(command.origin)
        if origin is None:
            raise BusinessRefusal(SYSTEM, "MappingError", f"origin {command.origin!r} unknown")
        _session, _plant, units = self._plant(command.plant)
        quantity, unit = self._quantity(command.quantity, command.unit, units)
        body = {
            "Material": command.item_id,
            "Batch": command.lot_id,
            "InspectionLotOrigin": origin,
            "InspectionLotQuantity": quantity,
            "InspectionLotQuantityUnit": unit,
            "ManufacturingOrder": command.order_id,
        }
        return await self._create_lot(
            command,
            command.plant,
            body,
            ManufacturingOrder=command.order_id,
            Batch=command.lot_id,
            InspectionLotOrigin=origin,
        )

    async def create_receipt_inspection_lot(
        self, command: CreateReceiptInspectionLot
    ) -> InspectionLotInfo:
        """Origin 01 with the purchase order, supplier and material document (``doc/year``);
        S/4 keeps the sample plan in its own sampling procedure, so the saga's is not sent."""
        _session, _plant, units = self._plant(command.plant)
        quantity, unit = self._quantity(command.quantity, command.unit, units)
        document, _, year = command.material_document.partition("/")
        body = {
            "Material": command.item_id,
            "Batch": command.lot_id,
            "InspectionLotOrigin": ORIGIN["goods_receipt"],
            "InspectionLotQuantity": quantity,
            "InspectionLotQuantityUnit": unit,
            "PurchasingDocument": command.purchase_order,
            "Supplier": command.supplier,
            "MaterialDocument": document,
            "MaterialDocumentYear": year,
        }
        return await self._create_lot(
            command, command.plant, body, MaterialDocument=document, Batch=command.lot_id
        )

    async def cancel_inspection_lot(self, command: CancelInspectionLot) -> Receipt:
        session, _plant, _units = self._plant(command.plant)
        lot = command.inspection_lot_id
        status = await session.get(
            SERVICE, f"A_InspectionLotWithStatus{key(lot)}", correlation_id=command.correlation_id
        )
        if is_set(status["InspLotStatusCanceled"]):
            return Receipt(system=SYSTEM, document=lot)
        if is_set(status["InspLotStatusInspCompleted"]):
            raise BusinessRefusal(SYSTEM, "LotDecided", f"inspection lot {lot} has a decision")
        self._not_supported("cancelling an inspection lot (S/4 does it with the order)")

    # --- results and decisions ----------------------------------------------------------

    async def record_measurement(self, command: RecordMeasurement) -> InspectionResult:
        """S/4 valuates the value against the characteristic's limits; ``passed`` is its
        verdict. A repeat for a characteristic that has its result answers that result."""
        session, _plant, _units = self._plant(command.plant)
        lot, cid = command.inspection_lot_id, command.correlation_id
        found = await self._find(
            session,
            "A_InspectionCharacteristic",
            cid,
            InspectionLot=lot,
            InspectionSpecification=command.characteristic_id,
        )
        if not found:
            raise BusinessRefusal(
                SYSTEM, "UnknownCharacteristic", f"lot {lot} has no {command.characteristic_id}"
            )
        where = {
            "InspectionLot": lot,
            "InspPlanOperationInternalID": found[0]["InspPlanOperationInternalID"],
            "InspectionCharacteristic": found[0]["InspectionCharacteristic"],
        }
        earlier = await self._find(session, "A_InspectionResult", cid, **where)
        if earlier and earlier[0]["InspectionResultText"] == command.sample_id:
            return self._result(earlier[0], command)
        body = where | {
            "InspectionResultMeanValue": f"{float(command.measured_value):E}",
            "InspectionResultOriginalValue": f"{command.measured_value} {command.unit}".strip()[
                :25
            ],
            "InspectionResultText": command.sample_id[:40],
            "Inspector": command.recorded_by[:12].upper(),
        }
        response = await self._post(session, command, "A_InspectionResult", body)
        return self._result(response.json()["d"], command)

    @staticmethod
    def _result(row: dict[str, Any], command: RecordMeasurement) -> InspectionResult:
        return InspectionResult(
            inspection_lot_id=row["InspectionLot"],
            characteristic_id=command.characteristic_id,
            sample_id=row["InspectionResultText"],
            measured_value=Decimal(str(float(row["InspectionResultMeanValue"]))),
            unit=command.unit,
            passed=row["InspectionValuationResult"] == "A",
        )

    async def get_inspection_results(self, query: InspectionLotQuery) -> list[InspectionResult]:
        session, _plant, _units = self._plant(query.plant)
        cid, lot = query.correlation_id, query.inspection_lot_id
        names = {
            row["InspectionCharacteristic"]: row["InspectionSpecification"]
            for row in await self._find(
                session, "A_InspectionCharacteristic", cid, InspectionLot=lot
            )
        }
        return [
            InspectionResult(
                inspection_lot_id=lot,
                characteristic_id=names.get(row["InspectionCharacteristic"], ""),
                sample_id=row["InspectionResultText"],
                measured_value=Decimal(str(float(row["InspectionResultMeanValue"]))),
                passed=row["InspectionValuationResult"] == "A",
            )
            for row in await self._find(session, "A_InspectionResult", cid, InspectionLot=lot)
        ]

    async def record_usage_decision(self, command: UsageDecision) -> Receipt:
        """Code A or R for the whole lot (S/4 posts a stock-relevant lot's quantities with its
        own stock posting); a repeat finds the decision already made."""
        session, _plant, _units = self._plant(command.plant)
        lot = command.inspection_lot_id
        code = "A" if command.accepted else "R"
        earlier = await self._find(
            session, "A_InspLotUsageDecision", command.correlation_id, InspectionLot=lot
        )
        if earlier:
            if earlier[0]["InspectionLotUsageDecisionCode"] != code:
                raise BusinessRefusal(SYSTEM, "LotDecided", f"lot {lot} was decided otherwise")
            return Receipt(system=SYSTEM, document=lot, replayed=True)
        body = {
            "InspectionLot": lot,
            "InspectionLotUsageDecisionCode": code,
            "InspectionLotUsageDecidedBy": command.decided_by[:12].upper(),
        }
        response = await self._post(session, command, "A_InspLotUsageDecision", body)
        return Receipt(system=SYSTEM, document=lot, replayed=was_replayed(response))

    # --- outside S/4 QM's inspection lot API ------------------------------------------------

    async def get_nonconformance(
        self, plant: str, nonconformance_id: str, correlation_id: str = ""
    ) -> Nonconformance:
        self._not_supported("a quality notification")

    async def open_nonconformance(self, command: OpenNonconformance) -> Nonconformance:
        self._not_supported("a quality notification")

    async def record_disposition(self, command: RecordDisposition) -> Receipt:
        self._not_supported("a notification's disposition")

    async def store_certificate(self, command: StoreCertificate) -> Receipt:
        self._not_supported("a certificate of analysis")

    async def get_certificate(self, query: LotQuery) -> Certificate | None:
        return None  # S/4 QM keeps none here: the lot has no certificate on file

    async def log_signature(self, command: LogSignature) -> Receipt:
        self._not_supported("the electronic signature log")

    async def find_signatures(self, query: LotQuery) -> list[SignatureEntry]:
        return []
