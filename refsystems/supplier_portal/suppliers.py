"""Supplier master data: maintained by PUT or by the demo seed; a no-op change records
nothing."""

from sqlmodel import Session

from refsystems.common.context import WriteContext
from refsystems.supplier_portal.schemas import SupplierIn
from refsystems.supplier_portal.tables import SupplierRow

DEMO_SUPPLIERS: dict[str, SupplierIn] = {
    "17300001": SupplierIn(name="Acme Chemicals", contact_email="quality@acme-chemicals.example"),
    "17300002": SupplierIn(name="Budget Tubes", contact_email="qa@budget-tubes.example"),
}


def save_supplier(session: Session, ctx: WriteContext, supplier_id: str, body: SupplierIn) -> bool:
    """Create or update a supplier; returns whether anything changed (and was recorded)."""
    row = session.get(SupplierRow, supplier_id)
    if row is not None and (row.name, row.contact_email) == (body.name, body.contact_email):
        return False
    if row is None:
        row = SupplierRow(supplier_id=supplier_id, **body.model_dump())
    else:
        row.name, row.contact_email = body.name, body.contact_email
    session.add(row)
    ctx.record(
        session, "maintain_supplier", "Supplier", supplier_id, body.model_dump(by_alias=True)
    )
    return True


def seed_demo(session: Session, ctx: WriteContext) -> dict[str, list[str]]:
    """Load the demo suppliers; a supplier already as seeded is left alone."""
    loaded: list[str] = []
    unchanged: list[str] = []
    for supplier_id, body in DEMO_SUPPLIERS.items():
        (loaded if save_supplier(session, ctx, supplier_id, body) else unchanged).append(
            supplier_id
        )
    return {"loaded": loaded, "unchanged": unchanged}
