"""What the reference ERP accepts: create and update payloads in the OData V2 dialect.

Like S/4HANA, bodies may come wrapped in ``{"d": {...}}``, deep inserts may send a
navigation property as a list or as ``{"results": [...]}``, and ``__metadata`` is ignored.
Unknown properties are refused, so a client's typo surfaces instead of being dropped.
"""

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from refsystems.erp.edm import EdmDateTime, parse_flag


def _results(value: Any) -> Any:
    if isinstance(value, dict) and "results" in value:
        return value["results"]
    return value


def _item_number(value: Any) -> Any:
    """A PO item as '10' or '00010' means the same item (stored as '00010')."""
    return value.zfill(5) if isinstance(value, str) and value.isdigit() else value


class ODataInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _unwrap(cls, data: Any) -> Any:
        if isinstance(data, dict):
            if set(data) == {"d"} and isinstance(data["d"], dict):
                data = data["d"]
            data = {k: v for k, v in data.items() if not str(k).startswith("__")}
        return data


# InventoryUsabilityCode -> InventoryStockType (01 unrestricted, 02 QI, 07 blocked)
USABILITY_STOCK_TYPES = {"": "", "F": "01", "X": "02", "S": "07"}
Quantity = Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=3)]
OptionalQuantity = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=3)]


class MaterialDocumentItemIn(ODataInput):
    Material: str = Field(min_length=1, max_length=40)
    Plant: str = Field(min_length=1, max_length=4)
    StorageLocation: str = Field(default="0001", max_length=4)
    Batch: str = Field(min_length=1, max_length=10)
    GoodsMovementType: Literal["101", "122", "261", "321", "343", "344", "350"]
    QuantityInEntryUnit: Quantity
    EntryUnit: str = Field(min_length=1, max_length=3)
    ManufacturingOrder: str = Field(default="", max_length=12)
    PurchaseOrder: str = Field(default="", max_length=10)
    PurchaseOrderItem: Annotated[str, BeforeValidator(_item_number)] = Field(
        default="", max_length=5
    )
    GoodsMovementRefDocType: str = Field(default="", max_length=1)
    # The stock a receipt goes to (or a return comes from), as S/4HANA takes it: blank for
    # the default, F unrestricted, X quality inspection, S blocked. InventoryStockType is
    # what the document reports, not what a client sends: refused like any unknown property.
    InventoryUsabilityCode: Literal["", "F", "X", "S"] = ""
    MaterialDocumentItemText: str = Field(default="", max_length=50)

    @property
    def requested_stock_type(self) -> str:
        """The InventoryStockType asked for ('' = the movement's default)."""
        return USABILITY_STOCK_TYPES[self.InventoryUsabilityCode]


class MaterialDocumentIn(ODataInput):
    """Deep insert of A_MaterialDocumentHeader with its items."""

    GoodsMovementCode: Literal["01", "02", "03", "04"]
    PostingDate: EdmDateTime | None = None
    DocumentDate: EdmDateTime | None = None
    ReferenceDocument: str = Field(default="", max_length=16)
    MaterialDocumentHeaderText: str = Field(default="", max_length=25)
    to_MaterialDocumentItem: Annotated[
        list[MaterialDocumentItemIn], BeforeValidator(_results), Field(min_length=1)
    ]


class ConfirmationIn(ODataInput):
    """ProdnOrdConf2 create. FinalConfirmationType: '' partial, 'X' final, '1' automatic
    final (final once the operation's yield and scrap reach its planned quantity)."""

    OrderID: str = Field(min_length=1, max_length=12)
    OrderOperation: str = Field(min_length=1, max_length=4)
    Sequence: str = Field(default="0", max_length=6)
    ConfirmationUnit: str = Field(min_length=1, max_length=3)
    ConfirmationYieldQuantity: OptionalQuantity = Decimal(0)
    ConfirmationScrapQuantity: OptionalQuantity = Decimal(0)
    FinalConfirmationType: Literal["", "X", "1"] = ""
    PostingDate: EdmDateTime | None = None
    ConfirmationText: str = Field(default="", max_length=40)


