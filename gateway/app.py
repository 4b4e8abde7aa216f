"""The gateway's FastAPI app."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from temporalio.client import Client

from canonical.plant_config import Settings
from gateway import production_orders, receipts, releases, signatures, webhooks
from gateway.deps import GatewayContext
from gateway.identity import TokenVerifier
from gateway.identity_settings import IdentitySettings
from workflows import TASK_QUEUE
from workflows.production_order.messages import StepPolicy


def create_app(
    client: Client,
    settings: Settings,
    identity: IdentitySettings,
    task_queue: str = TASK_QUEUE,
    step_policy: StepPolicy | None = None,
) -> FastAPI:
    context = GatewayContext(
        client=client,
        settings=settings,
        task_queue=task_queue,
        step_policy=step_policy or StepPolicy(),
        identity=identity,
        verifier=TokenVerifier(identity),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
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
    )
    app.state.gateway = context
    app.include_router(webhooks.router)
    app.include_router(production_orders.router)
    app.include_router(receipts.router)
    app.include_router(releases.router)
    app.include_router(signatures.router)

    @app.get("/health", tags=["admin"])
    def health() -> dict[str, str]:
        return {"status": "ok", "namespace": client.namespace}

    return app
