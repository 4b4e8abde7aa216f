"""/production-orders: an unknown order is a 404; a malformed approval is a 422 naming the
missing field, before anything reaches Temporal."""

from typing import Any

import httpx
import pytest

from stack.embedded import Stack
from tests.gateway.support import new_order_id
from workflows.production_order import workflow_id

APPROVAL = {
    "nonconformance_id": "QN10000001",
    "decision": "use_as_is",
    "reason": "viscosity excursion reviewed, within process capability",
}


async def test_the_state_of_an_unknown_order_is_a_404(
    gateway: httpx.AsyncClient, gateway_url: str, as_qa: dict[str, str]
) -> None:
    order_id = new_order_id()
    response = await gateway.get(f"{gateway_url}/production-orders/P100/{order_id}", headers=as_qa)
    assert response.status_code == 404
    assert workflow_id("P100", order_id) in response.json()["detail"]


@pytest.fixture
async def as_qa(stack: Stack) -> dict[str, str]:
    """A quality manager of P100, freshly logged in at the stack's OpenID provider."""
    return await stack.idp.headers("qa.lee")


@pytest.mark.parametrize("missing", ["reason", "decision", "nonconformance_id"])
async def test_an_approval_missing_a_field_is_a_422_naming_it(
    gateway: httpx.AsyncClient, gateway_url: str, as_qa: dict[str, str], missing: str
) -> None:
    body = {k: v for k, v in APPROVAL.items() if k != missing}
    response = await gateway.post(
        f"{gateway_url}/production-orders/P100/{new_order_id()}/disposition",
        json=body,
        headers=as_qa,
    )
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", missing]]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "ok"}, "reason"),
        ({"decision": "maybe"}, "decision"),
        ({"record_digest": "md5:abc"}, "record_digest"),
    ],
)
async def test_an_approval_with_a_bad_field_is_a_422_naming_it(
    gateway: httpx.AsyncClient,
    gateway_url: str,
    as_qa: dict[str, str],
    changes: dict[str, Any],
    field: str,
) -> None:
    response = await gateway.post(
        f"{gateway_url}/production-orders/P100/{new_order_id()}/disposition",
        json={**APPROVAL, **changes},
        headers=as_qa,
    )
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", field]]


async def test_an_approval_for_an_unknown_order_is_a_404(
    gateway: httpx.AsyncClient, gateway_url: str, as_qa: dict[str, str]
) -> None:
    order_id = new_order_id()
    response = await gateway.post(
        f"{gateway_url}/production-orders/P100/{order_id}/disposition", json=APPROVAL, headers=as_qa
    )
    assert response.status_code == 404
    assert workflow_id("P100", order_id) in response.json()["detail"]


async def test_an_attention_resolution_for_an_unknown_order_is_a_404(
    gateway: httpx.AsyncClient, gateway_url: str, as_qa: dict[str, str]
) -> None:
    order_id = new_order_id()
    body = {"action": "retry", "reason": "ERP is back"}
    response = await gateway.post(
        f"{gateway_url}/production-orders/P100/{order_id}/attention", json=body, headers=as_qa
    )
    assert response.status_code == 404


@pytest.mark.parametrize("field", ["plant", "stage"])
async def test_a_filter_that_is_not_a_plain_value_is_refused_before_any_query(
    gateway: httpx.AsyncClient, gateway_url: str, as_qa: dict[str, str], field: str
) -> None:
    value = "P100' OR 'x' = 'x"
    response = await gateway.get(
        f"{gateway_url}/production-orders", params={field: value}, headers=as_qa
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert value in detail["message"]
    assert detail["field"] == {"plant": "Plant", "stage": "SagaStage"}[field]
