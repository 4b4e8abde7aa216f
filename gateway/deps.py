"""FastAPI dependencies: the Temporal client, the plant settings and the token verifier live
on app.state."""

from dataclasses import dataclass
from typing import Annotated

import httpx
from fastapi import Depends, Request
from temporalio.client import Client

from adapters.ports import ErpPort, QmsPort
from adapters.registry import erp_adapter, qms_adapter
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

    def _client(self) -> httpx.AsyncClient:
        if self.http is None:
            self.http = httpx.AsyncClient(timeout=20)
        return self.http

    def http_client(self) -> httpx.AsyncClient:
        """The gateway's shared client, for adapters it builds itself (the console's reads)."""
        return self._client()

    def qms(self) -> QmsPort:
        """The QMS adapter, for documents the gateway serves (certificates of analysis)."""
        return qms_adapter(self.settings, self._client())

    def erp(self) -> ErpPort:
        """The ERP adapter, to check a trigger's material and lot before a saga starts."""
        return erp_adapter(self.settings, self._client())


def gateway_context(request: Request) -> GatewayContext:
    ctx: GatewayContext = request.app.state.gateway
    return ctx


Gateway = Annotated[GatewayContext, Depends(gateway_context)]