class DeliveryHeaderPatch(ODataInput):
    DeliveryBlockReason: str = Field(max_length=2)


class BatchPatch(ODataInput):
    MatlBatchIsInRstrcdUseStock: Annotated[bool, BeforeValidator(parse_flag)]


class OperationIn(ODataInput):
    ManufacturingOrderOperation: str = Field(pattern=r"^\d{4}$")
    WorkCenter: str = Field(default="", max_length=8)
    MfgOrderOperationText: str = Field(default="", max_length=40)
    OpPlannedTotalQuantity: Quantity | None = Field(
        default=None, description="Defaults to the order quantity"
    )


class ComponentIn(ODataInput):
    Material: str = Field(min_length=1, max_length=40)
    RequiredQuantity: Quantity
    BaseUnit: str | None = Field(default=None, description="Defaults to the material's")
    Batch: str = Field(default="", max_length=10)
    StorageLocation: str = Field(default="0001", max_length=4)
    ManufacturingOrderOperation: str = Field(default="", max_length=4)


class ProductionOrderIn(ODataInput):
    """Admin factory for a production order in status created (not an SAP API: in S/4 a
    planner converts a planned order). Optionally creates the outbound delivery of its
    output batch, the way sales would."""

    ManufacturingOrder: str | None = Field(default=None, pattern=r"^\d{1,12}$")
    ManufacturingOrderType: str = Field(default="PP01", max_length=4)
    Material: str = Field(min_length=1, max_length=40)
    ProductionPlant: str = Field(min_length=4, max_length=4)
    TotalQuantity: Quantity
    ProductionUnit: str | None = Field(default=None, description="Defaults to the base unit")
    Batch: str = Field(min_length=1, max_length=10)
    StorageLocation: str = Field(default="0001", max_length=4)
    MfgOrderPlannedStartDate: EdmDateTime | None = None
    MfgOrderPlannedEndDate: EdmDateTime | None = None
    to_ProductionOrderOperation: Annotated[
        list[OperationIn], BeforeValidator(_results), Field(min_length=1)
    ]
    to_ProductionOrderComponent: Annotated[list[ComponentIn], BeforeValidator(_results)] = Field(
        default_factory=list
    )
    WithOutboundDelivery: bool = False
    OutboundDelivery: str | None = Field(
        default=None, pattern=r"^\d{1,10}$", description="Delivery number (implies one)"
    )


class PurchaseOrderItemIn(ODataInput):
    PurchaseOrderItem: str | None = Field(default=None, pattern=r"^\d{1,5}$")
    Material: str = Field(min_length=1, max_length=40)
    Plant: str = Field(min_length=4, max_length=4)
    StorageLocation: str = Field(default="0001", max_length=4)
    OrderQuantity: Quantity
    PurchaseOrderQuantityUnit: str | None = Field(default=None, description="Defaults to base")
    StockType: Literal["", "X", "S"] = Field(default="X", description="X: GR into QI stock")
    PurchaseOrderItemText: str = Field(default="", max_length=40)


class PurchaseOrderIn(ODataInput):
    """Admin factory for a purchase order (A_PurchaseOrder with its items, deep-insert
    shape). Items are numbered 00010, 00020... unless given."""

    PurchaseOrder: str | None = Field(default=None, pattern=r"^\d{1,10}$")
    PurchaseOrderType: str = Field(default="NB", max_length=4)
    CompanyCode: str = Field(min_length=4, max_length=4)
    PurchasingOrganization: str = Field(default="", max_length=4)
    PurchasingGroup: str = Field(default="", max_length=3)
    Supplier: str = Field(min_length=1, max_length=10)
    PurchaseOrderDate: EdmDateTime | None = None
    to_PurchaseOrderItem: Annotated[
        list[PurchaseOrderItemIn], BeforeValidator(_results), Field(min_length=1)
    ]


class PurchaseOrderItemPatch(ODataInput):
    """S/4 cancels a PO item by setting its deletion code ('L'); '' restores it."""

    PurchasingDocumentDeletionCode: Literal["", "L"]
