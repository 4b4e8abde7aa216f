"""The reference ERP's tables. Columns carry SAP's OData property names, so a row reads
straight into its dialect model (schemas.py) without a mapping layer."""

from datetime import datetime
from decimal import Decimal

from sqlmodel import Field, SQLModel

from refsystems.common.db import table_of
from refsystems.common.tables import utcnow


def qty(default: str = "0") -> Decimal:
    """A quantity column: Decimal(13, 3) like SAP's MENGE."""
    return Field(default=Decimal(default), max_digits=16, decimal_places=3)


class MaterialRow(SQLModel, table=True):
    __tablename__ = "material"
    Material: str = Field(primary_key=True, max_length=40)
    MaterialName: str = ""
    BaseUnit: str = Field(max_length=3)
    RevisionLevel: str = Field(default="", max_length=2)


class BatchRow(SQLModel, table=True):
    """Batch master (API_BATCH_SRV ``Batch``), unique per plant."""

    __tablename__ = "batch"
    Material: str = Field(primary_key=True)
    BatchIdentifyingPlant: str = Field(primary_key=True)
    Batch: str = Field(primary_key=True, max_length=10)
    MatlBatchIsInRstrcdUseStock: bool = False
    Supplier: str = Field(default="", max_length=10, description="Who delivered it (PO receipt)")
    CreationDateTime: datetime = Field(default_factory=utcnow)
    LastChangeDateTime: datetime = Field(default_factory=utcnow)


class StockRow(SQLModel, table=True):
    """Stock of a batch per storage location and stock type (01, 02, 07, 08)."""

    __tablename__ = "stock"
    Material: str = Field(primary_key=True)
    Plant: str = Field(primary_key=True)
    StorageLocation: str = Field(primary_key=True)
    Batch: str = Field(primary_key=True)
    InventoryStockType: str = Field(primary_key=True)
    MaterialBaseUnit: str
    MatlWrhsStkQtyInMatlBaseUnit: Decimal = qty()


class ProductionOrderRow(SQLModel, table=True):
    __tablename__ = "production_order"
    ManufacturingOrder: str = Field(primary_key=True, max_length=12)
    ManufacturingOrderCategory: str = "10"
    ManufacturingOrderType: str = "PP01"
    Material: str
    MaterialName: str = ""
    MaterialRevisionLevel: str = ""
    ProductionPlant: str = Field(index=True)
    Plant: str
    StorageLocation: str = "0001"
    Batch: str = Field(index=True)
    OrderInternalBillOfOperations: str
    Reservation: str
    ProductionUnit: str
    TotalQuantity: Decimal = qty()
    MfgOrderPlannedScrapQty: Decimal = qty()
    MfgOrderConfirmedYieldQty: Decimal = qty()
    MfgOrderConfirmedScrapQty: Decimal = qty()
    ActualDeliveredQuantity: Decimal = qty()
    MfgOrderCreationDate: datetime = Field(default_factory=utcnow)
    MfgOrderPlannedStartDate: datetime | None = None
    MfgOrderPlannedEndDate: datetime | None = None
    MfgOrderActualReleaseDate: datetime | None = None
    OrderIsCreated: bool = True
    OrderIsReleased: bool = False
    OrderIsPartiallyConfirmed: bool = False
    OrderIsConfirmed: bool = False
    OrderIsPartiallyDelivered: bool = False
    OrderIsDelivered: bool = False
    OrderIsTechnicallyCompleted: bool = False
    OrderIsClosed: bool = False
    OrderIsMarkedForDeletion: bool = False
    OrderHasDeletionIndicator: bool = False  # DLT (DeletionIndOrder); S/4 shows it as a status


class OperationRow(SQLModel, table=True):
    __tablename__ = "order_operation"
    OrderInternalBillOfOperations: str = Field(primary_key=True)
    OrderIntBillOfOperationsItem: str = Field(primary_key=True)
    ManufacturingOrder: str = Field(index=True)
    ManufacturingOrderSequence: str = "0"
    ManufacturingOrderOperation: str = Field(max_length=4)
    MfgOrderOperationText: str = ""
    WorkCenter: str = ""
    ProductionPlant: str
    OperationConfirmation: str = Field(description="Confirmation group of this operation")
    OperationUnit: str
    OpPlannedTotalQuantity: Decimal = qty()
    OpTotalConfirmedYieldQty: Decimal = qty()
    OpTotalConfirmedScrapQty: Decimal = qty()
    OperationIsReleased: bool = False
    OperationIsPartiallyConfirmed: bool = False
    OperationIsConfirmed: bool = False


