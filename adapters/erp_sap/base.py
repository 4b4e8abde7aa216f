"""What every SAP ERP operation shares: plant and unit translation, the write path (SAP
Gateway's repeatable requests, X-Correlation-ID and CSRF), material documents, and receipts.

Exactly-once: every write carries a RequestID derived from the step's idempotency key
(repeatability.py), and every material document its ``ReferenceDocument``. Until the gateway
has answered ``RepeatabilityResult: accepted`` once, and always where the plant's gateway
has no repeatable requests (``erp.repeatable_requests = false``, or it answered
``unsupported``), the adapter first looks for a document with that reference and returns it
instead of posting again.
"""

import logging
from decimal import Decimal
from typing import Any

import httpx

from adapters.erp_sap import odata, repeatability
from adapters.erp_sap.codes import refusal_code
from adapters.erp_sap.odata import eq_filter
from adapters.erp_sap.repeatability import ACCEPTED, UNSUPPORTED, CreationTimes
from adapters.errors import BusinessRefusal
from adapters.http import CORRELATION_HEADER, was_replayed
from canonical.commands import Command, Receipt
from canonical.plant_config import ConfigError, Settings, from_canonical

ORDERS = "API_PRODUCTION_ORDER_2_SRV"
DOCUMENTS = "API_MATERIAL_DOCUMENT_SRV"
STOCK = "API_MATERIAL_STOCK_SRV"
BATCHES = "API_BATCH_SRV"
CONFIRMATIONS = "API_PROD_ORDER_CONFIRMATION_2_SRV"
DELIVERIES = "API_OUTBOUND_DELIVERY_SRV"
SYSTEM = odata.SYSTEM
log = logging.getLogger(__name__)


