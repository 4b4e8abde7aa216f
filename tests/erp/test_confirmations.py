"""Operation confirmations and their cancellation, and the order status they drive."""

from decimal import Decimal

import httpx
import pytest

from adapters.erp_sap.adapter import SapErpAdapter
from adapters.errors import BusinessRefusal
from canonical.commands import CancelConfirmation, ConfirmOperation
from canonical.enums import ErpOrderStatus
from refsystems.erp.planner import release_order
from stack.services import RunningService
from tests.erp.conftest import keys
from tests.erp.support import ledger


def confirm(
    operation: str, quantity: str, final: bool = False, scrap: str = "0"
) -> ConfirmOperation:
    return ConfirmOperation(
        **keys(
            order_id="1000001",
            operation_id=operation,
            yield_quantity=Decimal(quantity),
            scrap_quantity=Decimal(scrap),
            unit="EA",
            final=final,
        )
    )


@pytest.fixture
async def released(erp: RunningService, client: httpx.AsyncClient) -> RunningService:
    await release_order(erp.url, "1000001", client)
    return erp


async def test_confirmations_drive_operation_totals_and_order_status(
    released: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    first = await adapter.confirm_operation(confirm("0010", "400", scrap="5"))
    assert first.document == "0000100001/00000001"
    order = await adapter.get_production_order("P100", "1000001")
    assert order.status is ErpOrderStatus.PARTIALLY_CONFIRMED
    mix = order.operations[0]
    assert (mix.confirmed_yield, mix.confirmed_scrap, mix.unit) == (Decimal(400), Decimal(5), "EA")

    await adapter.confirm_operation(confirm("0010", "600", final=True))
    await adapter.confirm_operation(confirm("0020", "1000", final=True))
    last = await adapter.confirm_operation(confirm("0030", "990", final=True))
    assert last.document == "0000100003/00000001"
    assert (
        await adapter.get_production_order("P100", "1000001")
    ).status is ErpOrderStatus.CONFIRMED

    cancelled = await adapter.cancel_confirmation(
        CancelConfirmation(**keys(document=last.document))
    )
    assert cancelled.document == "0000100003/00000002"
    order = await adapter.get_production_order("P100", "1000001")
    assert order.status is ErpOrderStatus.PARTIALLY_CONFIRMED
    assert order.operations[2].confirmed_yield == Decimal(0)
    assert len(await ledger(client, released.url, action="confirmation")) == 4
    assert len(await ledger(client, released.url, action="confirmation_cancel")) == 1


async def test_a_confirmation_is_cancelled_once_and_a_cancellation_never(
    released: RunningService, adapter: SapErpAdapter
) -> None:
    posted = await adapter.confirm_operation(confirm("0020", "10"))
    cancel = await adapter.cancel_confirmation(CancelConfirmation(**keys(document=posted.document)))
    with pytest.raises(BusinessRefusal) as twice:
        await adapter.cancel_confirmation(CancelConfirmation(**keys(document=posted.document)))
    assert twice.value.code == "AlreadyReversed"
    with pytest.raises(BusinessRefusal) as of_cancel:
        await adapter.cancel_confirmation(CancelConfirmation(**keys(document=cancel.document)))
    assert of_cancel.value.code == "NotReversible"
    order = await adapter.get_production_order("P100", "1000001")
    assert order.status is ErpOrderStatus.RELEASED


async def test_unknown_operation_and_unreleased_order_are_refused(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    with pytest.raises(BusinessRefusal) as unreleased:
        await adapter.confirm_operation(confirm("0010", "1"))
    assert unreleased.value.code == "OrderNotReleased"
    await release_order(erp.url, "1000001", client)
    with pytest.raises(BusinessRefusal) as unknown:
        await adapter.confirm_operation(confirm("0040", "1"))
    assert unknown.value.code == "UnknownOperation"
