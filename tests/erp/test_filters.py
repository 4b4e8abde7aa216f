"""$filter as a standard OData V2 client writes it: eq ne gt ge lt le, and or not,
parentheses, startswith, endswith and substringof, on strings, numbers and Booleans."""

import httpx
import pytest

from refsystems.erp import SERVICE_ROOT
from stack.services import RunningService

OPERATIONS = f"{SERVICE_ROOT}/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrderOperation_2"
OF_ORDER = "ManufacturingOrder eq '1000001'"


@pytest.mark.parametrize(
    ("condition", "operations"),
    [
        ("ManufacturingOrderOperation ne '0010'", ["0020", "0030"]),
        (
            "ManufacturingOrderOperation gt '0010' and ManufacturingOrderOperation le '0020'",
            ["0020"],
        ),
        (
            "ManufacturingOrderOperation lt '0020' or ManufacturingOrderOperation ge '0030'",
            ["0010", "0030"],
        ),
        ("not (ManufacturingOrderOperation eq '0010')", ["0020", "0030"]),
        ("endswith(ManufacturingOrderOperation,'20')", ["0020"]),
        ("startswith(ManufacturingOrderOperation,'003')", ["0030"]),
        ("substringof('01',ManufacturingOrderOperation) eq true", ["0010"]),
        ("substringof('01',ManufacturingOrderOperation) eq false", ["0020", "0030"]),
        ("OpPlannedTotalQuantity gt 0 and OperationIsConfirmed eq ''", ["0010", "0020", "0030"]),
        ("OpTotalConfirmedYieldQty gt 0.5", []),
    ],
)
async def test_filter_operators(
    erp: RunningService, client: httpx.AsyncClient, condition: str, operations: list[str]
) -> None:
    where = f"{OF_ORDER} and ({condition})"
    answer = await client.get(f"{erp.url}{OPERATIONS}", params={"$filter": where})
    assert answer.status_code == 200, answer.text
    found = [row["ManufacturingOrderOperation"] for row in answer.json()["d"]["results"]]
    assert found == operations
    counted = await client.get(f"{erp.url}{OPERATIONS}/$count", params={"$filter": where})
    assert counted.text == str(len(operations))


@pytest.mark.parametrize(
    "condition",
    [
        "ManufacturingOrder like '1'",
        "(ManufacturingOrder eq '1'",
        "length(ManufacturingOrder) eq 7",
    ],
)
async def test_a_filter_sap_would_not_run_is_refused_plainly(
    erp: RunningService, client: httpx.AsyncClient, condition: str
) -> None:
    answer = await client.get(f"{erp.url}{OPERATIONS}", params={"$filter": condition})
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "/IWBEP/CM_MGW_RT/022"


async def test_orderby_sorts_before_paging(erp: RunningService, client: httpx.AsyncClient) -> None:
    params = {"$filter": OF_ORDER, "$orderby": "ManufacturingOrderOperation desc", "$top": "2"}
    answer = await client.get(f"{erp.url}{OPERATIONS}", params=params)
    assert [r["ManufacturingOrderOperation"] for r in answer.json()["d"]["results"]] == [
        "0030",
        "0020",
    ]
    refused = await client.get(f"{erp.url}{OPERATIONS}", params={"$orderby": "Nope asc"})
    assert refused.status_code == 400
