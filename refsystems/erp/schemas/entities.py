"""What the reference ERP answers: one model per OData entity type, with SAP's names.

Each model knows its service, entity set, key and navigation properties; odata.py wraps
it into ``{"d": ...}`` with ``__metadata``. The properties match the $metadata documents.
Purchasing (suppliers, purchase orders) lives in purchasing.py; ENTITY_TYPES has them all.
"""

from typing import ClassVar

from refsystems.erp.edm import EdmDateTime, EdmDecimal, Flag
from refsystems.erp.schemas.base import ODataEntity
from refsystems.erp.schemas.purchasing import PurchaseOrder, PurchaseOrderItem, Supplier
from refsystems.erp.schemas.quality import QUALITY_TYPES

PRODUCTION_ORDER_SRV = "API_PRODUCTION_ORDER_2_SRV"
MATERIAL_DOCUMENT_SRV = "API_MATERIAL_DOCUMENT_SRV"
MATERIAL_STOCK_SRV = "API_MATERIAL_STOCK_SRV"
BATCH_SRV = "API_BATCH_SRV"
CONFIRMATION_SRV = "API_PROD_ORDER_CONFIRMATION_2_SRV"
OUTBOUND_DELIVERY_SRV = "API_OUTBOUND_DELIVERY_SRV"


class ProductionOrder(ODataEntity):
    SERVICE = PRODUCTION_ORDER_SRV
    ENTITY_SET = "A_ProductionOrder_2"
    KEYS = ("ManufacturingOrder",)
    NAVIGATION = {
        "to_ProductionOrderOperation": "A_ProductionOrderOperation_2",
        # S/4: the plain navigation reads the _2 view; Ext and Ext4 the _3 and _4 views
        "to_ProductionOrderComponent": "A_ProductionOrderComponent_2",
        "to_ProductionOrderComponentExt": "A_ProductionOrderComponent_3",
        "to_ProductionOrderComponentExt4": "A_ProductionOrderComponent_4",
        "to_ProductionRsceTools": "A_ProductionRsceTools_2",  # served empty (no tools kept)
        "to_ProductionOrderItem": "A_ProductionOrderItem_2",
        "to_ProductionOrderStatus": "A_ProductionOrderStatus_2",
    }

    ManufacturingOrder: str
    ManufacturingOrderCategory: str
    ManufacturingOrderType: str
    Material: str
    ProductionPlant: str
    Plant: str
    StorageLocation: str
    OrderInternalBillOfOperations: str
    ProductionUnit: str
    TotalQuantity: EdmDecimal
    MfgOrderPlannedScrapQty: EdmDecimal
    MfgOrderConfirmedYieldQty: EdmDecimal
    MfgOrderCreationDate: EdmDateTime
    MfgOrderPlannedStartDate: EdmDateTime | None
    MfgOrderPlannedEndDate: EdmDateTime | None
    MfgOrderActualReleaseDate: EdmDateTime | None
    OrderIsCreated: Flag
    OrderIsReleased: Flag
    OrderIsPartiallyConfirmed: Flag
    OrderIsConfirmed: Flag
    OrderIsPartiallyDelivered: Flag
    OrderIsDelivered: Flag
    OrderIsTechnicallyCompleted: Flag
    OrderIsClosed: Flag
    OrderIsMarkedForDeletion: Flag


class ProductionOrderItem(ODataEntity):
    """The order's output: S/4HANA keeps its batch and receiving stock here, not on the
    header. The reference ERP's orders have one item, ``0001``."""

    SERVICE = PRODUCTION_ORDER_SRV
    ENTITY_SET = "A_ProductionOrderItem_2"
    KEYS = ("ManufacturingOrder", "ManufacturingOrderItem")

    ManufacturingOrder: str
    ManufacturingOrderItem: str
    ManufacturingOrderCategory: str
    ManufacturingOrderType: str
    IsCompletelyDelivered: bool
    Material: str
    ProductionPlant: str
    Plant: str
    StorageLocation: str
    Batch: str
    InventoryUsabilityCode: str
    ProductionUnit: str
    MfgOrderItemPlannedTotalQty: EdmDecimal
    MfgOrderItemPlannedScrapQty: EdmDecimal
    MfgOrderItemGoodsReceiptQty: EdmDecimal


