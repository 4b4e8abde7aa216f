"""The OData query layer answers filters, paging and counts from indexed SQL: the same
answers as before, and the database (not Python over every row) does the selecting."""

from typing import Any

import httpx
from sqlalchemy import event

from refsystems.erp import SERVICE_ROOT
from refsystems.erp.planner import create_order, release_order
from refsystems.erp.seed import demo_order
from stack.services import RunningService

ORDERS = f"{SERVICE_ROOT}/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2"


async def _get(client: httpx.AsyncClient, url: str, **params: str) -> httpx.Response:
    response = await client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response


async def _orders(erp: RunningService, client: httpx.AsyncClient, count: int) -> list[str]:
    numbers = [f"71{n:05d}" for n in range(count)]
    for number in numbers:
        body = demo_order().model_dump(mode="json", exclude_none=True)
        body.update(ManufacturingOrder=number, Batch=f"B{number}", OutboundDelivery=f"8{number}")
        await create_order(erp.url, body, client)
    return numbers


def _statements(erp: RunningService) -> list[tuple[str, Any]]:
    """Every SQL statement the ERP runs from now on, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(erp.app.state.runtime.engine, "before_cursor_execute", record)
    return seen


async def test_filters_paging_and_counts_answer_as_before(
    erp: RunningService, client: httpx.AsyncClient
) -> None:
    numbers = await _orders(erp, client, 6)
    for number in numbers[:2]:
        await release_order(erp.url, number, client)
    url = f"{erp.url}{ORDERS}"
    one = await _get(
        client,
        url,
        **{"$filter": f"ProductionPlant eq '1010' and ManufacturingOrder eq '{numbers[3]}'"},
    )
    assert [o["ManufacturingOrder"] for o in one.json()["d"]["results"]] == [numbers[3]]
    released = await _get(
        client, url, **{"$filter": "OrderIsReleased eq 'X'", "$inlinecount": "allpages"}
    )
    body = released.json()["d"]
    assert [o["ManufacturingOrder"] for o in body["results"]] == numbers[:2]
    assert body["__count"] == "2"
    # A boolean literal never equals a Flag's "X" or "" (as before the change)
    none = await _get(client, url, **{"$filter": "OrderIsReleased eq true"})
    assert none.json()["d"]["results"] == []
    page = await _get(client, url, **{"$top": "2", "$skip": "1", "$inlinecount": "allpages"})
    all_orders = sorted(["1000001", *numbers])  # the demo order is there too
    assert [o["ManufacturingOrder"] for o in page.json()["d"]["results"]] == all_orders[1:3]
    assert page.json()["d"]["__count"] == str(len(all_orders))
    count = await _get(client, f"{url}/$count", **{"$filter": "OrderIsReleased eq ''"})
    assert count.text == str(len(all_orders) - 2)
    # a decimal property is still compared as a number (in Python, on the selected rows)
    decimal = await _get(
        client,
        url,
        **{"$filter": f"ManufacturingOrder eq '{numbers[0]}' and TotalQuantity eq 1000"},
    )
    assert [o["ManufacturingOrder"] for o in decimal.json()["d"]["results"]] == [numbers[0]]


async def test_a_filtered_read_selects_by_index_in_the_database(
    erp: RunningService, client: httpx.AsyncClient
) -> None:
    numbers = await _orders(erp, client, 3)
    statements = _statements(erp)
    await _get(client, f"{erp.url}{ORDERS}", **{"$filter": f"ManufacturingOrder eq '{numbers[1]}'"})
    reads = [(sql, params) for sql, params in statements if "FROM production_order" in sql]
    assert len(reads) == 1 and 'WHERE production_order."ManufacturingOrder" = ?' in reads[0][0], (
        reads
    )
    sql, params = reads[0]
    with erp.app.state.runtime.engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    assert any("USING INDEX" in str(row) for row in plan), plan
