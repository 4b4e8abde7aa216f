"""Every key and every link the reference ERP writes leads somewhere: on the seeded demo
database (with a posted goods issue and a confirmation), each entity's ``__metadata.uri``
and each ``__deferred`` navigation link answers 200, composite keys included."""

from decimal import Decimal

import httpx

from adapters.erp_sap.adapter import SapErpAdapter
from canonical.commands import ConfirmOperation, GoodsIssue
from refsystems.erp import SERVICE_ROOT
from refsystems.erp.planner import release_order
from refsystems.erp.schemas.entities import ENTITY_TYPES
from stack.services import RunningService
from tests.erp.conftest import keys
from tests.erp.support import inspected_lot


async def test_every_metadata_uri_and_deferred_link_resolves(
    erp: RunningService, adapter: SapErpAdapter, client: httpx.AsyncClient
) -> None:
    await release_order(erp.url, "1000001", client)
    issue = {"order_id": "1000001", "item_id": "RM-200", "lot_id": "B2000001", "unit": "KG"}
    await adapter.post_goods_issue(GoodsIssue(**keys(**issue, quantity=Decimal(5))))
    await adapter.confirm_operation(
        ConfirmOperation(
            **keys(order_id="1000001", operation_id="0010", unit="EA", yield_quantity=Decimal(1))
        )
    )
    await inspected_lot(client, erp.url)
    links: list[str] = []
    for entity_set, kind in ENTITY_TYPES.items():
        listed = await client.get(f"{erp.url}{SERVICE_ROOT}/{kind.SERVICE}/{entity_set}")
        rows = listed.json()["d"]["results"]
        assert rows, f"{entity_set} is empty on the demo database"
        for row in rows:
            links.append(row["__metadata"]["uri"])
            links += [v["__deferred"]["uri"] for v in row.values() if "__deferred" in str(v)]
    broken = []
    for link in links:
        answer = await client.get(link, headers={"Accept": "application/json"})
        if answer.status_code != 200:
            broken.append((link, answer.status_code))
    assert broken == []
    assert len(links) > 22
