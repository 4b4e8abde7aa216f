"""ERP activities: one per business posting, each idempotent through its command's key."""

from temporalio import activity

from activities.errors import classified
from adapters.ports import ErpPort
from canonical.commands import (
    CancelConfirmation,
    CompleteOrder,
    ConfirmOperation,
    GoodsIssue,
    GoodsReceipt,
    LotStock,
    OrderQuery,
    PurchaseOrderQuery,
    Receipt,
    ReceivedLot,
    ReturnToVendor,
    ReverseDocument,
    SetDeliveryBlock,
    SetLotRestriction,
    StockQuery,
    TransferFromInspection,
    WithdrawOrder,
)
from canonical.manufacturing import WorkOrder


class ErpActivities:
    def __init__(self, erp: ErpPort):
        self.erp = erp

    @activity.defn(name="erp.get_production_order")
    async def get_production_order(self, query: OrderQuery) -> WorkOrder:
        return await classified(
            self.erp.get_production_order(query.plant, query.order_id, query.correlation_id)
        )

    @activity.defn(name="erp.post_goods_issue")
    async def post_goods_issue(self, command: GoodsIssue) -> Receipt:
        return await classified(self.erp.post_goods_issue(command))

    @activity.defn(name="erp.post_goods_receipt")
    async def post_goods_receipt(self, command: GoodsReceipt) -> Receipt:
        return await classified(self.erp.post_goods_receipt(command))

    @activity.defn(name="erp.reverse_material_document")
    async def reverse_material_document(self, command: ReverseDocument) -> Receipt:
        return await classified(self.erp.reverse_material_document(command))

    @activity.defn(name="erp.confirm_operation")
    async def confirm_operation(self, command: ConfirmOperation) -> Receipt:
        return await classified(self.erp.confirm_operation(command))

    @activity.defn(name="erp.cancel_confirmation")
    async def cancel_confirmation(self, command: CancelConfirmation) -> Receipt:
        return await classified(self.erp.cancel_confirmation(command))

    @activity.defn(name="erp.set_lot_restriction")
    async def set_lot_restriction(self, command: SetLotRestriction) -> Receipt:
        return await classified(self.erp.set_lot_restriction(command))

    @activity.defn(name="erp.set_delivery_block")
    async def set_delivery_block(self, command: SetDeliveryBlock) -> Receipt:
        return await classified(self.erp.set_delivery_block(command))

    @activity.defn(name="erp.complete_order")
    async def complete_order(self, command: CompleteOrder) -> Receipt:
        return await classified(self.erp.complete_order(command))

    @activity.defn(name="erp.withdraw_order")
    async def withdraw_order(self, command: WithdrawOrder) -> Receipt:
        return await classified(self.erp.withdraw_order(command))

    @activity.defn(name="erp.get_lot_stock")
    async def get_lot_stock(self, query: StockQuery) -> LotStock:
        return await classified(self.erp.get_lot_stock(query))

    @activity.defn(name="erp.transfer_from_inspection")
    async def transfer_from_inspection(self, command: TransferFromInspection) -> Receipt:
        return await classified(self.erp.transfer_from_inspection(command))

    @activity.defn(name="erp.return_to_vendor")
    async def return_to_vendor(self, command: ReturnToVendor) -> Receipt:
        return await classified(self.erp.return_to_vendor(command))

    @activity.defn(name="erp.purchase_order_receipts")
    async def purchase_order_receipts(self, query: PurchaseOrderQuery) -> list[ReceivedLot]:
        return await classified(self.erp.purchase_order_receipts(query))
