"""MesPort for the bundled reference MES (ISA-95 / B2MML-like JSON over HTTP).

Plant -> site (``plant.mes_site``), base URL from ``settings.systems[plant.mes]``, units
canonical -> MES with that system's unit table; the ERP order id is the job order ID.
Every write sends Idempotency-Key and X-Correlation-ID; the MES keeps the correlation id
on the job order and puts it on every event about it.

The MES speaks B2MML: a job order's ``DispatchStatus`` -> MesOrderStatus: Waiting -> received
(not yet accepted by the site), Dispatched -> dispatched, Running -> in_progress, Suspended
(paused on the line) -> in_progress, Held -> held, Completed -> completed, Aborted -> aborted.
Its lot is ``MaterialLotID``. The port's commands are B2MML JobOrder commands: recall_job and
abort_job -> Abort (before Start it cancels the dispatch), hold_lot -> Hold, release_lot ->
Restart (lifts the hold); rework_job adds a rework segment (the MES's own command).

Canonical refusal codes (BusinessRefusal.code):
- ``JobOrderExists``: another job order with this ID, different content, is at the site.
- ``JobAborted``: the job order was aborted; it takes no further command.
- ``LotHeld``: the job's lot is held (shop-floor actions are refused until restarted).
- ``InvalidState``: the command does not fit the job's status (e.g. aborting a completed job;
  shop-floor actions on a Suspended job, MES code JobSuspended).
- ``InvalidJobOrder``: the MES refused the content (unknown site, segment or unit, bad quantity).
- ``NotFound``: no such job order at the site (raised as ``NotFound``).
- ``Refused``: any other refusal, with the MES's code in the reason.
- ``UnmappedState``: get_job read a DispatchStatus this adapter cannot map (a contract change).
- ``ItemMismatch``: get_packaging_status found the lot verified as another item.

get_packaging_status reads the lot's packaging & labelling verification; a lot the MES has
not verified is ``verified=False`` (not an error).
Configuration gaps (unknown plant, no unit mapping) raise ``ConfigError`` before any call.
"""

from decimal import Decimal
from typing import Any

import httpx

from adapters.errors import BusinessRefusal, NotFound
from adapters.http import CORRELATION_HEADER, segment, send, was_replayed, write_headers
from adapters.mes_reference.dialect import JobOrderView, PackagingVerificationView
from canonical.commands import (
    DispatchJob,
    JobCommand,
    LotQuery,
    PackagingStatus,
    Receipt,
    ReworkJob,
)
from canonical.enums import MesOrderStatus
from canonical.manufacturing import MesJob
from canonical.plant_config import PlantConfig, Settings, UnitConversion, from_canonical

SYSTEM = "mes"
NOT_VERIFIED = "PackagingVerificationNotFound"

STATES: dict[str, MesOrderStatus] = {
    "Waiting": MesOrderStatus.RECEIVED,
    "Dispatched": MesOrderStatus.DISPATCHED,
    "Running": MesOrderStatus.IN_PROGRESS,
    "Suspended": MesOrderStatus.IN_PROGRESS,
    "Held": MesOrderStatus.HELD,
    "Completed": MesOrderStatus.COMPLETED,
    "Aborted": MesOrderStatus.ABORTED,
}

REFUSALS: dict[str, str] = {
    "JobOrderExists": "JobOrderExists",
    "JobAborted": "JobAborted",
    "LotHeld": "LotHeld",
    "InvalidState": "InvalidState",
    "JobSuspended": "InvalidState",
    "UnknownSite": "InvalidJobOrder",
    "UnknownSegment": "InvalidJobOrder",
    "DuplicateSegment": "InvalidJobOrder",
    "UnknownUnit": "InvalidJobOrder",
    "InvalidQuantity": "InvalidJobOrder",
    "LotMismatch": "InvalidJobOrder",
    "ScopeMismatch": "InvalidJobOrder",
    "InvalidRequest": "InvalidJobOrder",
}


def refusal_code(response: httpx.Response) -> tuple[str, str]:
    """``{"error": {"code", "message"}}`` -> (canonical code, the MES's words)."""
    try:
        error = response.json()["error"]
        mes_code, message = str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        return "Refused", f"{response.status_code}: {response.text[:300]}"
    return REFUSALS.get(mes_code, "Refused"), f"{mes_code}: {message}"


def decimal_string(value: Decimal) -> str:
    """The dialect's QuantityString: plain digits, no exponent, no trailing zeros."""
    return format(value.normalize(), "f")


