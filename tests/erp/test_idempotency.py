"""A retried write (same Idempotency-Key) gets the first answer and posts nothing twice."""

from decimal import Decimal

import httpx

from adapters.erp_sap.adapter import SapErpAdapter
from canonical.commands import (
    ConfirmOperation,
    GoodsIssue,
    SetDeliveryBlock,
    SetLotRestriction,
    StockQuery,
)
from canonical.enums import StockStatus
from refsystems.erp.planner import release_order
from stack.services import RunningService
from tests.erp.conftest import keys
from tests.erp.support import ledger, step_ledger


async def test_same_key_goods_issue_is_posted_once_and_replayed(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await release_order(erp.url, "1000001", client)
    fields = {"order_id": "1000001", "item_id": "RM-200", "lot_id": "B2000001", "unit": "KG"}
    command = GoodsIssue(**keys(**fields, quantity=Decimal(50)))

    first = await adapter.post_goods_issue(command)
    second = await adapter.post_goods_issue(command)

    assert (first.document, first.replayed) == (second.document, False)
    assert second.replayed
    assert len(await step_ledger(client, erp.url, command.idempotency_key)) == 1
    lot = await adapter.get_lot_stock(StockQuery(plant="P100", item_id="RM-200", lot_id="B2000001"))
    assert lot.quantities[StockStatus.UNRESTRICTED] == Decimal(450)


async def test_same_key_confirmation_is_replayed(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await release_order(erp.url, "1000001", client)
    fields = {"order_id": "1000001", "operation_id": "0010", "unit": "EA"}
    command = ConfirmOperation(**keys(**fields, yield_quantity=Decimal(100)))
    first = await adapter.confirm_operation(command)
    second = await adapter.confirm_operation(command)
    assert first.document == second.document and second.replayed
    order = await adapter.get_production_order("P100", "1000001")
    assert order.operations[0].confirmed_yield == Decimal(100)
    assert len(await ledger(client, erp.url, action="confirmation")) == 1


async def test_same_key_hold_steps_are_replayed_step_by_step(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    hold = SetLotRestriction(**keys(item_id="RM-200", lot_id="B2000001", blocked=True))
    block = SetDeliveryBlock(**keys(lot_id="B1000001", blocked=True))
    first_hold, first_block = (
        await adapter.set_lot_restriction(hold),
        await adapter.set_delivery_block(block),
    )
    again_hold, again_block = (
        await adapter.set_lot_restriction(hold),
        await adapter.set_delivery_block(block),
    )

    assert (first_hold.replayed, first_block.replayed) == (False, False)
    assert again_block.replayed and again_block.document == first_block.document
    assert again_hold.replayed and again_hold.document == first_hold.document
    lot = await adapter.get_lot_stock(StockQuery(plant="P100", item_id="RM-200", lot_id="B2000001"))
    assert lot.quantities[StockStatus.BLOCKED] == Decimal(500)
    assert await ledger(client, erp.url, action="goods_movement 344") == []  # status only
    assert len(await ledger(client, erp.url, action="batch_restriction")) == 1
    assert len(await ledger(client, erp.url, action="delivery_block")) == 1