class SapErpBase:
    """Translation and the write path every ERP operation shares."""

    def __init__(
        self, settings: Settings, client: httpx.AsyncClient, storage_location: str = "0001"
    ):
        self.settings = settings
        self.units = settings.erp.units
        self.storage_location = storage_location
        self.odata = odata.ODataSession(client, str(settings.erp.base_url), refusal_code)
        self.creation_times = CreationTimes()
        # None: configured on, not yet confirmed by an answer; then what the gateway said.
        self.repeatable: bool | None = None if settings.erp.repeatable_requests else False

    # --- translation ------------------------------------------------------------------

    def _erp_plant(self, plant: str) -> str:
        try:
            return self.settings.plant(plant).erp_plant
        except ConfigError as exc:
            raise BusinessRefusal(SYSTEM, "UnknownPlant", str(exc)) from None

    def _erp_quantity(self, quantity: Decimal, unit: str) -> tuple[str, str]:
        try:
            erp_quantity, erp_unit = from_canonical(quantity, unit, self.units)
        except ConfigError as exc:
            raise BusinessRefusal(SYSTEM, "UnmappedUnit", str(exc)) from None
        return odata.edm_decimal(erp_quantity), erp_unit

    @staticmethod
    def _split(document: str, what: str) -> tuple[str, str]:
        first, sep, second = document.partition("/")
        if not sep or not first or not second:
            raise BusinessRefusal(SYSTEM, "InvalidDocument", f"{what} {document!r} is not a/b")
        return first, second

    async def _stock(
        self, erp_plant: str, material: str, batch: str, correlation_id: str
    ) -> list[dict[str, Any]]:
        where = eq_filter(Material=material, Plant=erp_plant, Batch=batch)
        return await self.odata.results(
            STOCK, "A_MatlStkInAcctMod", {"$filter": where}, correlation_id
        )

    # --- writes -----------------------------------------------------------------------

    async def _write(
        self,
        command: Command,
        method: str,
        service: str,
        path: str,
        body: Any = None,
        params: dict[str, str] | None = None,
        key_suffix: str = "",
        extra_headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        headers = {
            **self.creation_times.headers(command.idempotency_key + key_suffix),
            CORRELATION_HEADER: command.correlation_id,
            **(extra_headers or {}),
        }
        response = await self.odata.write(method, service, path, headers, json=body, params=params)
        self._learn(repeatability.result(response))
        return response

    async def _update(
        self, command: Command, service: str, path: str, body: Any, key_suffix: str = ""
    ) -> httpx.Response:
        """PATCH with the entity's ETag in If-Match, read just before. If someone changed it
        in between (412), read it again and update once more, under a RequestID of its own
        (the first one's answer, the 412, is what the gateway keeps for it)."""
        for attempt in ("", ":reread"):
            current = await self.odata.get(service, path, correlation_id=command.correlation_id)
            etag = (current.get("__metadata") or {}).get("etag")
            try:
                return await self._write(
                    command,
                    "PATCH",
                    service,
                    path,
                    body,
                    key_suffix=key_suffix + attempt,
                    extra_headers={"If-Match": etag} if etag else None,
                )
            except BusinessRefusal as refusal:
                if refusal.status_code != 412 or attempt:
                    raise
        raise AssertionError("unreachable")

    def _learn(self, answer: str) -> None:
        if answer == ACCEPTED and self.repeatable is None:
            self.repeatable = True
        elif answer == UNSUPPORTED and self.repeatable is not False:
            log.warning(
                "the ERP gateway has no repeatable requests (RepeatabilityResult: "
                "unsupported): finding earlier postings by their document reference; "
                "set erp.repeatable_requests = false for this plant"
            )
            self.repeatable = False

    async def _earlier_document(self, reference: str, correlation_id: str) -> Receipt | None:
        """The material document posted earlier under this reference, if any (read before
        posting where the gateway does not guarantee a RequestID runs once)."""
        if self.repeatable:
            return None
        found = await self.odata.results(
            DOCUMENTS,
            "A_MaterialDocumentHeader",
            {"$filter": eq_filter(ReferenceDocument=reference), "$top": "1"},
            correlation_id,
        )
        if not found:
            return None
        doc = found[0]
        number = f"{doc['MaterialDocument']}/{doc['MaterialDocumentYear']}"
        return Receipt(system=SYSTEM, document=number, replayed=True)

    async def _earlier_confirmation(
        self, order_id: str, reference: str, correlation_id: str
    ) -> Receipt | None:
        """The confirmation posted earlier with this reference in its ConfirmationText."""
        if self.repeatable:
            return None
        found = await self.odata.results(
            CONFIRMATIONS,
            "ProdnOrdConf2",
            {"$filter": eq_filter(OrderID=order_id, ConfirmationText=reference)},
            correlation_id,
        )
        if not found:
            return None
        number = f"{found[0]['ConfirmationGroup']}/{found[0]['ConfirmationCount']}"
        return Receipt(system=SYSTEM, document=number, replayed=True)

    async def _reversal_of(
        self,
        refusal: BusinessRefusal,
        service: str,
        path: str,
        where: dict[str, str],
        correlation_id: str,
    ) -> Receipt:
        """Where the gateway does not run a RequestID once, a retried reversal is refused as
        already reversed: answer with the reversal that stands (read before giving up)."""
        if self.repeatable or refusal.code != "AlreadyReversed":
            raise refusal
        found = await self.odata.results(
            service, path, {"$filter": eq_filter(**where)}, correlation_id
        )
        if not found:
            raise refusal
        first, second = (
            ("MaterialDocument", "MaterialDocumentYear")
            if service == DOCUMENTS
            else ("ConfirmationGroup", "ConfirmationCount")
        )
        number = f"{found[0][first]}/{found[0][second]}"
        return Receipt(system=SYSTEM, document=number, replayed=True)

    async def _material_document(
        self,
        command: Command,
        code: str,
        items: list[dict[str, str]],
        key_suffix: str = "",
        header_text: str = "",
    ) -> Receipt:
        reference = repeatability.document_reference(command.idempotency_key + key_suffix)
        earlier = await self._earlier_document(reference, command.correlation_id)
        if earlier is not None:
            return earlier
        body = {
            "GoodsMovementCode": code,
            "ReferenceDocument": reference,
            "MaterialDocumentHeaderText": header_text[:25],
            "PostingDate": odata.edm_datetime(odata.today()),
            "DocumentDate": odata.edm_datetime(odata.today()),
            "to_MaterialDocumentItem": items,
        }
        response = await self._write(
            command, "POST", DOCUMENTS, "A_MaterialDocumentHeader", body, key_suffix=key_suffix
        )
        return document_receipt(response)


def document_receipt(response: httpx.Response) -> Receipt:
    doc = response.json()["d"]
    number = f"{doc['MaterialDocument']}/{doc['MaterialDocumentYear']}"
    return Receipt(system=SYSTEM, document=number, replayed=was_replayed(response))


def confirmation_receipt(response: httpx.Response) -> Receipt:
    conf = response.json()["d"]
    number = f"{conf['ConfirmationGroup']}/{conf['ConfirmationCount']}"
    return Receipt(system=SYSTEM, document=number, replayed=was_replayed(response))
