"""FastAPI dependencies: the Temporal client, the plant settings and the token verifier live
on app.state."""

from dataclasses import dataclass
from typing import Annotated

import httpx
from fastapi import Depends, Request
from temporalio.client import Client

from adapters.ports import QmsPort
from adapters.registry import qms_adapter
from canonical.plant_config import Settings
from gateway.identity import TokenVerifier
from gateway.identity_settings import IdentitySettings
from workflows.production_order.messages import StepPolicy


@dataclass
class GatewayContext:
    client: Client
    settings: Settings
    task_queue: str
    step_policy: StepPolicy
    identity: IdentitySettings
    verifier: TokenVerifier
    http: httpx.AsyncClient | None = None

    def qms(self) -> QmsPort:
        """The QMS adapter, for documents the gateway serves (certificates of analysis)."""
        if self.http is None:
            self.http = httpx.AsyncClient(timeout=20)
        return qms_adapter(self.settings, self.http)


def gateway_context(request: Request) -> GatewayContext:
    ctx: GatewayContext = request.app.state.gateway
    return ctx


Gateway = Annotated[GatewayContext, Depends(gateway_context)]
