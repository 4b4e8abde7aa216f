"""Ids the adapter puts into OData key predicates are escaped: looked up literally by the
reference ERP (a 404 naming the id), never turned into another path or a query."""

import httpx
import pytest

from adapters.erp_sap.adapter import SapErpAdapter
from adapters.errors import BusinessRefusal
from canonical.commands import StockQuery

HOSTILE = ["../x%2F21", "1000001?$format=xml", "1000001#x", "/../../../admin/ledger", "1'or'1"]


def sent_paths(client: httpx.AsyncClient) -> list[str]:
    """The raw paths (no query) the adapter's requests carried, as they went on the wire."""
    paths: list[str] = []

    async def record(request: httpx.Request) -> None:
        paths.append(request.url.raw_path.decode().partition("?")[0])

    client.event_hooks["request"].append(record)
    return paths


@pytest.mark.parametrize("order_id", HOSTILE)
async def test_an_order_id_is_one_key_looked_up_literally(
    adapter: SapErpAdapter, client: httpx.AsyncClient, order_id: str
) -> None:
    paths = sent_paths(client)
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.get_production_order("P100", order_id)
    assert refused.value.status_code == 404
    (path,) = paths
    service = "/sap/opu/odata/sap/API_PRODUCTION_ORDER_2_SRV/"
    assert path.startswith(f"{service}A_ProductionOrder_2('"), path
    predicate = path.removeprefix(service)
    assert "/" not in predicate and "?" not in predicate and "#" not in predicate, predicate
    assert ".." not in path.split("/"), path


async def test_a_literal_lookup_names_the_whole_id(adapter: SapErpAdapter) -> None:
    """Unescaped, ``?`` would end the path and ERP would answer with order 1000001."""
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.get_production_order("P100", "1000001?$format=xml")
    assert "1000001?$format=xml" in refused.value.reason


@pytest.mark.parametrize("lot", ["B2000001#x", "B2000001?y=1", "B2000001')"])
async def test_a_batch_key_is_looked_up_literally(adapter: SapErpAdapter, lot: str) -> None:
    """Unescaped, each of these would read batch B2000001's stock."""
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.get_lot_stock(StockQuery(plant="P100", item_id="RM-200", lot_id=lot))
    assert refused.value.code == "UnknownLot"
    assert f"Batch {lot} of material RM-200" in refused.value.reason