class ProductionOrderStatus(ODataEntity):
    """One active system status of an order (SAP's I-numbers: I0002 REL, I0045 TECO ...)."""

    SERVICE = PRODUCTION_ORDER_SRV
    ENTITY_SET = "A_ProductionOrderStatus_2"
    KEYS = ("ManufacturingOrder", "StatusCode")

    ManufacturingOrder: str
    StatusCode: str
    IsUserStatus: bool
    StatusShortName: str
    StatusName: str


class ProductionOrderOperation(ODataEntity):
    SERVICE = PRODUCTION_ORDER_SRV
    ENTITY_SET = "A_ProductionOrderOperation_2"
    KEYS = ("OrderInternalBillOfOperations", "OrderIntBillOfOperationsItem")

    OrderInternalBillOfOperations: str
    OrderIntBillOfOperationsItem: str
    ManufacturingOrder: str
    ManufacturingOrderSequence: str
    ManufacturingOrderOperation: str
    MfgOrderOperationText: str
    WorkCenter: str
    ProductionPlant: str
    OperationUnit: str
    OpPlannedTotalQuantity: EdmDecimal
    OpTotalConfirmedYieldQty: EdmDecimal
    OperationIsReleased: Flag
    OperationIsPartiallyConfirmed: Flag
    OperationIsConfirmed: Flag


class ProductionOrderComponent(ODataEntity):
    SERVICE = PRODUCTION_ORDER_SRV
    ENTITY_SET = "A_ProductionOrderComponent_4"
    KEYS: ClassVar[tuple[str, ...]] = ("Reservation", "ReservationItem", "ReservationRecordType")

    Reservation: str
    ReservationItem: str
    ReservationRecordType: str
    ManufacturingOrder: str
    ManufacturingOrderOperation: str
    Material: str
    Plant: str
    StorageLocation: str
    Batch: str
    GoodsMovementType: str
    BaseUnit: str
    EntryUnit: str
    RequiredQuantity: EdmDecimal
    WithdrawnQuantity: EdmDecimal


class ProductionOrderComponent2(ProductionOrderComponent):
    """The components as S/4's first view of them (keyed without the record type)."""

    ENTITY_SET = "A_ProductionOrderComponent_2"
    KEYS = ("Reservation", "ReservationItem")


class ProductionOrderComponent3(ProductionOrderComponent):
    ENTITY_SET = "A_ProductionOrderComponent_3"


class MaterialDocumentHeader(ODataEntity):
    SERVICE = MATERIAL_DOCUMENT_SRV
    ENTITY_SET = "A_MaterialDocumentHeader"
    KEYS = ("MaterialDocumentYear", "MaterialDocument")
    NAVIGATION = {
        "to_MaterialDocumentItem": "A_MaterialDocumentItem",
    }

    MaterialDocumentYear: str
    MaterialDocument: str
    GoodsMovementCode: str
    PostingDate: EdmDateTime
    DocumentDate: EdmDateTime
    CreationDate: EdmDateTime
    ReferenceDocument: str
    MaterialDocumentHeaderText: str


class MaterialDocumentItem(ODataEntity):
    SERVICE = MATERIAL_DOCUMENT_SRV
    ENTITY_SET = "A_MaterialDocumentItem"
    KEYS = ("MaterialDocumentYear", "MaterialDocument", "MaterialDocumentItem")
    NAVIGATION = {  # S/4's, to sets the reference ERP keeps nothing in
        "to_SerialNumbers": "A_SerialNumberMaterialDocument",
    }

    MaterialDocumentYear: str
    MaterialDocument: str
    MaterialDocumentItem: str
    GoodsMovementType: str
    Material: str
    Plant: str
    StorageLocation: str
    Batch: str
    InventoryStockType: str
    IssuingOrReceivingStockType: str
    ManufacturingOrder: str
    PurchaseOrder: str
    PurchaseOrderItem: str
    Supplier: str
    EntryUnit: str
    MaterialBaseUnit: str
    QuantityInEntryUnit: EdmDecimal
    QuantityInBaseUnit: EdmDecimal
    GoodsMovementIsCancelled: bool
    ReversedMaterialDocumentYear: str
    ReversedMaterialDocument: str
    ReversedMaterialDocumentItem: str


