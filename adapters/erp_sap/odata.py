"""Speaking SAP's OData V2: value formats, SAP error bodies, and the CSRF-token session.

Works the same against a plant's S/4HANA and the bundled reference ERP.
"""

import asyncio
import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import httpx

from adapters.errors import BusinessRefusal
from adapters.http import CORRELATION_HEADER, send

SYSTEM = "erp"
SERVICE_ROOT = "/sap/opu/odata/sap"
CSRF_HEADER = "x-csrf-token"
CSRF_REQUIRED = "CsrfTokenRequired"
_EDM_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")

RefusalCode = Callable[[httpx.Response], tuple[str, str]]


# --- values ------------------------------------------------------------------------------


def edm_decimal(value: Decimal) -> str:
    """Edm.Decimal travels as a string: ``Decimal('50')`` -> ``"50.000"``."""
    return f"{value:.3f}"


def parse_decimal(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def edm_datetime(value: datetime) -> str:
    return f"/Date({round(value.timestamp() * 1000)})/"


def parse_datetime(value: Any) -> datetime | None:
    match = _EDM_DATE.match(value) if isinstance(value, str) else None
    return datetime.fromtimestamp(int(match.group(1)) / 1000, UTC) if match else None


def today() -> datetime:
    """SAP posting dates are dates: midnight UTC."""
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def is_set(flag: Any) -> bool:
    """Status flags are 'X' or '' (some services use Edm.Boolean)."""
    return flag is True or flag == "X"


def literal(value: str) -> str:
    """An OData V2 string literal: quoted, with each ``'`` doubled (for $filter and function
    parameters, which httpx percent-encodes as query parameters)."""
    return "'" + value.replace("'", "''") + "'"


def _key_literal(value: str) -> str:
    """A string literal inside a key predicate, which is part of the path: percent-encoded too,
    so ``/``, ``?``, ``#``, ``%`` or ``..`` in a value never change the path or the query."""
    return quote(literal(value), safe="'")


def key(*values: str, **named: str) -> str:
    """``key('1000001')`` -> ``('1000001')``; ``key(A='1', B='2')`` -> ``(A='1',B='2')``."""
    if values:
        return "(" + ",".join(_key_literal(v) for v in values) + ")"
    return "(" + ",".join(f"{k}={_key_literal(v)}" for k, v in named.items()) + ")"


def eq_filter(**conditions: str) -> str:
    return " and ".join(f"{prop} eq {literal(value)}" for prop, value in conditions.items())


def function_params(**params: str) -> dict[str, str]:
    return {name: literal(value) for name, value in params.items()}


def sap_error(response: httpx.Response) -> tuple[str, str]:
    """``{"error": {"code", "message": {"value"}}}`` -> (SAP code, message)."""
    if response.status_code == 403 and response.headers.get(CSRF_HEADER, "").lower() == "required":
        return CSRF_REQUIRED, "CSRF token validation failed"
    try:
        error = response.json()["error"]
        message = error.get("message", "")
        text = message.get("value", "") if isinstance(message, dict) else str(message)
        return str(error.get("code", "")), text
    except (ValueError, KeyError, TypeError, AttributeError):
        return "", response.text[:500]


# --- the session -------------------------------------------------------------------------


class ODataSession:
    """One ERP's conversation: reads, and writes with a CSRF token fetched lazily and
    fetched again once when the server answers 403 ``x-csrf-token: Required``.

    The token's session cookie stays in the httpx client's cookie jar.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        refusal_code: RefusalCode,
        system: str = SYSTEM,
    ):
        self.system = system  # who answers: "erp", or "qms" where S/4 QM is the plant's QMS
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.refusal_code = refusal_code
        self.token: str | None = None
        self._token_lock = asyncio.Lock()

    def url(self, service: str, path: str = "") -> str:
        return f"{self.base_url}{SERVICE_ROOT}/{service}/{path}"

    async def get(
        self,
        service: str,
        path: str,
        params: dict[str, str] | None = None,
        correlation_id: str = "",
    ) -> Any:
        """GET and return the payload under ``d`` (an entity, or ``{"results": [...]}``)."""
        headers = {"Accept": "application/json"}
        if correlation_id:
            headers[CORRELATION_HEADER] = correlation_id
        response = await send(
            self.client,
            self.system,
            "GET",
            self.url(service, path),
            refusal_code=self.refusal_code,
            params=params,
            headers=headers,
        )
        return response.json()["d"]

    async def results(
        self, service: str, path: str, params: dict[str, str], correlation_id: str = ""
    ) -> list[dict[str, Any]]:
        data = await self.get(service, path, params, correlation_id)
        results: list[dict[str, Any]] = data["results"]
        return results

    async def write(
        self,
        method: str,
        service: str,
        path: str,
        headers: dict[str, str],
        json: Any = None,
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        for attempt in (1, 2):
            token = await self._token(service, headers.get(CORRELATION_HEADER, ""), attempt > 1)
            try:
                return await send(
                    self.client,
                    self.system,
                    method,
                    self.url(service, path),
                    refusal_code=self.refusal_code,
                    json=json,
                    params=params,
                    headers={**headers, CSRF_HEADER: token, "Accept": "application/json"},
                )
            except BusinessRefusal as exc:
                if exc.code != CSRF_REQUIRED or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _token(self, service: str, correlation_id: str, refresh: bool) -> str:
        async with self._token_lock:
            if self.token is None or refresh:
                headers = {CSRF_HEADER: "Fetch", "Accept": "application/json"}
                if correlation_id:
                    headers[CORRELATION_HEADER] = correlation_id
                response = await send(
                    self.client,
                    self.system,
                    "GET",
                    self.url(service),
                    refusal_code=self.refusal_code,
                    headers=headers,
                )
                token = response.headers.get(CSRF_HEADER)
                if not token:
                    raise BusinessRefusal(
                        self.system, CSRF_REQUIRED, "the ERP issued no CSRF token"
                    )
                self.token = token
            return self.token
