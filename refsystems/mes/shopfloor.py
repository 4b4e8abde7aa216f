"""A typed client for what operators do at the line; used by the CLI, the demo and tests.

It speaks the MES dialect (it is not an integration adapter). Every action sends an
Idempotency-Key (a fresh one unless given), so a retried click never records twice.
"""

import uuid
from decimal import Decimal
from typing import Any

import httpx

from refsystems.mes.schemas import JobOrder, PackagingVerification

Number = Decimal | int | float | str


class ShopFloorError(Exception):
    """The MES refused (or failed) an operator action; ``code`` is the MES's error code."""

    def __init__(self, status_code: int, code: str, message: str):
        super().__init__(f"{status_code} {code}: {message}")
        self.status_code = status_code
        self.code = code
        self.message = message


def number(value: Number) -> str:
    """A decimal string without exponent ("1E+3" -> "1000")."""
    return format(Decimal(str(value)), "f")


def quantity(value: Number, unit: str) -> dict[str, str]:
    return {"QuantityString": number(value), "UnitOfMeasure": unit}


class ShopFloor:
    def __init__(self, base_url: str, client: httpx.AsyncClient):
        self.base_url = base_url.rstrip("/")
        self.client = client

    def _packaging_url(self, site: str, lot_id: str) -> str:
        return f"{self.base_url}/api/v1/sites/{site}/lots/{lot_id}/packaging-verification"

    def _url(self, site: str, job_id: str, action: str = "") -> str:
        url = f"{self.base_url}/api/v1/sites/{site}/job-orders/{job_id}"
        return f"{url}/{action}" if action else url

    async def _call(self, method: str, url: str, **kwargs: Any) -> Any:
        response = await self.client.request(method, url, **kwargs)
        if response.is_success:
            return response.json()
        try:
            error = response.json()["error"]
            code, message = str(error["code"]), str(error["message"])
        except (ValueError, KeyError, TypeError):
            code, message = str(response.status_code), response.text[:300]
        raise ShopFloorError(response.status_code, code, message)

    async def _act(
        self, site: str, job_id: str, action: str, body: dict[str, Any], key: str | None
    ) -> JobOrder:
        headers = {"Idempotency-Key": key or f"shopfloor-{uuid.uuid4()}"}
        data = await self._call("POST", self._url(site, job_id, action), json=body, headers=headers)
        return JobOrder.model_validate(data)

    async def get_job(self, site: str, job_id: str) -> JobOrder:
        return JobOrder.model_validate(await self._call("GET", self._url(site, job_id)))

    async def list_jobs(self, site: str, status: str | None = None) -> list[JobOrder]:
        """A site's job orders, all or those with one DispatchStatus (e.g. Held)."""
        params = {"DispatchStatus": status} if status else {}
        url = f"{self.base_url}/api/v1/sites/{site}/job-orders"
        return [JobOrder.model_validate(j) for j in await self._call("GET", url, params=params)]

    async def accept_job(
        self, site: str, job_id: str, *, idempotency_key: str | None = None
    ) -> JobOrder:
        """Accept a Waiting job order by hand (sites with AutoAccept off)."""
        return await self._act(site, job_id, "accept", {}, idempotency_key)

    async def start_job(
        self, site: str, job_id: str, person_id: str = "", *, idempotency_key: str | None = None
    ) -> JobOrder:
        return await self._act(site, job_id, "start", {"PersonID": person_id}, idempotency_key)

    async def pause_job(
        self, site: str, job_id: str, reason: str = "", *, idempotency_key: str | None = None
    ) -> JobOrder:
        """B2MML Pause: the line stops a Running job for a while (Suspended)."""
        return await self._act(site, job_id, "pause", {"Reason": reason}, idempotency_key)

    async def resume_job(
        self, site: str, job_id: str, reason: str = "", *, idempotency_key: str | None = None
    ) -> JobOrder:
        """B2MML Resume: a Suspended job runs again."""
        return await self._act(site, job_id, "resume", {"Reason": reason}, idempotency_key)

    async def consume_material(
        self,
        site: str,
        job_id: str,
        material_id: str,
        lot_id: str,
        quantity_: Number,
        unit: str,
        segment_id: str | None = None,
        person_id: str = "",
        *,
        idempotency_key: str | None = None,
    ) -> JobOrder:
        body = {
            "MaterialDefinitionID": material_id,
            "MaterialLotID": lot_id,
            "Quantity": quantity(quantity_, unit),
            "SegmentID": segment_id,
            "PersonID": person_id,
        }
        return await self._act(site, job_id, "material-actuals", body, idempotency_key)

    async def confirm_segment(
        self,
        site: str,
        job_id: str,
        segment_id: str,
        produced: Number,
        unit: str,
        scrap: Number = 0,
        final: bool = False,
        person_id: str = "",
        *,
        idempotency_key: str | None = None,
    ) -> JobOrder:
        body = {
            "SegmentID": segment_id,
            "ProducedQuantity": quantity(produced, unit),
            "ScrapQuantity": quantity(scrap, unit),
            "Final": final,
            "PersonID": person_id,
        }
        return await self._act(site, job_id, "segment-responses", body, idempotency_key)

    async def record_test(
        self,
        site: str,
        job_id: str,
        segment_id: str,
        test_spec_id: str,
        sample_id: str,
        value: Number,
        unit: str,
        person_id: str,
        *,
        idempotency_key: str | None = None,
    ) -> JobOrder:
        """A measurement at a control point; test_spec_id is the QMS characteristic."""
        body = {
            "SegmentID": segment_id,
            "TestSpecificationID": test_spec_id,
            "SampleID": sample_id,
            "Result": {"ValueString": number(value), "UnitOfMeasure": unit},
            "PersonID": person_id,
        }
        return await self._act(site, job_id, "test-results", body, idempotency_key)

    async def complete_job(
        self,
        site: str,
        job_id: str,
        good_quantity: Number,
        unit: str,
        lot_id: str | None = None,
        person_id: str = "",
        *,
        idempotency_key: str | None = None,
    ) -> JobOrder:
        body = {
            "GoodQuantity": quantity(good_quantity, unit),
            "MaterialLotID": lot_id,
            "PersonID": person_id,
        }
        return await self._act(site, job_id, "job-response", body, idempotency_key)

    async def verify_packaging(
        self,
        site: str,
        lot_id: str,
        person_id: str,
        checks: dict[str, bool],
        material_id: str | None = None,
        remarks: str = "",
        *,
        idempotency_key: str | None = None,
    ) -> PackagingVerification:
        """Record a lot's packaging & labelling verification: ``checks`` maps each CheckID
        (LabelText, LotCodePrinted, CountMatches, LineClearance, SealIntegrity) to passed.
        ``material_id`` is needed for a lot with no job order at this MES."""
        body: dict[str, Any] = {
            "PersonID": person_id,
            "Checks": [
                {"CheckID": check_id, "Result": "Passed" if passed else "Failed"}
                for check_id, passed in checks.items()
            ],
            "Remarks": remarks,
        }
        if material_id is not None:
            body["MaterialDefinitionID"] = material_id
        headers = {"Idempotency-Key": idempotency_key or f"shopfloor-{uuid.uuid4()}"}
        url = self._packaging_url(site, lot_id)
        data = await self._call("POST", url, json=body, headers=headers)
        return PackagingVerification.model_validate(data)

    async def get_packaging_verification(
        self, site: str, lot_id: str
    ) -> PackagingVerification | None:
        """The lot's verification, or None when it has not been verified."""
        try:
            data = await self._call("GET", self._packaging_url(site, lot_id))
        except ShopFloorError as exc:
            if exc.code == "PackagingVerificationNotFound":
                return None
            raise
        return PackagingVerification.model_validate(data)
