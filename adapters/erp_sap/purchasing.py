"""Supplier receipts in SAP terms: quality-inspection stock out to unrestricted (321) or
blocked (350), and the return delivery of blocked stock to the supplier against the
purchase order (122). Receipts carry the material document as ``"number/year"``.

A returned quantity has left the plant, so no stock type holds it: get_lot_stock reports
it as the canonical ``returned`` status from the lot's 122 postings not reversed.
"""

from typing import Any

from adapters.erp_sap.base import DOCUMENTS, SYSTEM, SapErpBase
from adapters.erp_sap.odata import eq_filter
from adapters.errors import BusinessRefusal
from canonical.commands import (
    PurchaseOrderQuery,
    Receipt,
    ReceivedLot,
    ReturnToVendor,
    TransferFromInspection,
)
from canonical.enums import StockStatus

INSPECTION_TRANSFERS = {StockStatus.UNRESTRICTED: "321", StockStatus.BLOCKED: "350"}
RETURN_DELIVERY = "122"


class SupplierReceipts(SapErpBase):
    async def transfer_from_inspection(self, command: TransferFromInspection) -> Receipt:
        """321 (to unrestricted) or 350 (to blocked); refused (InsufficientStock) when the
        lot's quality-inspection stock is short."""
        movement = INSPECTION_TRANSFERS.get(command.to_status)
        if movement is None:
            raise BusinessRefusal(
                SYSTEM,
                "InvalidRequest",
                f"stock leaves quality inspection to unrestricted or blocked, "
                f"not {command.to_status}",
            )
        item = self._lot_item(command, movement)
        return await self._material_document(command, "04", [item])

    async def return_to_vendor(self, command: ReturnToVendor) -> Receipt:
        """122 against the purchase order item, out of the lot's blocked stock."""
        item = {
            **self._lot_item(command, RETURN_DELIVERY),
            "PurchaseOrder": command.purchase_order,
            "PurchaseOrderItem": command.purchase_order_item,
            "GoodsMovementRefDocType": "B",
            "InventoryUsabilityCode": "S",  # out of blocked stock
        }
        return await self._material_document(command, "01", [item], header_text=command.reason)

    async def purchase_order_receipts(self, query: PurchaseOrderQuery) -> list[ReceivedLot]:
        """The lots received against the order (its 101 items not reversed)."""
        where = eq_filter(
            PurchaseOrder=query.purchase_order,
            Plant=self._erp_plant(query.plant),
            GoodsMovementType="101",
        )
        items = await self.odata.results(
            DOCUMENTS, "A_MaterialDocumentItem", {"$filter": where}, query.correlation_id
        )
        return [
            ReceivedLot(
                item_id=item["Material"],
                lot_id=item["Batch"],
                material_document=f"{item['MaterialDocument']}/{item['MaterialDocumentYear']}",
            )
            for item in items
            if not item.get("GoodsMovementIsCancelled")
        ]

    def _lot_item(
        self, command: TransferFromInspection | ReturnToVendor, movement: str
    ) -> dict[str, str]:
        quantity, unit = self._erp_quantity(command.quantity, command.unit)
        return {
            "Material": command.item_id,
            "Plant": self._erp_plant(command.plant),
            "StorageLocation": self.storage_location,
            "Batch": command.lot_id,
            "GoodsMovementType": movement,
            "QuantityInEntryUnit": quantity,
            "EntryUnit": unit,
        }

    async def _returns(
        self, erp_plant: str, material: str, batch: str, correlation_id: str
    ) -> list[dict[str, Any]]:
        """The lot's return deliveries (122 items), reversed ones flagged cancelled."""
        where = eq_filter(
            Material=material, Plant=erp_plant, Batch=batch, GoodsMovementType=RETURN_DELIVERY
        )
        return await self.odata.results(
            DOCUMENTS, "A_MaterialDocumentItem", {"$filter": where}, correlation_id
        )
