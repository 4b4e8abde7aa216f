"""The plant as people use it: a planner releases orders in ERP, operators work in MES, quality
signs dispositions at the gateway. The demo runs these steps; the end-to-end tests run them too.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx

from refsystems.erp.planner import create_order, release_order
from refsystems.erp.planner import seed_demo as seed_erp
from refsystems.erp.seed import demo_order
from refsystems.mes.shopfloor import ShopFloor
from stack.identity_provider import IdentityProvider
from stack.waiting import poll_until

SITE = "SPRINGFIELD"
OPERATOR = "op.nguyen"
READER = "qa.lee"  # who looks at sagas in the walk-throughs: a person of every demo plant


class PlantScenario:
    def __init__(
        self,
        http: httpx.AsyncClient,
        urls: dict[str, str],
        plant: str = "P100",
        people: IdentityProvider | None = None,
    ):
        self.http = http
        self.urls = urls
        self.plant = plant
        self.people = people
        self.line = ShopFloor(urls["mes"], http)

    async def as_person(self, user: str) -> dict[str, str]:
        """The Authorization header of ``user``, logged in at the stack's OpenID provider."""
        return await as_person(self.people, user)

    async def seed(self) -> None:
        """Load the demo master data into ERP, MES and QMS (harmless when repeated)."""
        await seed_erp(self.urls["erp"], self.http)
        for system in ("mes", "qms", "portal", "lims"):
            if system not in self.urls:
                continue
            response = await self.http.post(f"{self.urls[system]}/admin/seed-demo")
            response.raise_for_status()

    async def new_order(self, order_id: str, output_lot: str) -> str:
        """A planner creates an order like the demo order, with its own number, lot and
        outbound delivery; returns the delivery number."""
        body = demo_order().model_dump(mode="json", exclude_none=True)
        delivery = f"8{order_id:0>9}"[-10:]
        body.update(ManufacturingOrder=order_id, Batch=output_lot, OutboundDelivery=delivery)
        await create_order(self.urls["erp"], body, self.http)
        return delivery

    async def release(self, order_id: str) -> None:
        await release_order(self.urls["erp"], order_id, self.http)

    async def saga(self, order_id: str) -> dict[str, Any]:
        response = await self.http.get(
            f"{self.urls['gateway']}/production-orders/{self.plant}/{order_id}",
            headers=await self.as_person(READER),
        )
        if response.status_code == 404:
            return {}
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    async def wait_for_saga(
        self, order_id: str, check: Callable[[dict[str, Any]], bool], what: str, timeout: float = 60
    ) -> dict[str, Any]:
        return await poll_until(lambda: self.saga(order_id), check, what, timeout)

    async def wait_for_stage(
        self, order_id: str, *stages: str, timeout: float = 60
    ) -> dict[str, Any]:
        return await self.wait_for_saga(
            order_id, lambda s: s.get("stage") in stages, f"order {order_id} in {stages}", timeout
        )

    async def start_and_mix(self, order_id: str, base_lot: str = "B2000001") -> None:
        """Start the job, consume the components, confirm mixing."""
        line = self.line
        await line.start_job(SITE, order_id, OPERATOR)
        await line.consume_material(
            SITE, order_id, "RM-200", base_lot, 50000, "g", "SEG-MIX", OPERATOR
        )
        await line.consume_material(
            SITE, order_id, "PK-300", "B3000001", 1000, "PC", "SEG-FILL", OPERATOR
        )
        await line.confirm_segment(SITE, order_id, "SEG-MIX", 1000, "PC", person_id=OPERATOR)

    async def measure(
        self, order_id: str, sample: str, viscosity: Decimal, person: str = OPERATOR
    ) -> None:
        await self.line.record_test(
            SITE, order_id, "SEG-MIX", "VISC", sample, viscosity, "mPa.s", person
        )

    async def finish_line(self, order_id: str, lot_id: str) -> None:
        line = self.line
        await line.confirm_segment(SITE, order_id, "SEG-FILL", 1000, "PC", person_id=OPERATOR)
        await line.confirm_segment(
            SITE, order_id, "SEG-PACK", 1000, "PC", final=True, person_id=OPERATOR
        )
        await line.complete_job(SITE, order_id, 1000, "PC", lot_id, OPERATOR)

    async def approve(self, order_id: str, body: dict[str, Any]) -> httpx.Response:
        """Sign a disposition as ``body["approver"]`` (sent as that person's token, never in
        the body)."""
        body = dict(body)
        signer = body.pop("approver")
        return await self.http.post(
            f"{self.urls['gateway']}/production-orders/{self.plant}/{order_id}/disposition",
            json=body,
            headers=await self.as_person(signer),
        )

    async def ledger(self, system: str, **params: str) -> list[dict[str, Any]]:
        response = await self.http.get(f"{self.urls[system]}/admin/ledger", params=params)
        response.raise_for_status()
        rows: list[dict[str, Any]] = response.json()
        return rows


async def as_person(people: IdentityProvider | None, user: str) -> dict[str, str]:
    if people is None:
        raise RuntimeError("this scenario acts at the gateway: give it the stack's people")
    return await people.headers(user)
