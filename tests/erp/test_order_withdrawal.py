"""Withdrawing a compensated order the S/4HANA way: TECO and the deletion flag
(DeletionFlagOrder, ``OrderIsMarkedForDeletion``), refused while a posting still stands; a
flagged order takes no release and no posting."""

import httpx
import pytest

from adapters.erp_sap.adapter import SapErpAdapter
from adapters.errors import BusinessRefusal
from canonical.commands import ReverseDocument, WithdrawOrder
from canonical.enums import ErpOrderStatus
from refsystems.erp.planner import release_order
from stack.services import RunningService
from tests.erp.conftest import keys
from tests.erp.support import ledger
from tests.erp.test_goods_movements import issue


async def test_withdrawal_waits_for_every_posting_to_be_reversed(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await release_order(erp.url, "1000001", client)
    posted = await adapter.post_goods_issue(issue())

    with pytest.raises(BusinessRefusal) as refused:
        await adapter.withdraw_order(WithdrawOrder(**keys(order_id="1000001")))
    assert refused.value.code == "OrderHasOpenPostings"
    assert posted.document in refused.value.reason
    order = await adapter.get_production_order("P100", "1000001")
    assert order.status is ErpOrderStatus.TECHNICALLY_COMPLETE  # TECO landed, DLFL did not

    await adapter.reverse_material_document(ReverseDocument(**keys(document=posted.document)))
    receipt = await adapter.withdraw_order(WithdrawOrder(**keys(order_id="1000001")))
    assert receipt.document == "1000001"
    order = await adapter.get_production_order("P100", "1000001")
    assert order.status is ErpOrderStatus.MARKED_FOR_DELETION
    assert len(await ledger(client, erp.url, action="deletion_flag")) == 1

    # A repeated compensation (new keys) finds it done; ERP flags the order once.
    await adapter.withdraw_order(WithdrawOrder(**keys(order_id="1000001")))
    assert len(await ledger(client, erp.url, action="deletion_flag")) == 1


async def test_a_flagged_order_takes_no_posting(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await release_order(erp.url, "1000001", client)
    await adapter.withdraw_order(WithdrawOrder(**keys(order_id="1000001")))
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.post_goods_issue(issue())
    assert refused.value.code == "OrderFlaggedForDeletion"
    assert "CO/302" in refused.value.reason
