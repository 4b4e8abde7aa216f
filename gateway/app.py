"""The gateway's FastAPI app."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from fastapi.routing import APIRoute
from temporalio.client import Client

from canonical.plant_config import Settings
from gateway import (
    attention,
    backlog,
    metrics,
    production_orders,
    receipts,
    releases,
    signatures,
    webhook_auth,
    webhooks,
)
from gateway.console import create_console
from gateway.console.settings import ConsoleSettings
from gateway.deps import GatewayContext, QuerySettings
from gateway.errors import install_error_handlers
from gateway.identity import TokenVerifier
from gateway.identity_settings import IdentitySettings
from gateway.metrics import MetricsSettings
from gateway.webhook_auth import WebhookTrust
from workflows import TASK_QUEUE
from workflows.production_order.messages import StepPolicy


def operation_id(route: APIRoute) -> str:
    """``<tag>-<function>`` (``webhooks-erp_event``): readable in generated clients; unique
    because each router's functions are."""
    tag = str(route.tags[0]).replace(" ", "-") if route.tags else "gateway"
    return f"{tag}-{route.name}"


def create_app(
    client: Client,
    settings: Settings,
    task_queue: str = TASK_QUEUE,
    step_policy: StepPolicy | None = None,
    webhook_trust: WebhookTrust | None = None,
    identity: IdentitySettings | None = None,
    query_timeout: timedelta | None = None,
    console: ConsoleSettings | None = None,
) -> FastAPI:
    """The gateway. ``webhook_trust`` (senders' secrets, tolerance, accepted ids) defaults to
    the ``PLANTFLOW_WEBHOOK_*`` environment; without secrets the gateway does not start.
    ``identity`` (the OpenID provider it trusts) defaults to ``PLANTFLOW_OIDC_*``; without an
    issuer and audience it does not start either. ``query_timeout`` defaults to
    ``PLANTFLOW_GATEWAY_QUERY_TIMEOUT`` (10 s). ``console`` (the web console at
    ``/console``) defaults to ``PLANTFLOW_CONSOLE_*``."""
    trust = webhook_trust or WebhookTrust.from_env()
    identity = identity or IdentitySettings()  # type: ignore[call-arg]
    context = GatewayContext(
        client=client,
        settings=settings,
        task_queue=task_queue,
        step_policy=step_policy or StepPolicy(),
        identity=identity,
        verifier=TokenVerifier(identity),
        query_timeout=query_timeout or timedelta(seconds=QuerySettings().query_timeout),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(context.verifier.check_provider)
        yield
        if context.http is not None:
            await context.http.aclose()

    app = FastAPI(
        title="plantflow gateway",
        description=(
            "Webhooks from ERP, MES, QMS, LIMS and the supplier portal in; saga starts, "
            "signals and updates out; approvals, overrides and certificates for people."
        ),
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        # 413 before anything parses the body: a declared Content-Length over the limit is
        # refused unread, a chunked body as soon as it passes the limit.
        max_body_size=settings.limits.max_body_bytes,
    )
    app.state.gateway = context
    install_error_handlers(app)
    webhook_auth.install(app, trust)
    app.include_router(webhooks.router)
    app.include_router(production_orders.router)
    app.include_router(receipts.router)
    app.include_router(releases.router)
    app.include_router(signatures.router)
    app.include_router(attention.router)
    app.mount("/console", create_console(context, console or ConsoleSettings()))
    app.include_router(backlog.router)
    app.include_router(metrics.metrics_router(MetricsSettings()))

    @app.get("/health", tags=["admin"])
    def health() -> dict[str, str]:
        return {"status": "ok", "namespace": client.namespace}

    return app
