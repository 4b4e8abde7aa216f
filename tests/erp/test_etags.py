"""Updates the way SAP Gateway guards them: the entity's ETag (``__metadata.etag``) in
If-Match; none is 428, a stale one 412, and neither changes anything."""

import httpx

from refsystems.erp import SERVICE_ROOT
from stack.services import RunningService
from tests.erp.support import ledger

DELIVERY = f"{SERVICE_ROOT}/API_OUTBOUND_DELIVERY_SRV/A_OutbDeliveryHeader('80000001')"


async def test_an_update_needs_the_current_etag(
    erp: RunningService, client: httpx.AsyncClient
) -> None:
    fetched = await client.get(
        f"{erp.url}{DELIVERY}", headers={"x-csrf-token": "Fetch", "Accept": "application/json"}
    )
    etag = fetched.json()["d"]["__metadata"]["etag"]
    csrf = {"x-csrf-token": fetched.headers["x-csrf-token"]}
    url = f"{erp.url}{DELIVERY}"

    missing = await client.patch(url, json={"DeliveryBlockReason": "01"}, headers=csrf)
    assert missing.status_code == 428

    changed = await client.patch(
        url, json={"DeliveryBlockReason": "01"}, headers={**csrf, "If-Match": etag}
    )
    assert changed.status_code == 204
    stale = await client.patch(
        url, json={"DeliveryBlockReason": ""}, headers={**csrf, "If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "/IWBEP/CM_MGW_RT/PRECONDITION_FAILED"

    now = (await client.get(url, headers={"Accept": "application/json"})).json()["d"]
    assert now["DeliveryBlockReason"] == "01" and now["__metadata"]["etag"] != etag
    assert len(await ledger(client, erp.url, action="delivery_block")) == 1
