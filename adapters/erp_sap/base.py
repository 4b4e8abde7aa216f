"""What every SAP ERP operation shares: plant and unit translation, the write path (with
Idempotency-Key, X-Correlation-ID and CSRF), material documents, and receipts."""

from decimal import Decimal
from typing import Any

import httpx

from adapters.erp_sap import odata
from adapters.erp_sap.codes import refusal_code
from adapters.erp_sap.odata import eq_filter
from adapters.errors import BusinessRefusal
from adapters.http import was_replayed, write_headers
from canonical.commands import Command, Receipt
from canonical.plant_config import ConfigError, Settings, from_canonical

ORDERS = "API_PRODUCTION_ORDER_2_SRV"
DOCUMENTS = "API_MATERIAL_DOCUMENT_SRV"
STOCK = "API_MATERIAL_STOCK_SRV"
BATCHES = "API_BATCH_SRV"
CONFIRMATIONS = "API_PROD_ORDER_CONFIRMATION_2_SRV"
DELIVERIES = "API_OUTBOUND_DELIVERY_SRV"
SYSTEM = odata.SYSTEM


class SapErpBase:
    """Translation and the write path every ERP operation shares."""

    def __init__(
        self, settings: Settings, client: httpx.AsyncClient, storage_location: str = "0001"
    ):
        self.settings = settings
        self.units = settings.erp.units
        self.storage_location = storage_location
        self.odata = odata.ODataSession(client, str(settings.erp.base_url), refusal_code)

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
    ) -> httpx.Response:
        headers = write_headers(command.idempotency_key + key_suffix, command.correlation_id)
        return await self.odata.write(method, service, path, headers, json=body, params=params)

    async def _material_document(
        self,
        command: Command,
        code: str,
        items: list[dict[str, str]],
        key_suffix: str = "",
        header_text: str = "",
    ) -> Receipt:
        body = {
            "GoodsMovementCode": code,
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
