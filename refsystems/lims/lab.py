"""A typed client for people at the laboratory: register a sample, enter results, authorise
or cancel, read samples. Used by the CLI, the demo and tests; speaks the LIMS's dialect."""

import uuid
from decimal import Decimal
from typing import Any

import httpx
from pydantic import TypeAdapter

from refsystems.lims.schemas import Sample, SampleStatus


class LabError(Exception):
    """The LIMS said no (``code`` as in its error body)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class Lab:
    def __init__(self, base_url: str, client: httpx.AsyncClient):
        self.base_url = base_url.rstrip("/")
        self.client = client

    async def _call(
        self,
        method: str,
        path: str,
        answer: Any,
        correlation_id: str | None = None,
        idempotency_key: str | None = None,
        **kwargs: Any,
    ) -> Any:
        headers = {"X-Correlation-ID": correlation_id} if correlation_id else {}
        if method != "GET":
            headers["Idempotency-Key"] = idempotency_key or f"lab-{uuid.uuid4()}"
        response = await self.client.request(
            method, f"{self.base_url}{path}", headers=headers, **kwargs
        )
        if response.is_error:
            try:
                error = response.json()["error"]
                code, message = str(error["code"]), str(error["message"])
            except (ValueError, KeyError, TypeError):
                code, message = str(response.status_code), response.text[:300]
            raise LabError(response.status_code, code, message)
        return TypeAdapter(answer).validate_python(response.json())

    async def register(
        self,
        site: str,
        material: str,
        batch: str,
        quantity: Decimal | str | int,
        unit: str,
        order: str = "",
        registered_by: str = "",
        correlation_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> Sample:
        """Register a sample for a batch (or get the one it already has)."""
        body = {
            "site": site,
            "material": material,
            "batch": batch,
            "order": order,
            "quantity": str(quantity),
            "unit": unit,
            "registered_by": registered_by,
        }
        sample: Sample = await self._call(
            "POST", "/api/samples", Sample, correlation_id, idempotency_key, json=body
        )
        return sample

    async def enter_result(
        self,
        sample_id: str,
        test_code: str,
        analyst: str,
        value: Decimal | str | int | float | None = None,
        text: str = "",
        unit: str = "",
        reason: str = "",
        correlation_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> Sample:
        """One test's result: ``value`` for a numeric test, ``text`` for a qualitative one.
        ``reason`` replaces an earlier result (a retest)."""
        body: dict[str, Any] = {
            "test_code": test_code,
            "text": text,
            "unit": unit,
            "analyst": analyst,
            "reason": reason,
        }
        if value is not None:
            body["value"] = str(value)
        sample: Sample = await self._call(
            "POST",
            f"/api/samples/{sample_id}/results",
            Sample,
            correlation_id,
            idempotency_key,
            json=body,
        )
        return sample

    async def authorize(
        self,
        sample_id: str,
        reviewer: str,
        comment: str = "",
        correlation_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> Sample:
        """Sign the completed results; the reviewer must not have entered any of them."""
        sample: Sample = await self._call(
            "POST",
            f"/api/samples/{sample_id}/authorize",
            Sample,
            correlation_id,
            idempotency_key,
            json={"authorized_by": reviewer, "comment": comment},
        )
        return sample

    async def cancel(
        self,
        sample_id: str,
        cancelled_by: str,
        reason: str,
        correlation_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> Sample:
        sample: Sample = await self._call(
            "POST",
            f"/api/samples/{sample_id}/cancel",
            Sample,
            correlation_id,
            idempotency_key,
            json={"cancelled_by": cancelled_by, "reason": reason},
        )
        return sample

    async def get_sample(self, sample_id: str) -> Sample:
        sample: Sample = await self._call("GET", f"/api/samples/{sample_id}", Sample)
        return sample

    async def list_samples(
        self,
        site: str | None = None,
        material: str | None = None,
        batch: str | None = None,
        order: str | None = None,
        status: SampleStatus | None = None,
    ) -> list[Sample]:
        """Samples matching every filter given, oldest first."""
        query = {"site": site, "material": material, "batch": batch, "order": order}
        params = {k: v for k, v in {**query, "status": status}.items() if v is not None}
        found: list[Sample] = await self._call("GET", "/api/samples", list[Sample], params=params)
        return found

    async def find_sample(
        self, material: str, batch: str, site: str | None = None
    ) -> Sample | None:
        """The batch's current sample: the newest one not cancelled, else the newest one."""
        found = await self.list_samples(site=site, material=material, batch=batch)
        live = [s for s in found if s.status != "cancelled"]
        current = live or found
        return current[-1] if current else None
