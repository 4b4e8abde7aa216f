"""The HTTP plumbing of the QMS's typed clients: headers, the dialect's errors, typed answers."""

import uuid
from typing import Any

import httpx
from pydantic import TypeAdapter


class InspectorError(Exception):
    """The QMS said no (``code`` as in its error body) or could not be reached."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class QmsClient:
    """``user`` signs what this client records when a call names nobody else."""

    def __init__(self, base_url: str, client: httpx.AsyncClient, user: str = ""):
        self.base_url = base_url.rstrip("/")
        self.client = client
        self.user = user

    async def _request(
        self,
        method: str,
        path: str,
        correlation_id: str | None = None,
        idempotency_key: str | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send one call (a write with an idempotency key); a refusal raises InspectorError."""
        headers = {"X-Correlation-ID": correlation_id} if correlation_id else {}
        if method != "GET":
            headers["Idempotency-Key"] = idempotency_key or f"inspector-{uuid.uuid4()}"
        response = await self.client.request(
            method, f"{self.base_url}{path}", headers=headers, **kwargs
        )
        if response.is_error:
            try:
                error = response.json()["error"]
                code, message = str(error["code"]), str(error["message"])
            except (ValueError, KeyError, TypeError):
                code, message = str(response.status_code), response.text[:300]
            raise InspectorError(response.status_code, code, message)
        return response

    async def _call(
        self,
        method: str,
        path: str,
        answer: Any,
        correlation_id: str | None = None,
        idempotency_key: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """Like ``_request``, with the JSON answer validated as ``answer``."""
        response = await self._request(method, path, correlation_id, idempotency_key, **kwargs)
        return TypeAdapter(answer).validate_python(response.json())