class ReferenceMesAdapter:
    def __init__(self, settings: Settings, client: httpx.AsyncClient):
        self.settings = settings
        self.client = client

    def _plant(self, plant_id: str) -> PlantConfig:
        return self.settings.plant(plant_id)

    def _units(self, plant: PlantConfig) -> list[UnitConversion]:
        return self.settings.systems[plant.mes].units

    def _job_url(self, plant: PlantConfig, order_id: str = "") -> str:
        base = str(self.settings.systems[plant.mes].base_url).rstrip("/")
        url = f"{base}/api/v1/sites/{segment(plant.mes_site)}/job-orders"
        return f"{url}/{segment(order_id)}" if order_id else url

    async def _write(self, url: str, body: dict[str, Any], key: str, correlation: str) -> Receipt:
        response = await send(
            self.client,
            SYSTEM,
            "POST",
            url,
            refusal_code=refusal_code,
            json=body,
            headers=write_headers(key, correlation),
        )
        job = JobOrderView.model_validate(response.json())
        return Receipt(system=SYSTEM, document=job.ID, replayed=was_replayed(response))

    async def dispatch_job(self, command: DispatchJob) -> Receipt:
        plant = self._plant(command.plant)
        quantity, unit = from_canonical(command.quantity, command.unit, self._units(plant))
        body = {
            "ID": command.order_id,
            "HierarchyScope": {"EquipmentID": plant.mes_site, "EquipmentLevel": "Site"},
            "MaterialDefinitionID": command.item_id,
            "MaterialRevision": command.revision,
            "PlannedQuantity": {"QuantityString": decimal_string(quantity), "UnitOfMeasure": unit},
            "MaterialLotID": command.lot_id,
            "Segments": [
                {"SegmentID": op.segment_id, "Description": op.description}
                for op in command.operations
            ],
        }
        url = self._job_url(plant)
        return await self._write(url, body, command.idempotency_key, command.correlation_id)

    async def _command(
        self, command: JobCommand | ReworkJob, action: str, body: dict[str, Any]
    ) -> Receipt:
        url = f"{self._job_url(self._plant(command.plant), command.order_id)}/{action}"
        return await self._write(url, body, command.idempotency_key, command.correlation_id)

    async def recall_job(self, command: JobCommand) -> Receipt:
        """Cancel the dispatch (compensation): B2MML Abort; the job order ends Aborted."""
        return await self._command(command, "abort", {"Reason": command.reason})

    async def hold_lot(self, command: JobCommand) -> Receipt:
        """B2MML Hold."""
        return await self._command(command, "hold", {"Reason": command.reason})

    async def release_lot(self, command: JobCommand) -> Receipt:
        """B2MML Restart: lifts the hold, back to the status it interrupted."""
        return await self._command(command, "restart", {"Reason": command.reason})

    async def abort_job(self, command: JobCommand) -> Receipt:
        """B2MML Abort."""
        return await self._command(command, "abort", {"Reason": command.reason})

    async def rework_job(self, command: ReworkJob) -> Receipt:
        """Adds segment SEG-REWORK for the nonconformance; a hold on the job is lifted."""
        body = {"Reason": command.reason, "NonconformanceID": command.nonconformance_id}
        return await self._command(command, "rework", body)

    async def get_job(self, plant: str, order_id: str) -> MesJob:
        config = self._plant(plant)
        response = await send(
            self.client, SYSTEM, "GET", self._job_url(config, order_id), refusal_code=refusal_code
        )
        job = JobOrderView.model_validate(response.json())
        status = STATES.get(job.DispatchStatus)
        if status is None:
            reason = f"DispatchStatus {job.DispatchStatus!r} has no canonical status"
            raise BusinessRefusal(SYSTEM, "UnmappedState", reason)
        return MesJob(
            order_id=job.ID, plant=config.plant_id, status=status, lot_id=job.MaterialLotID
        )

    async def get_packaging_status(self, query: LotQuery) -> PackagingStatus:
        """The lot's packaging & labelling verification at the plant's site."""
        config = self._plant(query.plant)
        base = str(self.settings.systems[config.mes].base_url).rstrip("/")
        url = (
            f"{base}/api/v1/sites/{segment(config.mes_site)}/lots/{segment(query.lot_id)}"
            "/packaging-verification"
        )
        headers = {CORRELATION_HEADER: query.correlation_id} if query.correlation_id else {}
        try:
            response = await send(
                self.client, SYSTEM, "GET", url, refusal_code=refusal_code, headers=headers
            )
        except NotFound as exc:
            if NOT_VERIFIED in exc.reason:  # the lot has none; any other 404 is a real error
                return PackagingStatus(lot_id=query.lot_id, verified=False)
            raise
        view = PackagingVerificationView.model_validate(response.json())
        if view.MaterialDefinitionID != query.item_id:
            reason = (
                f"lot {query.lot_id} at {config.mes_site} was verified as "
                f"{view.MaterialDefinitionID}, not {query.item_id}"
            )
            raise BusinessRefusal(SYSTEM, "ItemMismatch", reason)
        return PackagingStatus(
            lot_id=view.MaterialLotID,
            verified=True,
            passed=view.Result == "Passed",
            verified_by=view.PersonID,
            checks={check.CheckID: check.Result == "Passed" for check in view.Checks},
        )
