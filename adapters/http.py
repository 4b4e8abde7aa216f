"""The HTTP plumbing every adapter shares: headers, error classification, Retry-After."""

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx
from opentelemetry import trace

from adapters.errors import BusinessRefusal, NotFound, SystemUnavailable

IDEMPOTENCY_HEADER = "Idempotency-Key"
CORRELATION_HEADER = "X-Correlation-ID"
UNREADABLE_BODY = "UnreadableBody"  # refsystems.common.idempotency's code, by value


def segment(value: str) -> str:
    """One URL path segment, whatever it holds: ``../x%2F21`` stays one segment, looked up
    literally, and can never climb to another path. ``.`` and ``..`` are unreserved
    characters that quote() keeps, and URL normalisation would resolve them: encoded."""
    escaped = quote(value, safe="")
    return escaped.replace(".", "%2E") if set(value) == {"."} else escaped


def write_headers(idempotency_key: str, correlation_id: str) -> dict[str, str]:
    return {IDEMPOTENCY_HEADER: idempotency_key, CORRELATION_HEADER: correlation_id}


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Parse Retry-After as seconds or an HTTP date."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


async def send(
    client: httpx.AsyncClient,
    system: str,
    method: str,
    url: str,
    refusal_code: Any = None,
    **kwargs: Any,
) -> httpx.Response:
    """Send a request and classify failures.

    ``refusal_code`` turns a 4xx response into a canonical error type: a callable taking
    the response and returning ``(code, reason)``.
    """
    correlation_id = (kwargs.get("headers") or {}).get(CORRELATION_HEADER)
    if correlation_id:  # one id finds the whole trace of a trigger
        trace.get_current_span().set_attribute("plantflow.correlation_id", correlation_id)
    try:
        response = await client.request(method, url, **kwargs)
    except httpx.TimeoutException as exc:
        raise SystemUnavailable(system, f"timeout calling {method} {url}: {exc!r}") from exc
    except httpx.TransportError as exc:
        raise SystemUnavailable(system, f"cannot reach {url}: {exc!r}") from exc
    if response.status_code == 429:
        raise SystemUnavailable(
            system, "throttled (429)", retry_after=retry_after_seconds(response)
        )
    if response.status_code >= 500:
        raise SystemUnavailable(
            system,
            f"{response.status_code} from {method} {url}: {response.text[:300]}",
            retry_after=retry_after_seconds(response),
        )
    if response.status_code == 408 or _could_not_read(response):
        # The system never read the request (cut short on the way): not a refusal; the
        # same request with the same key is safe to send again.
        raise SystemUnavailable(
            system, f"{response.status_code}: {method} {url} arrived incomplete; sending again"
        )
    if response.status_code == 404:
        raise NotFound(system, f"{method} {url}: {response.text[:300]}")
    if response.status_code >= 400:
        code, reason = refusal_code(response) if refusal_code else ("Refused", response.text[:500])
        raise BusinessRefusal(system, code, reason, response.status_code)
    return response


def _could_not_read(response: httpx.Response) -> bool:
    """A reference system's answer to a body it could not read (``UnreadableBody``)."""
    if response.status_code != 400:
        return False
    try:
        error = response.json().get("error")
    except ValueError:
        return False
    return isinstance(error, dict) and error.get("code") == UNREADABLE_BODY


def was_replayed(response: httpx.Response) -> bool:
    return response.headers.get("idempotent-replayed") == "true"
