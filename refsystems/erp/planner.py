"""A planner's client for the reference ERP (used by the CLI, the demo and tests): load the
demo data, create orders, and release them the way a planner does in S/4HANA, through
the ReleaseOrder function import with SAP's CSRF handshake."""

from typing import Any

import httpx

from adapters.erp_sap.codes import refusal_code
from adapters.erp_sap.odata import ODataSession, function_params
from adapters.http import CORRELATION_HEADER, send, write_headers

PRODUCTION_ORDERS = "API_PRODUCTION_ORDER_2_SRV"


async def seed_demo(base_url: str, client: httpx.AsyncClient) -> list[str]:
    """Load the demo master data and order 1000001 (idempotent); returns what was created."""
    response = await send(
        client, "erp", "POST", f"{base_url.rstrip('/')}/admin/seed-demo", refusal_code
    )
    created: list[str] = response.json()["created"]
    return created


async def create_order(
    base_url: str, order: dict[str, Any], client: httpx.AsyncClient
) -> dict[str, Any]:
    """Create a production order (ERP dialect body, see ProductionOrderIn); status created."""
    response = await send(
        client,
        "erp",
        "POST",
        f"{base_url.rstrip('/')}/admin/production-orders",
        refusal_code,
        json=order,
    )
    created: dict[str, Any] = response.json()["d"]
    return created


async def release_order(
    base_url: str,
    order_id: str,
    client: httpx.AsyncClient,
    idempotency_key: str | None = None,
    correlation_id: str = "",
) -> dict[str, Any]:
    """Release the order (ReleaseOrder); the ERP then emits ProductionOrder.Released.

    Without an idempotency key, releasing twice is refused (OrderAlreadyReleased)."""
    session = ODataSession(client, base_url, refusal_code)
    headers = {CORRELATION_HEADER: correlation_id} if correlation_id else {}
    if idempotency_key:
        headers = write_headers(idempotency_key, correlation_id)
    response = await session.write(
        "POST",
        PRODUCTION_ORDERS,
        "ReleaseOrder",
        headers,
        params=function_params(ManufacturingOrder=order_id),
    )
    message: dict[str, Any] = response.json()["d"]["ReleaseOrder"]
    return message
