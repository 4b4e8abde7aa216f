"""ErpPort for SAP S/4HANA over its OData V2 APIs (and the bundled reference ERP).

Every write is a repeatable request (RequestID derived from the step's idempotency key) with
X-Correlation-ID and a CSRF token; where the gateway has no repeatable requests, documents
are found by the reference the adapter wrote into them (base.py); reads send the
correlation id when the caller has one. Receipts carry SAP's document numbers: material
documents as ``"4900000001/2026"`` (number/year), confirmations as ``"0000100001/00000001"``
(ConfirmationGroup/ConfirmationCount), TECO as the order number, delivery blocks as the
comma-separated delivery numbers ("" when the lot has none), a lot restriction as
``"<material>/<batch>"`` (its stock becomes restricted-use stock, no goods movement);
supplier receipts (transfers out of quality inspection, returns) as material documents.

Refusals become ``BusinessRefusal`` with a canonical code: the table is in codes.py.
404 raises ``NotFound``; timeouts, 5xx and 429 raise ``SystemUnavailable``.
"""

from typing import Any

from adapters.erp_sap import odata
from adapters.erp_sap.base import (
    BATCHES,
    CONFIRMATIONS,
    DELIVERIES,
    DOCUMENTS,
    ORDERS,
    SYSTEM,
    confirmation_receipt,
    document_receipt,
)
from adapters.erp_sap.mapping import lot_stock, output_batch, work_order
from adapters.erp_sap.odata import eq_filter, function_params, key
from adapters.erp_sap.purchasing import SupplierReceipts
from adapters.erp_sap.repeatability import document_reference
from adapters.errors import BusinessRefusal, NotFound
from adapters.http import was_replayed
from canonical.commands import (
    CancelConfirmation,
    CompleteOrder,
    ConfirmOperation,
    GoodsIssue,
    GoodsReceipt,
    LotStock,
    Receipt,
    ReverseDocument,
    SetDeliveryBlock,
    SetLotRestriction,
    StockQuery,
    WithdrawOrder,
)
from canonical.manufacturing import WorkOrder
from canonical.plant_config import ConfigError


