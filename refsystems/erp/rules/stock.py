"""Material master, batches and stock: the checks every goods movement goes through."""

from decimal import Decimal

from sqlmodel import Session, select

from refsystems.erp.errors import ErpError
from refsystems.erp.tables import BatchRow, MaterialRow, StockRow, utcnow

UNRESTRICTED = "01"
QUALITY_INSPECTION = "02"
BLOCKED = "07"
RESTRICTED = "08"  # restricted-use: the unrestricted stock of a batch with status restricted
STOCK_TYPE_NAMES = {
    UNRESTRICTED: "unrestricted-use",
    QUALITY_INSPECTION: "quality",
    BLOCKED: "blocked",
    RESTRICTED: "restricted-use",
}
DEFICIT_CODES = {
    UNRESTRICTED: "M7/021",
    BLOCKED: "M7/022",
    QUALITY_INSPECTION: "M7/023",
    RESTRICTED: "M7/021",
}

# Conversions between units of one dimension, as SAP's T006 would give them.
_FACTORS: dict[tuple[str, str], Decimal] = {
    ("G", "KG"): Decimal("0.001"),
    ("KG", "G"): Decimal("1000"),
}


def get_material(session: Session, material: str) -> MaterialRow:
    row = session.get(MaterialRow, material)
    if row is None:
        raise ErpError("M3/305", f"Material {material} does not exist")
    return row


def get_batch(session: Session, material: str, plant: str, batch: str) -> BatchRow:
    row = session.get(BatchRow, (material, plant, batch))
    if row is None:
        raise ErpError(
            "M7/053", f"Batch {batch} of material {material} in plant {plant} does not exist"
        )
    return row


def ensure_batch(session: Session, material: str, plant: str, batch: str) -> BatchRow:
    """Find the batch or create it (SAP creates the output batch with the order)."""
    row = session.get(BatchRow, (material, plant, batch))
    if row is None:
        row = BatchRow(Material=material, BatchIdentifyingPlant=plant, Batch=batch)
        session.add(row)
    return row


def usable_type(batch: BatchRow, stock_type: str) -> str:
    """Where stock of a stock type lands in this batch: a restricted batch's unrestricted
    stock is restricted-use stock (S/4HANA moves it with the batch status, no movement)."""
    if stock_type == UNRESTRICTED and batch.MatlBatchIsInRstrcdUseStock:
        return RESTRICTED
    return stock_type


def set_restriction(session: Session, batch: BatchRow, restricted: bool) -> bool:
    """Set the batch's restricted-use flag, its unrestricted stock becoming restricted-use
    stock (or back); returns the previous value."""
    previous = batch.MatlBatchIsInRstrcdUseStock
    if previous != restricted:
        source, target = (UNRESTRICTED, RESTRICTED) if restricted else (RESTRICTED, UNRESTRICTED)
        material = get_material(session, batch.Material)
        query = select(StockRow).where(
            StockRow.Material == batch.Material,
            StockRow.Plant == batch.BatchIdentifyingPlant,
            StockRow.Batch == batch.Batch,
            StockRow.InventoryStockType == source,
        )
        for row in list(session.exec(query)):
            quantity = row.MatlWrhsStkQtyInMatlBaseUnit
            if quantity > 0:
                where = (row.Plant, row.StorageLocation, row.Batch)
                move_stock(session, material, *where, source, target, quantity)
    batch.MatlBatchIsInRstrcdUseStock = restricted
    batch.LastChangeDateTime = utcnow()
    session.add(batch)
    return previous


def to_base_unit(quantity: Decimal, unit: str, base_unit: str) -> Decimal:
    if unit == base_unit:
        return quantity
    factor = _FACTORS.get((unit, base_unit))
    if factor is None:
        raise ErpError("M7/005", f"Unit {unit} cannot be converted into base unit {base_unit}")
    return quantity * factor


def _row(
    session: Session, material: MaterialRow, plant: str, sloc: str, batch: str, stock_type: str
) -> StockRow:
    key = (material.Material, plant, sloc, batch, stock_type)
    row = session.get(StockRow, key)
    if row is None:
        row = StockRow(
            Material=material.Material,
            Plant=plant,
            StorageLocation=sloc,
            Batch=batch,
            InventoryStockType=stock_type,
            MaterialBaseUnit=material.BaseUnit,
            MatlWrhsStkQtyInMatlBaseUnit=Decimal(0),
        )
    return row


def add_stock(
    session: Session,
    material: MaterialRow,
    plant: str,
    sloc: str,
    batch: str,
    stock_type: str,
    quantity: Decimal,
) -> None:
    row = _row(session, material, plant, sloc, batch, stock_type)
    row.MatlWrhsStkQtyInMatlBaseUnit += quantity
    session.add(row)


def remove_stock(
    session: Session,
    material: MaterialRow,
    plant: str,
    sloc: str,
    batch: str,
    stock_type: str,
    quantity: Decimal,
) -> None:
    """Take stock out; a deficit is refused, never posted negative."""
    row = _row(session, material, plant, sloc, batch, stock_type)
    available = row.MatlWrhsStkQtyInMatlBaseUnit
    if available < quantity:
        raise ErpError(
            DEFICIT_CODES[stock_type],
            f"Deficit of {STOCK_TYPE_NAMES[stock_type]} stock {quantity - available:.3f} "
            f"{material.BaseUnit}: material {material.Material} plant {plant} "
            f"storage location {sloc} batch {batch} (available {available:.3f})",
        )
    row.MatlWrhsStkQtyInMatlBaseUnit = available - quantity
    session.add(row)


def move_stock(
    session: Session,
    material: MaterialRow,
    plant: str,
    sloc: str,
    batch: str,
    from_type: str,
    to_type: str,
    quantity: Decimal,
) -> None:
    remove_stock(session, material, plant, sloc, batch, from_type, quantity)
    add_stock(session, material, plant, sloc, batch, to_type, quantity)


def all_stock(session: Session) -> list[StockRow]:
    query = select(StockRow).order_by(
        StockRow.Material, StockRow.Plant, StockRow.Batch, StockRow.InventoryStockType
    )
    return list(session.exec(query))
