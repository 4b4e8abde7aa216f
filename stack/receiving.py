"""Receiving at the plant as people do it: the warehouse posts a goods receipt in ERP, the lab
records results in QMS, quality may override, purchasing may cancel the order. The demo and
the receipt tests run these steps."""

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import httpx

from refsystems.erp.planner import cancel_purchase_order, post_po_goods_receipt
from refsystems.qms.inspector import Inspector
from stack.identity_provider import IdentityProvider
from stack.scenario import READER, as_person
from stack.waiting import poll_until

LAB = "lab.kim"


class ReceivingScenario:
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
        self.lab = Inspector(urls["qms"], http, user=LAB)

    async def receive(
        self, purchase_order: str, batch: str, quantity: Decimal | int, unit: str
    ) -> dict[str, Any]:
        """The warehouse posts the goods receipt; ERP puts it in quality inspection and tells
        the gateway."""
        return await post_po_goods_receipt(
            self.urls["erp"], purchase_order, "00010", batch, Decimal(quantity), unit, self.http
        )

    async def cancel_purchase_order(self, purchase_order: str) -> None:
        await cancel_purchase_order(self.urls["erp"], purchase_order, self.http)

    def _path(self, item: str, lot: str) -> str:
        return f"{self.urls['gateway']}/receipts/{self.plant}/{item}/{lot}"

    async def state(self, item: str, lot: str) -> dict[str, Any]:
        response = await self.http.get(
            self._path(item, lot), headers=await as_person(self.people, READER)
        )
        if response.status_code == 404:
            return {}
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    async def wait_for(
        self, item: str, lot: str, check: Callable[[dict[str, Any]], bool], what: str
    ) -> dict[str, Any]:
        return await poll_until(lambda: self.state(item, lot), check, what, timeout=60)

    async def wait_for_status(self, item: str, lot: str, *statuses: str) -> dict[str, Any]:
        return await self.wait_for(
            item, lot, lambda s: s.get("status") in statuses, f"lot {lot} in {statuses}"
        )

    async def record_samples(
        self, lot_number: str, values: Mapping[str, Decimal | str], samples: range
    ) -> None:
        """The lab records each characteristic of each sample."""
        for sample in samples:
            for characteristic, value in values.items():
                await self.lab.record_result(lot_number, characteristic, f"S{sample}", value)

    async def override(self, item: str, lot: str, body: dict[str, Any]) -> httpx.Response:
        """Override as ``body["engineer"]`` (sent as that person's token, not in the body)."""
        body = dict(body)
        signer = body.pop("engineer")
        return await self.http.post(
            f"{self._path(item, lot)}/override",
            json=body,
            headers=await as_person(self.people, signer),
        )

    async def ledger(self, system: str, **params: str) -> list[dict[str, Any]]:
        response = await self.http.get(f"{self.urls[system]}/admin/ledger", params=params)
        response.raise_for_status()
        rows: list[dict[str, Any]] = response.json()
        return rows
