"""Internal number ranges, like SAP's: every document gets the next number of its range."""

from sqlmodel import Session

from refsystems.erp.tables import NumberRangeRow

# object -> (first number, width); numbers are zero-padded to the width.
RANGES: dict[str, tuple[int, int]] = {
    "production_order": (1000001, 7),
    "routing": (1, 10),
    "reservation": (1, 10),
    "confirmation_group": (100001, 10),
    "material_document": (4900000001, 10),
    "outbound_delivery": (80000001, 8),
    "purchase_order": (4500000001, 10),
}


def next_number(session: Session, obj: str) -> str:
    first, width = RANGES[obj]
    row = session.get(NumberRangeRow, obj) or NumberRangeRow(Object=obj, NextNumber=first)
    number = row.NextNumber
    row.NextNumber = number + 1
    session.add(row)
    return str(number).zfill(width)


def reserve_external(session: Session, obj: str, number: str) -> None:
    """An externally given number (a seeded order, say) moves the range past it."""
    first, _ = RANGES[obj]
    row = session.get(NumberRangeRow, obj) or NumberRangeRow(Object=obj, NextNumber=first)
    if number.isdigit() and int(number) >= row.NextNumber:
        row.NextNumber = int(number) + 1
    session.add(row)