class MaterialStock(ODataEntity):
    SERVICE = MATERIAL_STOCK_SRV
    ENTITY_SET = "A_MatlStkInAcctMod"
    KEYS = (
        "Material",
        "Plant",
        "StorageLocation",
        "Batch",
        "Supplier",
        "Customer",
        "WBSElementInternalID",
        "SDDocument",
        "SDDocumentItem",
        "InventorySpecialStockType",
        "InventoryStockType",
    )

    Material: str
    Plant: str
    StorageLocation: str
    Batch: str
    Supplier: str = ""
    Customer: str = ""
    WBSElementInternalID: str = "00000000"
    SDDocument: str = ""
    SDDocumentItem: str = "000000"
    InventorySpecialStockType: str = ""
    InventoryStockType: str
    MaterialBaseUnit: str
    MatlWrhsStkQtyInMatlBaseUnit: EdmDecimal


class Batch(ODataEntity):
    """API_BATCH_SRV keeps this flag as Edm.Boolean (not 'X'), like SAP does."""

    SERVICE = BATCH_SRV
    ENTITY_SET = "Batch"
    ETAG = True
    KEYS = ("Material", "BatchIdentifyingPlant", "Batch")

    Material: str
    BatchIdentifyingPlant: str
    Batch: str
    MatlBatchIsInRstrcdUseStock: bool
    Supplier: str
    CreationDateTime: EdmDateTime
    LastChangeDateTime: EdmDateTime


class ProdnOrdConf2(ODataEntity):
    SERVICE = CONFIRMATION_SRV
    ENTITY_SET = "ProdnOrdConf2"
    KEYS = ("ConfirmationGroup", "ConfirmationCount")

    ConfirmationGroup: str
    ConfirmationCount: str
    OrderID: str
    OrderOperation: str
    Sequence: str
    Plant: str
    WorkCenter: str
    ConfirmationUnit: str
    ConfirmationYieldQuantity: EdmDecimal
    ConfirmationScrapQuantity: EdmDecimal
    FinalConfirmationType: str
    IsFinalConfirmation: bool
    IsReversed: bool
    IsReversal: bool
    CancldProdnOrdConfCount: str
    PostingDate: EdmDateTime
    ConfirmationText: str


class OutbDeliveryHeader(ODataEntity):
    SERVICE = OUTBOUND_DELIVERY_SRV
    ENTITY_SET = "A_OutbDeliveryHeader"
    ETAG = True
    KEYS = ("DeliveryDocument",)
    NAVIGATION = {
        "to_DeliveryDocumentItem": "A_OutbDeliveryItem",
        "to_DeliveryDocumentText": "A_OutbDeliveryHeaderText",
        "to_HandlingUnitHeaderDelivery": "A_HandlingUnitHeaderDelivery",
        "to_DeliveryDocumentPartner": "A_OutbDeliveryPartner",
    }

    DeliveryDocument: str
    DeliveryBlockReason: str
    OverallGoodsMovementStatus: str
    ShippingPoint: str
    SoldToParty: str
    PlannedGoodsIssueDate: EdmDateTime | None
    CreationDate: EdmDateTime


class OutbDeliveryItem(ODataEntity):
    SERVICE = OUTBOUND_DELIVERY_SRV
    ENTITY_SET = "A_OutbDeliveryItem"
    KEYS = ("DeliveryDocument", "DeliveryDocumentItem")
    NAVIGATION = {  # S/4's, to sets the reference ERP keeps nothing in
        "to_DocumentFlow": "A_OutbDeliveryDocFlow",
        "to_HandlingUnitItemDelivery": "A_HandlingUnitItemDelivery",
        "to_DeliveryDocumentItemText": "A_OutbDeliveryItemText",
    }

    DeliveryDocument: str
    DeliveryDocumentItem: str
    Material: str
    Plant: str
    StorageLocation: str
    Batch: str
    DeliveryQuantityUnit: str
    ActualDeliveryQuantity: EdmDecimal


_SERVED: tuple[type[ODataEntity], ...] = (
    ProductionOrder,
    ProductionOrderItem,
    ProductionOrderStatus,
    ProductionOrderOperation,
    ProductionOrderComponent,
    ProductionOrderComponent2,
    ProductionOrderComponent3,
    MaterialDocumentHeader,
    MaterialDocumentItem,
    MaterialStock,
    Batch,
    ProdnOrdConf2,
    OutbDeliveryHeader,
    OutbDeliveryItem,
    Supplier,
    PurchaseOrder,
    PurchaseOrderItem,
    *QUALITY_TYPES,
)
ENTITY_TYPES: dict[str, type[ODataEntity]] = {kind.ENTITY_SET: kind for kind in _SERVED}
