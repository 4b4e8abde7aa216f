"""``LimsPort`` for the reference LIMS: canonical commands in, its snake_case lab dialect out.

Translation: plant -> ``site`` (``plant.lims_site``) and base URL
(``settings.systems[plant.lims]``); item -> ``material``; lot -> ``batch``; order -> ``order``;
the batch quantity through the LIMS's unit table (``settings.systems[plant.lims].units``; an
empty table means the LIMS keeps canonical units). A plant with no LIMS configured is a
MappingError. Reading back: the batch's current sample (the newest one not cancelled, else
the newest) becomes ``LabStatus``: status through ``codes.STATUS_TO_CANONICAL`` (completed
but unauthorised is ``in_testing``), ``passed`` only once authorised, every entered result as
a ``LabResult`` with the spec limits it was judged by; no sample at all is ``None``.

Receipts: ``document`` is the sample id; ``replayed`` is true for an idempotent replay and
for a batch that already had a sample (HTTP 200: the LIMS answered it, nothing changed).

Canonical refusal codes (``BusinessRefusal.code``): UnknownSpecification (the material has no
lab specification), UnknownSite (the LIMS does not serve the plant's site), ValidationFailed
(the LIMS refused the request's shape, e.g. a zero quantity), and for the lab's own actions
UnknownTest, InvalidResult, UnitMismatch, ResultExists, SampleNotCompleted, SampleAuthorized,
SampleCancelled, SegregationOfDuties; NotFound (404), Refused (any other 4xx), MappingError
(plant, LIMS or unit not mapped, raised before anything is sent), BadResponse (an answer the
adapter cannot read).
"""

from decimal import Decimal

import httpx

from adapters.http import CORRELATION_HEADER, send, was_replayed, write_headers
from adapters.lims_reference.codes import STATUS_TO_CANONICAL, SYSTEM
from adapters.lims_reference.wire import (
    SampleWire,
    lab_result,
    mapping_error,
    number,
    read,
    refusal_code,
)
from canonical.commands import LabStatus, LotQuery, Receipt, RequestLabTesting
from canonical.plant_config import ConfigError, Settings, UnitConversion, from_canonical


class ReferenceLimsAdapter:
    def __init__(self, settings: Settings, client: httpx.AsyncClient):
        self.settings = settings
        self.client = client

    def _lims(self, plant_id: str) -> tuple[str, str, list[UnitConversion]]:
        """(base URL, LIMS site, unit table) of the plant's laboratory."""
        try:
            plant = self.settings.plant(plant_id)
        except ConfigError as exc:
            raise mapping_error(str(exc)) from exc
        if plant.lims is None or plant.lims_site is None:
            raise mapping_error(
                f"plant {plant_id} has no LIMS: set lims and lims_site under [plants.{plant_id}]"
            )
        system = self.settings.systems[plant.lims]
        return str(system.base_url).rstrip("/"), plant.lims_site, system.units

    @staticmethod
    def _quantity(quantity: Decimal, unit: str, units: list[UnitConversion]) -> tuple[str, str]:
        if not units:
            return number(quantity), unit
        try:
            converted, lims_unit = from_canonical(quantity, unit, units)
        except ConfigError as exc:
            raise mapping_error(str(exc)) from exc
        return number(converted), lims_unit

    async def request_testing(self, command: RequestLabTesting) -> Receipt:
        base, site, units = self._lims(command.plant)
        quantity, unit = self._quantity(command.quantity, command.unit, units)
        body = {
            "site": site,
            "material": command.item_id,
            "batch": command.lot_id,
            "order": command.order_id or "",
            "quantity": quantity,
            "unit": unit,
        }
        response = await send(
            self.client,
            SYSTEM,
            "POST",
            f"{base}/api/samples",
            refusal_code=refusal_code,
            json=body,
            headers=write_headers(command.idempotency_key, command.correlation_id),
        )
        sample = read(SampleWire, response)
        already_there = response.status_code == 200
        return Receipt(
            system=SYSTEM,
            document=sample.sample_id,
            replayed=was_replayed(response) or already_there,
        )

    async def get_lab_status(self, query: LotQuery) -> LabStatus | None:
        base, site, _units = self._lims(query.plant)
        headers = {CORRELATION_HEADER: query.correlation_id} if query.correlation_id else {}
        response = await send(
            self.client,
            SYSTEM,
            "GET",
            f"{base}/api/samples",
            refusal_code=refusal_code,
            params={"site": site, "material": query.item_id, "batch": query.lot_id},
            headers=headers,
        )
        samples = read(list[SampleWire], response)
        if not samples:
            return None
        live = [s for s in samples if s.status != "cancelled"]
        return lab_status((live or samples)[-1])


def lab_status(sample: SampleWire) -> LabStatus:
    authorized = sample.status == "authorized"
    return LabStatus(
        sample_id=sample.sample_id,
        status=STATUS_TO_CANONICAL[sample.status],
        passed=(sample.outcome == "pass") if authorized else None,
        results=[lab_result(t, t.result) for t in sample.tests if t.result is not None],
        authorized_by=sample.authorized_by or "",
        analysts=list(sample.analysts),
    )
