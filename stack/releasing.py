"""Releasing finished lots as people do it: the lab tests and authorises, packaging verifies
on the line, quality signs. The demo and the release tests run these steps."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx

from refsystems.lims.lab import Lab
from refsystems.mes.shopfloor import ShopFloor
from stack.identity_provider import IdentityProvider
from stack.scenario import READER, as_person
from stack.waiting import poll_until

LAB_SITE = "LAB-SPR"
MES_SITE = "SPRINGFIELD"
ANALYST = "lab.kim"
REVIEWER = "lab.ray"
GOOD_LAB = {"PH": "6.2", "VISC": "12000", "MICRO_TPC": "10", "APPEARANCE": "conforms"}
ALL_CHECKS = ("LabelText", "LotCodePrinted", "CountMatches", "LineClearance", "SealIntegrity")


class ReleaseScenario:
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
        self.lab = Lab(urls["lims"], http)
        self.line = ShopFloor(urls["mes"], http)

    def _path(self, item: str, lot: str) -> str:
        return f"{self.urls['gateway']}/releases/{self.plant}/{item}/{lot}"

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
            item, lot, lambda s: s.get("status") in statuses, f"release of {lot} in {statuses}"
        )

    async def lab_tests(
        self, item: str, lot: str, values: dict[str, str] | None = None, analyst: str = ANALYST
    ) -> None:
        """Analysts enter every test of the lot's sample; a reviewer authorises them."""
        sample = await poll_until(
            lambda: self.lab.find_sample(item, lot, LAB_SITE),
            lambda s: s is not None,
            f"a LIMS sample for {lot}",
        )
        assert sample is not None
        for test, value in (values or GOOD_LAB).items():
            numeric = value.replace(".", "", 1).isdigit()
            await self.lab.enter_result(
                sample.sample_id,
                test,
                analyst,
                value=Decimal(value) if numeric else None,
                text="" if numeric else value,
            )
        await self.lab.authorize(sample.sample_id, REVIEWER)

    async def verify_packaging(
        self,
        item: str,
        lot: str,
        person: str = "op.nguyen",
        failed: tuple[str, ...] = (),
        elsewhere: bool = False,
    ) -> None:
        checks = {check: check not in failed for check in ALL_CHECKS}
        await self.line.verify_packaging(
            MES_SITE, lot, person, checks, material_id=item if elsewhere else None
        )

    async def approve(
        self, item: str, lot: str, approver: str = "qa.lee", verdict: str = "approve"
    ) -> httpx.Response:
        """Sign the release as ``approver`` (their token; the body does not name them)."""
        body = {"verdict": verdict, "reason": "batch record reviewed"}
        return await self.http.post(
            f"{self._path(item, lot)}/approval",
            json=body,
            headers=await as_person(self.people, approver),
        )

    async def reconcile(self, item: str, lot: str, requested_by: str = "qa.lee") -> httpx.Response:
        return await self.http.post(
            f"{self._path(item, lot)}/reconcile", headers=await as_person(self.people, requested_by)
        )

    async def certificate(self, item: str, lot: str) -> httpx.Response:
        return await self.http.get(
            f"{self._path(item, lot)}/certificate", headers=await as_person(self.people, READER)
        )
