"""Steps the receipt-inspection tests share."""

from decimal import Decimal
from typing import Any

from adapters.supplier_portal_reference import ReferenceSupplierPortalAdapter
from canonical.commands import SupplierScorecard
from stack.embedded import Stack
from stack.receiving import ReceivingScenario

ACME_PO = "4500000001"  # supplier 17300001, RM-200 (PH), skip-lot after 5 clean lots
BUDGET_PO = "4500000002"  # supplier 17300002, PK-300 (WALL, LEN), no skip-lot
GOOD_PH = {"PH": Decimal("7.0")}
BAD_PH = {"PH": Decimal("8.2")}
GOOD_TUBE = {"WALL": Decimal("0.30"), "LEN": Decimal("120.0")}
BAD_TUBE = {"WALL": Decimal("0.25"), "LEN": Decimal("120.0")}


async def received(
    receiving: ReceivingScenario, po: str, item: str, batch: str, quantity: int, unit: str
) -> dict[str, Any]:
    """Post the receipt in ERP; wait until its inspection lot awaits results (or was skipped)."""
    await receiving.receive(po, batch, quantity, unit)
    return await receiving.wait_for_status(item, batch, "awaiting_results", "skipped")


async def inspect_all(
    receiving: ReceivingScenario, state: dict[str, Any], values: dict[str, Decimal]
) -> None:
    plan = state["plan"]
    await receiving.record_samples(
        state["inspection_lot_id"], values, range(1, plan["sample_size"] + 1)
    )


async def scorecard(stack: Stack, supplier: str) -> SupplierScorecard:
    portal = ReferenceSupplierPortalAdapter(stack.settings, stack.http)
    return await portal.get_scorecard(supplier)
