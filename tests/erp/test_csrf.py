"""SAP's CSRF handshake: writes need a fetched token; the adapter fetches again once when
the token expired, and the refused attempt does not burn the idempotency key."""

from decimal import Decimal

import httpx

from adapters.erp_sap.adapter import SapErpAdapter
from canonical.commands import ConfirmOperation
from refsystems.erp import SERVICE_ROOT
from refsystems.erp.planner import release_order
from stack.services import RunningService
from tests.erp.conftest import keys
from tests.erp.support import ledger, step_ledger

ORDERS = f"{SERVICE_ROOT}/API_PRODUCTION_ORDER_2_SRV"


async def test_a_write_without_a_valid_token_is_refused_with_required(
    erp: RunningService, client: httpx.AsyncClient
) -> None:
    url = f"{erp.url}{ORDERS}/ReleaseOrder"
    params = {"ManufacturingOrder": "'1000001'"}
    for headers in ({}, {"x-csrf-token": "made-up"}):
        refused = await client.post(url, params=params, headers=headers)
        assert refused.status_code == 403
        assert refused.headers["x-csrf-token"] == "Required"
    assert await ledger(client, erp.url, action="release_order") == []

    fetched = await client.get(f"{erp.url}{ORDERS}/", headers={"x-csrf-token": "Fetch"})
    assert fetched.status_code == 200 and fetched.json()["d"]["EntitySets"]
    assert "SAP_SESSIONID" in fetched.headers["set-cookie"]
    released = await client.post(
        url, params=params, headers={"x-csrf-token": fetched.headers["x-csrf-token"]}
    )
    assert released.status_code == 200
    assert released.json()["d"]["ReleaseOrder"]["SystemMessageType"] == "S"


async def test_adapter_fetches_a_new_token_when_the_session_expired(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await release_order(erp.url, "1000001", client)
    fields = {"order_id": "1000001", "operation_id": "0010", "unit": "EA"}
    first = await adapter.confirm_operation(
        ConfirmOperation(**keys(**fields, yield_quantity=Decimal(1)))
    )
    token = adapter.odata.token

    await client.delete(f"{erp.url}/admin/csrf-tokens")  # the Gateway session times out
    command = ConfirmOperation(**keys(**fields, yield_quantity=Decimal(2)))
    second = await adapter.confirm_operation(command)

    assert adapter.odata.token != token
    assert second.document != first.document and not second.replayed
    assert len(await step_ledger(client, erp.url, command.idempotency_key)) == 1


async def test_a_token_without_its_session_cookie_is_refused(erp: RunningService) -> None:
    url = f"{erp.url}{ORDERS}/ReleaseOrder"
    params = {"ManufacturingOrder": "'1000001'"}
    async with httpx.AsyncClient(timeout=10) as owner, httpx.AsyncClient(timeout=10) as other:
        fetched = await owner.get(f"{erp.url}{ORDERS}/", headers={"x-csrf-token": "Fetch"})
        token = {"x-csrf-token": fetched.headers["x-csrf-token"]}
        stolen = await other.post(url, params=params, headers=token)  # no session cookie
        assert stolen.status_code == 403 and stolen.headers["x-csrf-token"] == "Required"
        other.cookies.set("SAP_SESSIONID_REF_100", "guessed")
        guessed = await other.post(url, params=params, headers=token)
        assert guessed.status_code == 403
        released = await owner.post(url, params=params, headers=token)
        assert released.status_code == 200
