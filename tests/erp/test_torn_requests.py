"""A request the ERP could not read (the body cut short, the client gone) is not remembered
as the answer to its RequestID (the ERP's repeatable requests): the retry with the same key
posts, once."""

import asyncio
from decimal import Decimal

import httpx
import pytest

from adapters.erp_sap.adapter import SapErpAdapter
from adapters.errors import SystemUnavailable
from canonical.commands import GoodsIssue, StockQuery
from canonical.enums import StockStatus
from canonical.plant_config import Settings
from refsystems.erp.planner import release_order
from stack.services import RunningService
from tests.erp.conftest import keys
from tests.erp.support import step_ledger


class Captured(Exception):
    """Stops the adapter's write before it leaves, once it is fully built."""

    def __init__(self, request: httpx.Request):
        super().__init__("captured")
        self.request = request


async def built_request(settings: Settings, command: GoodsIssue) -> httpx.Request:
    """The exact write the adapter sends (URL, CSRF token, RequestID, body)."""

    async def stop_writes(request: httpx.Request) -> None:
        if request.method == "POST":
            await request.aread()
            raise Captured(request)

    async with httpx.AsyncClient(timeout=10, event_hooks={"request": [stop_writes]}) as http:
        with pytest.raises(Captured) as captured:
            await SapErpAdapter(settings, http).post_goods_issue(command)
    return captured.value.request


async def send_torn(request: httpx.Request) -> bytes:
    """Send the headers and half the body on a raw socket, then stop writing (the sender
    died mid-request). Returns whatever the ERP answered before closing the connection."""
    url = request.url
    reader, writer = await asyncio.open_connection(url.host, url.port)
    head = f"{request.method} {url.raw_path.decode()} HTTP/1.1\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in request.headers.items())
    writer.write(head.encode("latin-1") + b"\r\n" + request.content[: len(request.content) // 2])
    await writer.drain()
    writer.write_eof()
    answer = await reader.read()  # until the ERP closes: it has given up on this request
    writer.close()
    await writer.wait_closed()
    return answer


async def test_a_torn_goods_issue_is_not_remembered_and_the_retry_posts_once(
    erp: RunningService, adapter: SapErpAdapter, settings: Settings, client: httpx.AsyncClient
) -> None:
    await release_order(erp.url, "1000001", client)
    fields = {"order_id": "1000001", "item_id": "RM-200", "lot_id": "B2000001", "unit": "KG"}
    command = GoodsIssue(**keys(**fields, quantity=Decimal(50)))

    await send_torn(await built_request(settings, command))
    assert await step_ledger(client, erp.url, command.idempotency_key) == []

    receipt = await adapter.post_goods_issue(command)  # the retry, same key
    assert not receipt.replayed
    assert len(await step_ledger(client, erp.url, command.idempotency_key)) == 1
    again = await adapter.post_goods_issue(command)
    assert again.replayed and again.document == receipt.document
    lot = await adapter.get_lot_stock(StockQuery(plant="P100", item_id="RM-200", lot_id="B2000001"))
    assert lot.quantities[StockStatus.UNRESTRICTED] == Decimal(450)  # 500 less one issue of 50


async def test_a_body_cut_short_on_the_way_is_an_outage_to_the_adapter_not_a_refusal(
    erp: RunningService, adapter: SapErpAdapter, settings: Settings, client: httpx.AsyncClient
) -> None:
    """The ERP receives a whole HTTP message whose JSON body ends half-way (a proxy cut it and
    fixed up Content-Length): it answers 400 UnreadableBody, remembers nothing, and the
    adapter raises a retryable SystemUnavailable."""
    await release_order(erp.url, "1000001", client)
    fields = {"order_id": "1000001", "item_id": "RM-200", "lot_id": "B2000001", "unit": "KG"}
    command = GoodsIssue(**keys(**fields, quantity=Decimal(50)))

    async def cut_body(request: httpx.Request) -> None:
        if request.method == "POST":
            half = (await request.aread())[: len(request.content) // 2]
            request.stream = httpx.ByteStream(half)
            request.headers["content-length"] = str(len(half))

    async with httpx.AsyncClient(timeout=10, event_hooks={"request": [cut_body]}) as damaged:
        with pytest.raises(SystemUnavailable, match="arrived incomplete"):
            await SapErpAdapter(settings, damaged).post_goods_issue(command)
    assert await step_ledger(client, erp.url, command.idempotency_key) == []

    receipt = await adapter.post_goods_issue(command)
    assert not receipt.replayed
    assert len(await step_ledger(client, erp.url, command.idempotency_key)) == 1
