"""Temporal out of reach: every route answers 503 with Retry-After and a JSON body that
says so (one exception handler), never a 500 with a traceback, and nothing starts."""

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from temporalio.client import Client

from canonical.plant_config import load_settings
from gateway.app import create_app
from gateway.identity_settings import IdentitySettings
from gateway.webhook_auth import SYSTEMS, WebhookSettings, WebhookTrust, new_secret
from runtime.codec import data_converter
from stack.identity_provider import IdentityProvider, identity_provider
from stack.services import bind_socket
from stack.temporal import start_dev_server
from tests.conftest import ServeFn
from tests.gateway.support import ERP_RELEASED, erp_released
from tests.helpers import SignedWebhooks

SECRETS = {system: new_secret() for system in SYSTEMS}


@pytest.fixture
async def idp(tmp_path: Path) -> AsyncIterator[IdentityProvider]:
    async with identity_provider(tmp_path) as running:
        yield running


@pytest.fixture
async def as_qa(idp: IdentityProvider) -> dict[str, str]:
    """A quality manager's token: the person is fine, Temporal is what is missing."""
    return await idp.headers("qa.lee")


@pytest.fixture
async def gateway_without_temporal(serve: ServeFn, tmp_path: Path, idp: IdentityProvider) -> str:
    """A gateway whose Temporal address is a port nobody listens on."""
    with bind_socket() as probe:  # a free port, closed again: connections are refused
        address = f"127.0.0.1:{probe.getsockname()[1]}"
    client = await Client.connect(address, lazy=True, data_converter=data_converter())
    app = gateway_app(client, tmp_path, idp)
    service = await serve("gateway", app)
    return service.url


def gateway_app(
    client: Client, tmp_path: Path, idp: IdentityProvider, query_timeout: timedelta | None = None
) -> FastAPI:
    trust = WebhookTrust.from_settings(
        WebhookSettings.model_validate(
            {
                **{f"secrets_{system}": secret for system, secret in SECRETS.items()},
                "id_store": tmp_path / "webhook-ids.db",
            }
        )
    )
    identity = IdentitySettings(issuer=idp.issuer, audience=idp.audience)
    return create_app(
        client, load_settings(), webhook_trust=trust, identity=identity, query_timeout=query_timeout
    )


@pytest.fixture
async def gateway_without_worker(
    serve: ServeFn, tmp_path: Path, idp: IdentityProvider
) -> AsyncIterator[str]:
    """A real Temporal dev server with a saga that no worker polls for: its queries time out
    (the gateway's query timeout is 1 s)."""
    env = await start_dev_server()
    try:
        await env.client.start_workflow(
            "ProductionOrderWorkflow",
            {},  # never decoded: no worker polls the task queue
            id="production-order-P100-3900002",
            task_queue=f"nobody-polls-{uuid.uuid4()}",
        )
        app = gateway_app(env.client, tmp_path, idp, query_timeout=timedelta(seconds=1))
        service = await serve("gateway", app)
        yield service.url
    finally:
        await env.shutdown()


def assert_temporal_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) > 0
    problem = response.json()["detail"]  # the gateway's error schema (ErrorBody)
    assert problem["error"] == "TemporalUnavailable"
    assert problem["message"].startswith("Temporal is unreachable")
    assert "Traceback" not in response.text


async def test_a_webhook_trigger_gets_503_with_retry_after(
    gateway_without_temporal: str, client: httpx.AsyncClient
) -> None:
    response = await client.post(
        f"{gateway_without_temporal}/webhooks/erp",
        json=erp_released("3900001"),
        headers={"X-Event-Type": ERP_RELEASED},
        auth=SignedWebhooks(SECRETS),
    )
    assert_temporal_unavailable(response)


async def test_a_query_gets_503_with_retry_after(
    gateway_without_temporal: str, client: httpx.AsyncClient, as_qa: dict[str, str]
) -> None:
    response = await client.get(
        f"{gateway_without_temporal}/production-orders/P100/3900001", headers=as_qa
    )
    assert_temporal_unavailable(response)


async def test_an_update_gets_503_with_retry_after(
    gateway_without_temporal: str, client: httpx.AsyncClient, as_qa: dict[str, str]
) -> None:
    body = {
        "nonconformance_id": "NC-1",
        "decision": "use_as_is",
        "reason": "within the customer's deviation",
    }
    response = await client.post(
        f"{gateway_without_temporal}/production-orders/P100/3900001/disposition",
        json=body,
        headers=as_qa,
    )
    assert_temporal_unavailable(response)


async def test_a_listing_gets_503_with_retry_after(
    gateway_without_temporal: str, client: httpx.AsyncClient, as_qa: dict[str, str]
) -> None:
    response = await client.get(
        f"{gateway_without_temporal}/production-orders?plant=P100", headers=as_qa
    )
    assert_temporal_unavailable(response)


@pytest.mark.parametrize("path", ["/backlog?plant=P100", "/alerts?plant=P100", "/metrics"])
async def test_monitoring_reads_get_503_with_retry_after(
    gateway_without_temporal: str, client: httpx.AsyncClient, as_qa: dict[str, str], path: str
) -> None:
    """The backlog, the open alerts and the metrics are read from Temporal too."""
    response = await client.get(f"{gateway_without_temporal}{path}", headers=as_qa)
    assert_temporal_unavailable(response)


async def test_a_query_that_times_out_gets_503_with_retry_after(
    gateway_without_worker: str, client: httpx.AsyncClient, as_qa: dict[str, str]
) -> None:
    """Temporal is up, but the saga's worker is not: the query times out after the gateway's
    query timeout and the answer is a 503 with Retry-After, not a hang or a 500."""
    for path in (
        "/production-orders/P100/3900002",
        "/attention/sagas/production-order-P100-3900002",
    ):
        response = await client.get(f"{gateway_without_worker}{path}", headers=as_qa)
        assert_temporal_unavailable(response)
