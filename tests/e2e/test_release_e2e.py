"""Production order chained into its finished goods release, on the real dev server."""

from collections import Counter

from stack.demo import walk_order, walk_release
from stack.embedded import Stack
from stack.releasing import ReleaseScenario
from stack.scenario import PlantScenario
from tests.e2e.conftest import urls


async def test_a_produced_lot_is_released_by_its_chained_saga(dev_stack: Stack) -> None:
    addresses = urls(dev_stack)
    plant = PlantScenario(dev_stack.http, addresses, people=dev_stack.idp)
    await plant.seed()
    order = await walk_order(plant, "3100001", "B3100001", lambda _: None)
    assert order["release_workflow_id"] == "finished-goods-release-P100-FG-1000-B3100001"

    releasing = ReleaseScenario(dev_stack.http, addresses, people=dev_stack.idp)
    release = await walk_release(releasing, "B3100001", lambda _: None)
    assert release["status"] == "released" and not release["shipment_blocked"]
    assert release["correlation_id"] == order["correlation_id"]  # one id, order to release

    lims = Counter(
        r["action"] for r in await plant.ledger("lims", correlation_id=release["correlation_id"])
    )
    assert lims["register_sample"] == 1
    certificate = await releasing.certificate("FG-1000", "B3100001")
    assert certificate.status_code == 200 and "B3100001" in certificate.text
    audit = (
        await dev_stack.http.get(
            f"{addresses['gateway']}/releases/P100/FG-1000/B3100001/audit",
            headers=await dev_stack.idp.headers("qa.ortiz"),
        )
    ).json()
    assert [e["action"] for e in audit][-1] == "shipment block lifted"
    listed = (
        await dev_stack.http.get(
            f"{addresses['gateway']}/releases",
            params={"plant": "P100", "status": "released"},
            headers=await dev_stack.idp.headers("qa.ortiz"),
        )
    ).json()
    assert [row["Lot"] for row in listed] == ["B3100001"]
