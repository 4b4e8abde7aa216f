"""Temporal out of reach: every route answers 503 with Retry-After and a JSON body that
says so (one exception handler), never a 500 with a traceback, and nothing starts."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from temporalio.client import Client

from canonical.plant_config import load_settings
from gateway.app import create_app
from gateway.identity_settings import IdentitySettings
from gateway.webhook_auth import SYSTEMS, WebhookSettings, WebhookTrust, new_secret
from runtime.codec import data_converter
from stack.identity_provider import IdentityProvider, identity_provider
from stack.services import bind_socket
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
    trust = WebhookTrust.from_settings(
        WebhookSettings.model_validate(
            {
                **{f"secrets_{system}": secret for system, secret in SECRETS.items()},
                "id_store": tmp_path / "webhook-ids.db",
            }
        )
    )
    identity = IdentitySettings(issuer=idp.issuer, audience=idp.audience)
    app = create_app(client, load_settings(), webhook_trust=trust, identity=identity)
    service = await serve("gateway", app)
    return service.url


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
