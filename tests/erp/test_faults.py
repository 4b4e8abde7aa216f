"""ERP down or throttling: the adapter raises SystemUnavailable (with Retry-After), nothing
is posted, and the retry with the same key posts exactly once."""

from decimal import Decimal

import httpx
import pytest

from adapters.erp_sap.adapter import SapErpAdapter
from adapters.errors import SystemUnavailable
from canonical.commands import GoodsIssue
from refsystems.erp.planner import release_order
from stack.services import RunningService
from tests.erp.conftest import keys
from tests.erp.support import ledger, step_ledger


def issue() -> GoodsIssue:
    fields = {"order_id": "1000001", "item_id": "RM-200", "lot_id": "B2000001", "unit": "KG"}
    return GoodsIssue(**keys(**fields, quantity=Decimal(5)))


async def _fault(client: httpx.AsyncClient, erp_url: str, **spec: object) -> None:
    response = await client.post(f"{erp_url}/admin/faults", json=spec)
    response.raise_for_status()


async def test_unavailable_erp_raises_and_the_retry_posts_once(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await release_order(erp.url, "1000001", client)
    command = issue()
    await _fault(client, erp.url, kind="unavailable", seconds=30)

    with pytest.raises(SystemUnavailable) as down:
        await adapter.post_goods_issue(command)
    assert "503" in down.value.message
    with pytest.raises(SystemUnavailable):
        await adapter.get_production_order("P100", "1000001")
    assert await ledger(client, erp.url, action="goods_movement 261") == []

    await client.delete(f"{erp.url}/admin/faults")
    posted = await adapter.post_goods_issue(command)
    assert not posted.replayed
    assert len(await step_ledger(client, erp.url, command.idempotency_key)) == 1


async def test_throttling_erp_says_when_to_retry(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await _fault(client, erp.url, kind="throttle", seconds=30, retry_after=2)
    with pytest.raises(SystemUnavailable) as throttled:
        await adapter.post_goods_issue(issue())
    assert throttled.value.retry_after == 2
