"""``SupplierPortalPort`` for the reference supplier portal: canonical commands in, its
camelCase web dialect out.

Translation: the portal is one system for every plant, at ``settings.supplier_portal.base_url``
(``ConfigError`` when the configuration has no ``[supplier_portal]``); plant -> ``plantCode``
(the plant's ERP plant code, which suppliers see on their purchase orders); supplier ->
``supplierId`` (the ERP vendor number, unchanged); item -> ``material``; lot -> ``batch``;
nonconformance -> ``nonconformanceRef``; an empty description becomes one naming the
nonconformance and batch (the portal requires one); units through ``codes.UNIT_TO_PORTAL``
(EA -> H87, KG -> KGM). The scorecard comes back as ``SupplierScorecard`` with ``openScars`` as
``open_corrective_actions``.

Receipts: ``document`` is the SCAR number or the outcome id; ``replayed`` is true for an
idempotent replay and for an identical outcome the portal already had (HTTP 200: nothing
changed).

Canonical refusal codes (``BusinessRefusal.code``): UnknownSupplier, DuplicateScar (the
nonconformance already has a SCAR; the reason names it), DuplicateOutcome (the lot already
has a different outcome), InvalidOutcome (a skipped lot marked rejected, or more rejected
than received), ScarClosed, ResponseMissing, ValidationFailed (the portal refused the
request's shape), NotFound (404, e.g. the scorecard of an unknown supplier), Refused (any
other 4xx), MappingError (plant or unit not mapped, raised before anything is sent),
BadResponse (an answer the adapter cannot read).
"""

import httpx

from adapters.http import segment, send, was_replayed, write_headers
from adapters.supplier_portal_reference.codes import SYSTEM, UNIT_TO_PORTAL
from adapters.supplier_portal_reference.wire import (
    OutcomeAnswer,
    ScarAnswer,
    ScorecardAnswer,
    mapping_error,
    number,
    read,
    refusal_code,
)
from canonical.commands import CorrectiveActionRequest, LotOutcome, Receipt, SupplierScorecard
from canonical.plant_config import ConfigError, Settings


class ReferenceSupplierPortalAdapter:
    def __init__(self, settings: Settings, client: httpx.AsyncClient):
        if settings.supplier_portal is None:
            raise ConfigError(
                "no supplier portal configured: add [supplier_portal] with kind and base_url"
            )
        self.settings = settings
        self.client = client
        self.base_url = str(settings.supplier_portal.base_url).rstrip("/")

    def _plant_code(self, plant_id: str) -> str:
        try:
            return self.settings.plant(plant_id).erp_plant
        except ConfigError as exc:
            raise mapping_error(str(exc)) from exc

    @staticmethod
    def _unit(unit: str) -> str:
        try:
            return UNIT_TO_PORTAL[unit]
        except KeyError:
            raise mapping_error(
                f"canonical unit {unit!r} has no portal unit code; known: {sorted(UNIT_TO_PORTAL)}"
            ) from None

    async def request_corrective_action(self, command: CorrectiveActionRequest) -> Receipt:
        body = {
            "supplierId": command.supplier,
            "plantCode": self._plant_code(command.plant),
            "purchaseOrder": command.purchase_order,
            "material": command.item_id,
            "batch": command.lot_id,
            "nonconformanceRef": command.nonconformance_id,
            "description": command.description
            or f"Nonconformance {command.nonconformance_id} on batch {command.lot_id} "
            f"of {command.item_id}",
        }
        response = await send(
            self.client,
            SYSTEM,
            "POST",
            f"{self.base_url}/api/scars",
            refusal_code=refusal_code,
            json=body,
            headers=write_headers(command.idempotency_key, command.correlation_id),
        )
        scar = read(ScarAnswer, response)
        return Receipt(system=SYSTEM, document=scar.scarNumber, replayed=was_replayed(response))

    async def record_lot_outcome(self, command: LotOutcome) -> Receipt:
        body = {
            "supplierId": command.supplier,
            "plantCode": self._plant_code(command.plant),
            "material": command.item_id,
            "batch": command.lot_id,
            "accepted": command.accepted,
            "skipped": command.skipped,
            "quantity": number(command.quantity),
            "rejectedQuantity": number(command.rejected_quantity),
            "unit": self._unit(command.unit),
        }
        response = await send(
            self.client,
            SYSTEM,
            "POST",
            f"{self.base_url}/api/lot-outcomes",
            refusal_code=refusal_code,
            json=body,
            headers=write_headers(command.idempotency_key, command.correlation_id),
        )
        outcome = read(OutcomeAnswer, response)
        already_there = response.status_code == 200
        return Receipt(
            system=SYSTEM,
            document=outcome.outcomeId,
            replayed=was_replayed(response) or already_there,
        )

    async def get_scorecard(self, supplier: str) -> SupplierScorecard:
        response = await send(
            self.client,
            SYSTEM,
            "GET",
            f"{self.base_url}/api/suppliers/{segment(supplier)}/scorecard",
            refusal_code=refusal_code,
        )
        card = read(ScorecardAnswer, response)
        return SupplierScorecard(
            supplier=card.supplierId,
            lots_received=card.lotsReceived,
            lots_accepted=card.lotsAccepted,
            lots_rejected=card.lotsRejected,
            open_corrective_actions=card.openScars,
            rating=card.rating,
        )
