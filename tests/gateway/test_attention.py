"""Operator-action routes refuse bad requests with a clear 4xx before touching any saga."""

import httpx
import pytest

from stack.embedded import Stack

BULK = {"action": "retry", "reason": "ERP is back", "plant": "P100"}


@pytest.fixture
async def as_supervisor(stack: Stack) -> dict[str, str]:
    return await stack.idp.headers("sup.king")


async def test_a_bulk_action_for_an_unknown_plant_is_a_404(
    gateway: httpx.AsyncClient, gateway_url: str, as_supervisor: dict[str, str]
) -> None:
    response = await gateway.post(
        f"{gateway_url}/attention/bulk", json={**BULK, "plant": "P999"}, headers=as_supervisor
    )
    assert response.status_code == 404
    assert response.json()["detail"]["error"] == "UnknownPlant"


@pytest.mark.parametrize(
    ("change", "field"),
    [({"plant": None}, "plant"), ({"reason": ""}, "reason"), ({"action": "undo"}, "action")],
)
async def test_a_bulk_action_without_its_fields_is_a_422(
    gateway: httpx.AsyncClient,
    gateway_url: str,
    as_supervisor: dict[str, str],
    change: dict,
    field: str,
) -> None:
    body = {k: v for k, v in {**BULK, **change}.items() if v is not None}
    response = await gateway.post(f"{gateway_url}/attention/bulk", json=body, headers=as_supervisor)
    assert response.status_code == 422
    assert field in str(response.json()["detail"])


async def test_a_bulk_filter_that_is_not_a_plain_value_is_a_422(
    gateway: httpx.AsyncClient, gateway_url: str, as_supervisor: dict[str, str]
) -> None:
    body = {**BULK, "system": "erp' OR 'x' = 'x"}
    response = await gateway.post(f"{gateway_url}/attention/bulk", json=body, headers=as_supervisor)
    assert response.status_code == 422
    assert response.json()["detail"]["error"] == "InvalidFilter"


@pytest.mark.parametrize(
    ("wf_id", "error"),
    [("supplier-quality-17300001-RM-200", "UnknownSaga"), ("production-order-P100-9", None)],
)
async def test_an_action_on_no_such_saga_is_a_404(
    gateway: httpx.AsyncClient,
    gateway_url: str,
    as_supervisor: dict[str, str],
    wf_id: str,
    error: str | None,
) -> None:
    body = {"action": "retry", "reason": "ERP is back"}
    response = await gateway.post(
        f"{gateway_url}/attention/sagas/{wf_id}", json=body, headers=as_supervisor
    )
    assert response.status_code == 404
    if error:
        assert response.json()["detail"]["error"] == error
