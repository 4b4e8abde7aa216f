"""Scorecard arithmetic: lots received/accepted/rejected, open SCARs, and the rating
(100 * accepted inspected / inspected, minus 5 per open SCAR, floored at 0)."""

from decimal import Decimal

import pytest

from adapters.errors import BusinessRefusal, NotFound
from adapters.supplier_portal_reference import ReferenceSupplierPortalAdapter
from canonical.commands import SupplierScorecard
from refsystems.supplier_portal.rules import rating
from tests.supplier_portal import factories as f
from tests.supplier_portal.conftest import Portal


@pytest.mark.parametrize(
    ("accepted", "rejected", "skipped", "open_scars", "expected"),
    [
        (0, 0, 0, 0, "100.0"),  # no evidence against a new supplier
        (0, 0, 0, 3, "85.0"),
        (3, 1, 0, 0, "75.0"),
        (5, 1, 2, 1, "70.0"),  # skip-lots are not inspection evidence: 3 of 4 inspected
        (2, 1, 0, 0, "66.7"),  # rounded half up to one decimal
        (2, 0, 2, 0, "100.0"),  # only skipped lots
        (1, 3, 0, 2, "15.0"),
        (0, 1, 0, 1, "0.0"),  # floored at 0
    ],
)
def test_rating_formula(
    accepted: int, rejected: int, skipped: int, open_scars: int, expected: str
) -> None:
    assert rating(accepted, rejected, skipped, open_scars) == Decimal(expected)


async def test_scorecard_counts_lots_and_open_scars(
    adapter: ReferenceSupplierPortalAdapter, web: Portal
) -> None:
    for batch in ("B1", "B2", "B3"):
        await adapter.record_lot_outcome(f.outcome(batch))
    for batch in ("B4", "B5"):
        await adapter.record_lot_outcome(f.outcome(batch, skipped=True))
    rejected = f.outcome("B6", accepted=False, rejected_quantity=Decimal(120))
    await adapter.record_lot_outcome(rejected)
    scar = await adapter.request_corrective_action(f.scar_request(lot_id="B6"))

    assert await adapter.get_scorecard(f.ACME) == SupplierScorecard(
        supplier=f.ACME,
        lots_received=6,
        lots_accepted=5,
        lots_rejected=1,
        open_corrective_actions=1,
        rating=Decimal("70.0"),
    )
    card = await web.get(f"/api/suppliers/{f.ACME}/scorecard")
    assert (card["lotsSkipped"], card["overdueScars"], card["name"]) == (2, 0, "Acme Chemicals")
    assert "minus 5 per open SCAR" in card["ratingFormula"]

    # A responded SCAR still counts as open; closing it lifts the penalty.
    number = scar.document
    respond = {"responseText": "sorted and re-shipped", "respondedBy": "jo"}
    await web.post(f"/api/scars/{number}/response", respond)
    assert (await adapter.get_scorecard(f.ACME)).open_corrective_actions == 1
    await web.post(f"/api/scars/{number}/close", {"closedBy": "qa.lee"})
    after = await adapter.get_scorecard(f.ACME)
    assert (after.open_corrective_actions, after.rating) == (0, Decimal("75.0"))

    other = await adapter.get_scorecard(f.BUDGET)
    assert (other.lots_received, other.rating) == (0, Decimal("100.0"))


async def test_rating_is_floored_at_zero(adapter: ReferenceSupplierPortalAdapter) -> None:
    await adapter.record_lot_outcome(f.outcome("B7", accepted=False, supplier=f.BUDGET))
    await adapter.request_corrective_action(f.scar_request(supplier=f.BUDGET))
    card = await adapter.get_scorecard(f.BUDGET)
    assert (card.lots_rejected, card.open_corrective_actions, card.rating) == (1, 1, Decimal(0))


async def test_a_lot_is_counted_once(adapter: ReferenceSupplierPortalAdapter, web: Portal) -> None:
    first = await adapter.record_lot_outcome(f.outcome("B8", key="outcome-1"))
    same = await adapter.record_lot_outcome(
        f.outcome("B8", key="outcome-2", quantity=Decimal("1000.00"))
    )
    assert (same.document, same.replayed) == (first.document, True)

    with pytest.raises(BusinessRefusal) as refused:
        await adapter.record_lot_outcome(f.outcome("B8", accepted=False, key="outcome-3"))
    assert refused.value.code == "DuplicateOutcome" and first.document in refused.value.reason

    assert (await adapter.get_scorecard(f.ACME)).lots_received == 1
    assert [e["idempotency_key"] for e in await web.ledger(action="record_lot_outcome")] == [
        "outcome-1"
    ]
    # Same batch number of another material (or supplier) is another lot.
    await adapter.record_lot_outcome(f.outcome("B8", item_id="PK-300", unit="EA"))
    assert (await adapter.get_scorecard(f.ACME)).lots_received == 2


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"accepted": False, "skipped": True}, "skipped lot"),
        ({"quantity": Decimal(10), "rejected_quantity": Decimal(11)}, "exceeds"),
    ],
)
async def test_impossible_outcomes_are_refused(
    adapter: ReferenceSupplierPortalAdapter, overrides: dict, words: str
) -> None:
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.record_lot_outcome(f.outcome("B9", **overrides))
    assert refused.value.code == "InvalidOutcome" and words in refused.value.reason
    assert (await adapter.get_scorecard(f.ACME)).lots_received == 0


async def test_outcome_for_unknown_supplier_and_scorecard_of_one(
    adapter: ReferenceSupplierPortalAdapter,
) -> None:
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.record_lot_outcome(f.outcome("B10", supplier="99999999"))
    assert refused.value.code == "UnknownSupplier"
    with pytest.raises(NotFound):
        await adapter.get_scorecard("99999999")
