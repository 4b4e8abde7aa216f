"""Purchasing tables: suppliers (business partners) and purchase orders with their items.

What was received against a PO item is not stored here: like SAP's PO history, it is
read from the material documents that reference the item (see rules/purchasing.py).
"""

from datetime import datetime
from decimal import Decimal

from sqlmodel import Field, SQLModel

from refsystems.common.db import table_of
from refsystems.common.tables import utcnow
from refsystems.erp.tables import qty


class SupplierRow(SQLModel, table=True):
    """API_BUSINESS_PARTNER ``A_Supplier``, reduced to what purchasing needs."""

    __tablename__ = "supplier"
    Supplier: str = Field(primary_key=True, max_length=10)
    SupplierName: str = Field(default="", max_length=80)


class PurchaseOrderRow(SQLModel, table=True):
    __tablename__ = "purchase_order"
    PurchaseOrder: str = Field(primary_key=True, max_length=10)
    PurchaseOrderType: str = "NB"
    CompanyCode: str = Field(max_length=4)
    PurchasingOrganization: str = ""
    PurchasingGroup: str = ""
    Supplier: str = Field(index=True, max_length=10)
    PurchaseOrderDate: datetime
    CreationDate: datetime = Field(default_factory=utcnow)
    PurchasingDocumentDeletionCode: str = Field(default="", max_length=1)


class PurchaseOrderItemRow(SQLModel, table=True):
    __tablename__ = "purchase_order_item"
    PurchaseOrder: str = Field(primary_key=True)
    PurchaseOrderItem: str = Field(primary_key=True, max_length=5)
    PurchaseOrderItemText: str = ""
    Material: str = Field(index=True)
    Plant: str
    StorageLocation: str = "0001"
    PurchaseOrderQuantityUnit: str
    OrderQuantity: Decimal = qty()
    StockType: str = Field(default="", max_length=1, description="'' free, X QI, S blocked")
    PurchasingDocumentDeletionCode: str = Field(default="", max_length=1)
    IsCompletelyDelivered: bool = False


PURCHASING_TABLES = [table_of(row) for row in (SupplierRow, PurchaseOrderRow, PurchaseOrderItemRow)]
