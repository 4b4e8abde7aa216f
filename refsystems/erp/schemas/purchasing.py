"""Purchasing entities: A_Supplier (API_BUSINESS_PARTNER) and the purchase order with its
items (API_PURCHASEORDER_PROCESS_SRV), with SAP's property names."""

from refsystems.erp.edm import EdmDateTime, EdmDecimal
from refsystems.erp.schemas.base import ODataEntity

BUSINESS_PARTNER_SRV = "API_BUSINESS_PARTNER"
PURCHASE_ORDER_SRV = "API_PURCHASEORDER_PROCESS_SRV"


class Supplier(ODataEntity):
    SERVICE = BUSINESS_PARTNER_SRV
    ENTITY_SET = "A_Supplier"
    KEYS = ("Supplier",)

    Supplier: str
    SupplierName: str


class PurchaseOrder(ODataEntity):
    """PurchasingDocumentDeletionCode is 'L' once every item is deleted (cancelled)."""

    SERVICE = PURCHASE_ORDER_SRV
    ENTITY_SET = "A_PurchaseOrder"
    KEYS = ("PurchaseOrder",)
    NAVIGATION = {
        "to_PurchaseOrderItem": "A_PurchaseOrderItem",
        "to_PurchaseOrderNote": "A_PurchaseOrderNote",
    }

    PurchaseOrder: str
    PurchaseOrderType: str
    CompanyCode: str
    PurchasingOrganization: str
    PurchasingGroup: str
    Supplier: str
    PurchaseOrderDate: EdmDateTime
    CreationDate: EdmDateTime
    PurchasingDocumentDeletionCode: str


class PurchaseOrderItem(ODataEntity):
    """S/4 publishes no stock type on the PO item: where a receipt posts is the ERP's own
    setting (the row's ``StockType``, EKPO-INSMK in SAP), or the receipt's
    ``InventoryUsabilityCode``."""

    SERVICE = PURCHASE_ORDER_SRV
    ENTITY_SET = "A_PurchaseOrderItem"
    ETAG = True
    KEYS = ("PurchaseOrder", "PurchaseOrderItem")
    NAVIGATION = {  # S/4's, to sets the reference ERP keeps nothing in
        "to_AccountAssignment": "A_PurOrdAccountAssignment",
        "to_PurchaseOrderItemNote": "A_PurchaseOrderItemNote",
        "to_PurchaseOrderPricingElement": "A_PurOrdPricingElement",
        "to_ScheduleLine": "A_PurchaseOrderScheduleLine",
    }

    PurchaseOrder: str
    PurchaseOrderItem: str
    PurchaseOrderItemText: str
    Material: str
    Plant: str
    StorageLocation: str
    OrderQuantity: EdmDecimal
    PurchaseOrderQuantityUnit: str
    PurchasingDocumentDeletionCode: str
    IsCompletelyDelivered: bool