class SapErpAdapter(SupplierReceipts):
    """ErpPort: production orders here, supplier receipts in purchasing.py."""

    # --- reads ------------------------------------------------------------------------

    async def get_production_order(
        self, plant: str, order_id: str, correlation_id: str = ""
    ) -> WorkOrder:
        """The order with operations, components and the deliveries of its output batch."""
        erp_plant = self._erp_plant(plant)
        expand = "to_ProductionOrderItem,to_ProductionOrderOperation,to_ProductionOrderComponent"
        order = await self.odata.get(
            ORDERS, f"A_ProductionOrder_2{key(order_id)}", {"$expand": expand}, correlation_id
        )
        if order["ProductionPlant"] != erp_plant:
            raise NotFound(SYSTEM, f"order {order_id} is not in plant {plant} ({erp_plant})")
        deliveries = await self._deliveries(erp_plant, output_batch(order), correlation_id)
        scrap = await self._confirmed_scrap(order_id, correlation_id)
        try:
            return work_order(order, plant, self.units, deliveries, scrap)
        except ConfigError as exc:
            raise BusinessRefusal(SYSTEM, "UnmappedUnit", str(exc)) from None

    async def get_lot_stock(self, query: StockQuery, correlation_id: str = "") -> LotStock:
        erp_plant = self._erp_plant(query.plant)
        batch = await self.odata.get(
            BATCHES,
            "Batch"
            + key(Material=query.item_id, BatchIdentifyingPlant=erp_plant, Batch=query.lot_id),
            correlation_id=correlation_id,
        )
        rows = await self._stock(erp_plant, query.item_id, query.lot_id, correlation_id)
        returns = await self._returns(erp_plant, query.item_id, query.lot_id, correlation_id)
        restricted = odata.is_set(batch["MatlBatchIsInRstrcdUseStock"])
        return lot_stock(query.item_id, query.lot_id, rows, restricted, self.units, returns)

    async def _confirmed_scrap(self, order_id: str, correlation_id: str) -> dict[str, Any]:
        """Operation -> its confirmed scrap: S/4's operation carries only the yield, the
        scrap is on the confirmations (those standing: neither cancelled nor a cancellation)."""
        confirmations = await self.odata.results(
            CONFIRMATIONS, "ProdnOrdConf2", {"$filter": eq_filter(OrderID=order_id)}, correlation_id
        )
        scrap: dict[str, Any] = {}
        for conf in confirmations:
            if odata.is_set(conf.get("IsReversed")) or odata.is_set(conf.get("IsReversal")):
                continue
            quantity = odata.parse_decimal(conf.get("ConfirmationScrapQuantity"))
            scrap[conf["OrderOperation"]] = scrap.get(conf["OrderOperation"], 0) + quantity
        return scrap

    async def _deliveries(self, erp_plant: str, batch: str, correlation_id: str) -> list[str]:
        where = eq_filter(Plant=erp_plant, Batch=batch)
        items = await self.odata.results(
            DELIVERIES, "A_OutbDeliveryItem", {"$filter": where}, correlation_id
        )
        return sorted({item["DeliveryDocument"] for item in items})

    # --- writes -----------------------------------------------------------------------

    def _order_item(
        self, command: GoodsIssue | GoodsReceipt, movement: str, ref_doc_type: str
    ) -> dict[str, str]:
        quantity, unit = self._erp_quantity(command.quantity, command.unit)
        return {
            "Material": command.item_id,
            "Plant": self._erp_plant(command.plant),
            "StorageLocation": self.storage_location,
            "Batch": command.lot_id,
            "GoodsMovementType": movement,
            "GoodsMovementRefDocType": ref_doc_type,
            "ManufacturingOrder": command.order_id,
            "QuantityInEntryUnit": quantity,
            "EntryUnit": unit,
        }

    async def post_goods_issue(self, command: GoodsIssue) -> Receipt:
        """Movement 261 against the order; a restricted batch is refused (LotBlocked)."""
        return await self._material_document(command, "03", [self._order_item(command, "261", "")])

    async def post_goods_receipt(self, command: GoodsReceipt) -> Receipt:
        """Movement 101 of the order's output batch: into quality-inspection stock
        (InventoryUsabilityCode X) when ``to_quality_inspection``, else unrestricted;
        blocked if the batch is restricted."""
        item = self._order_item(command, "101", "F")
        item["InventoryUsabilityCode"] = "X" if command.to_quality_inspection else ""
        return await self._material_document(command, "02", [item])

    async def reverse_material_document(self, command: ReverseDocument) -> Receipt:
        number, year = self._split(command.document, "material document")
        params = function_params(MaterialDocumentYear=year, MaterialDocument=number)
        try:
            response = await self._write(command, "POST", DOCUMENTS, "Cancel", params=params)
        except BusinessRefusal as refusal:
            where = {"ReversedMaterialDocumentYear": year, "ReversedMaterialDocument": number}
            return await self._reversal_of(
                refusal, DOCUMENTS, "A_MaterialDocumentItem", where, command.correlation_id
            )
        return document_receipt(response)

    async def confirm_operation(self, command: ConfirmOperation) -> Receipt:
        yield_qty, unit = self._erp_quantity(command.yield_quantity, command.unit)
        scrap_qty, _ = self._erp_quantity(command.scrap_quantity, command.unit)
        reference = document_reference(command.idempotency_key)
        earlier = await self._earlier_confirmation(
            command.order_id, reference, command.correlation_id
        )
        if earlier is not None:
            return earlier
        body = {
            "OrderID": command.order_id,
            "OrderOperation": command.operation_id,
            "ConfirmationUnit": unit,
            "ConfirmationYieldQuantity": yield_qty,
            "ConfirmationScrapQuantity": scrap_qty,
            "FinalConfirmationType": "X" if command.final else "",
            "ConfirmationText": reference,
        }
        response = await self._write(command, "POST", CONFIRMATIONS, "ProdnOrdConf2", body)
        return confirmation_receipt(response)

    async def cancel_confirmation(self, command: CancelConfirmation) -> Receipt:
        group, count = self._split(command.document, "confirmation")
        params = function_params(ConfirmationGroup=group, ConfirmationCount=count)
        try:
            response = await self._write(
                command, "POST", CONFIRMATIONS, "CancelProdnOrdConf", params=params
            )
        except BusinessRefusal as refusal:
            where = {"ConfirmationGroup": group, "CancldProdnOrdConfCount": count}
            return await self._reversal_of(
                refusal, CONFIRMATIONS, "ProdnOrdConf2", where, command.correlation_id
            )
        return confirmation_receipt(response)

    async def complete_order(self, command: CompleteOrder) -> Receipt:
        """Technically complete (TECO) the order."""
        params = function_params(ManufacturingOrder=command.order_id)
        try:
            response = await self._write(command, "POST", ORDERS, "TechlyCmpltOrder", params=params)
        except BusinessRefusal as refusal:
            # Without repeatable requests a retried TECO finds the order completed: done.
            if self.repeatable or refusal.code != "OrderCompleted":
                raise
            return Receipt(system=SYSTEM, document=command.order_id, replayed=True)
        return Receipt(system=SYSTEM, document=command.order_id, replayed=was_replayed(response))

    async def withdraw_order(self, command: WithdrawOrder) -> Receipt:
        """TECO, then the deletion flag (DeletionFlagOrder). A step already in place counts
        as done, so a repeated compensation ends in the same state."""
        params = function_params(ManufacturingOrder=command.order_id)
        replayed = True
        for action, suffix in (("TechlyCmpltOrder", ":teco"), ("DeletionFlagOrder", ":dlfl")):
            try:
                response = await self._write(
                    command, "POST", ORDERS, action, params=params, key_suffix=suffix
                )
            except BusinessRefusal as refusal:
                if refusal.code == "OrderFlaggedForDeletion":
                    break  # withdrawn already: nothing left to do
                if refusal.code != "OrderCompleted":
                    raise
                continue
            replayed = replayed and was_replayed(response)
        return Receipt(system=SYSTEM, document=command.order_id, replayed=replayed)

    async def set_lot_restriction(self, command: SetLotRestriction) -> Receipt:
        """Set (or lift) the batch's restricted status (``MatlBatchIsInRstrcdUseStock``):
        S/4HANA then holds its unrestricted stock as restricted-use stock (and back), with
        no goods movement. The receipt names the batch, ``"<material>/<batch>"``. Setting
        the flag twice changes nothing, so a retry is safe."""
        erp_plant = self._erp_plant(command.plant)
        batch = key(Material=command.item_id, BatchIdentifyingPlant=erp_plant, Batch=command.lot_id)
        flag = await self._update(
            command,
            BATCHES,
            f"Batch{batch}",
            {"MatlBatchIsInRstrcdUseStock": command.blocked},
            key_suffix=":batch",
        )
        document = f"{command.item_id}/{command.lot_id}"
        return Receipt(system=SYSTEM, document=document, replayed=was_replayed(flag))

    async def set_delivery_block(self, command: SetDeliveryBlock) -> Receipt:
        """Set (or lift) DeliveryBlockReason on every outbound delivery of the lot."""
        erp_plant = self._erp_plant(command.plant)
        numbers = await self._deliveries(erp_plant, command.lot_id, command.correlation_id)
        reason = command.reason_code if command.blocked else ""
        replayed = bool(numbers)
        for number in numbers:
            response = await self._update(
                command,
                DELIVERIES,
                f"A_OutbDeliveryHeader{key(number)}",
                {"DeliveryBlockReason": reason},
                key_suffix=f":{number}",
            )
            replayed = replayed and was_replayed(response)
        return Receipt(system=SYSTEM, document=",".join(numbers), replayed=replayed)
