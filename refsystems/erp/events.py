"""Outbound business events, CloudEvents-shaped like SAP Event Mesh delivers S/4HANA's.

- ``sap.s4.beh.productionorder.v1.ProductionOrder.Released.v1`` on ReleaseOrder; data:
  ManufacturingOrder, ProductionPlant, Material.
- ``sap.s4.beh.materialdocument.v1.MaterialDocument.Created.v1`` for each item of a goods
  receipt (101); data: MaterialDocument, MaterialDocumentYear, MaterialDocumentItem,
  GoodsMovementType, Material, Plant, Batch, QuantityInEntryUnit, EntryUnit,
  InventoryStockType, and the reference: PurchaseOrder, PurchaseOrderItem and Supplier for
  a receipt against a purchase order, ManufacturingOrder for a production receipt
  (rules/receipt_events.py).
- ``sap.s4.beh.purchaseorder.v1.PurchaseOrder.Cancelled.v1`` when the last item of a
  purchase order gets deletion code 'L'; data: PurchaseOrder, Supplier, Plant.

PurchaseOrder.Cancelled is the reference ERP's own event name: S/4HANA announces a
deletion code as PurchaseOrder.Changed, and a plant would filter that one.
The event id doubles as the correlation id the outbox sends (X-Correlation-ID).
"""

import uuid
from typing import Any

from sqlmodel import Session

from refsystems.common.outbox import add_event
from refsystems.common.tables import utcnow

EVENT_SOURCE = "/default/sap.s4/REFERP"
PRODUCTION_ORDER_RELEASED = "sap.s4.beh.productionorder.v1.ProductionOrder.Released.v1"
MATERIAL_DOCUMENT_CREATED = "sap.s4.beh.materialdocument.v1.MaterialDocument.Created.v1"
PURCHASE_ORDER_CANCELLED = "sap.s4.beh.purchaseorder.v1.PurchaseOrder.Cancelled.v1"


def emit(session: Session, event_type: str, data: dict[str, Any]) -> str:
    """Queue one event in the caller's transaction; returns its id."""
    event_id = str(uuid.uuid4())
    event = {
        "specversion": "1.0",
        "type": event_type,
        "source": EVENT_SOURCE,
        "id": event_id,
        "time": utcnow().isoformat(),
        "datacontenttype": "application/json",
        "data": data,
    }
    # Delivered in order per production order (or purchase order), independently of others.
    key = str(data.get("ManufacturingOrder") or data.get("PurchaseOrder") or event_id)
    add_event(session, event_type, event, correlation_id=event_id, key=key)
    return event_id