class ComponentRow(SQLModel, table=True):
    __tablename__ = "order_component"
    Reservation: str = Field(primary_key=True)
    ReservationItem: str = Field(primary_key=True)
    ReservationRecordType: str = Field(primary_key=True, default="")
    ManufacturingOrder: str = Field(index=True)
    ManufacturingOrderOperation: str = ""
    Material: str
    Plant: str
    StorageLocation: str = "0001"
    Batch: str = ""
    GoodsMovementType: str = "261"
    BaseUnit: str
    EntryUnit: str
    RequiredQuantity: Decimal = qty()
    WithdrawnQuantity: Decimal = qty()


class MaterialDocumentRow(SQLModel, table=True):
    __tablename__ = "material_document"
    MaterialDocumentYear: str = Field(primary_key=True)
    MaterialDocument: str = Field(primary_key=True)
    GoodsMovementCode: str
    PostingDate: datetime
    DocumentDate: datetime
    CreationDate: datetime = Field(default_factory=utcnow)
    ReferenceDocument: str = ""
    MaterialDocumentHeaderText: str = ""
    ReversedByMaterialDocument: str = Field(default="", description="Internal: 'doc/year'")


class MaterialDocumentItemRow(SQLModel, table=True):
    __tablename__ = "material_document_item"
    MaterialDocumentYear: str = Field(primary_key=True)
    MaterialDocument: str = Field(primary_key=True)
    MaterialDocumentItem: str = Field(primary_key=True)
    GoodsMovementType: str
    Material: str = Field(index=True)
    Plant: str
    StorageLocation: str
    Batch: str = Field(index=True)
    InventoryStockType: str
    IssuingOrReceivingStockType: str = ""
    ManufacturingOrder: str = Field(default="", index=True)
    PurchaseOrder: str = Field(default="", index=True)
    PurchaseOrderItem: str = ""
    Supplier: str = ""
    EntryUnit: str
    MaterialBaseUnit: str
    QuantityInEntryUnit: Decimal = qty()
    QuantityInBaseUnit: Decimal = qty()
    GoodsMovementIsCancelled: bool = False
    ReversedMaterialDocumentYear: str = ""
    ReversedMaterialDocument: str = ""
    ReversedMaterialDocumentItem: str = ""


class ConfirmationRow(SQLModel, table=True):
    __tablename__ = "confirmation"
    ConfirmationGroup: str = Field(primary_key=True)
    ConfirmationCount: str = Field(primary_key=True)
    OrderID: str = Field(index=True)
    OrderOperation: str
    Sequence: str = "0"
    Plant: str
    WorkCenter: str = ""
    ConfirmationUnit: str
    ConfirmationYieldQuantity: Decimal = qty()
    ConfirmationScrapQuantity: Decimal = qty()
    FinalConfirmationType: str = ""
    IsFinalConfirmation: bool = False
    IsReversed: bool = False
    IsReversal: bool = False
    CancldProdnOrdConfCount: str = Field(default="", description="Counter a reversal cancels")
    PostingDate: datetime
    ConfirmationText: str = ""


class DeliveryRow(SQLModel, table=True):
    __tablename__ = "outbound_delivery"
    DeliveryDocument: str = Field(primary_key=True, max_length=10)
    DeliveryBlockReason: str = Field(default="", max_length=2)
    OverallGoodsMovementStatus: str = "A"
    ShippingPoint: str = ""
    SoldToParty: str = ""
    PlannedGoodsIssueDate: datetime | None = None
    CreationDate: datetime = Field(default_factory=utcnow)


class DeliveryItemRow(SQLModel, table=True):
    __tablename__ = "outbound_delivery_item"
    DeliveryDocument: str = Field(primary_key=True)
    DeliveryDocumentItem: str = Field(primary_key=True)
    Material: str
    Plant: str
    StorageLocation: str = "0001"
    Batch: str = Field(index=True)
    DeliveryQuantityUnit: str
    ActualDeliveryQuantity: Decimal = qty()


class NumberRangeRow(SQLModel, table=True):
    """Internal number ranges (orders, documents, confirmations...)."""

    __tablename__ = "number_range"
    Object: str = Field(primary_key=True)
    NextNumber: int


ERP_TABLES = [
    table_of(row)
    for row in (
        MaterialRow,
        BatchRow,
        StockRow,
        ProductionOrderRow,
        OperationRow,
        ComponentRow,
        MaterialDocumentRow,
        MaterialDocumentItemRow,
        ConfirmationRow,
        DeliveryRow,
        DeliveryItemRow,
        NumberRangeRow,
    )
]
