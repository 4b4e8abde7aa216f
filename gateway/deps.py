"""FastAPI dependencies: the Temporal client, the plant settings and the token verifier live
on app.state."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

import httpx
from fastapi import Depends, Request
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from temporalio.client import Client

from adapters.ports import ErpPort, QmsPort
from adapters.registry import erp_adapter, qms_adapter
from canonical.plant_config import Settings
from gateway.identity import TokenVerifier
from gateway.identity_settings import IdentitySettings
from workflows.production_order.messages import StepPolicy


class QuerySettings(BaseSettings):
    """``PLANTFLOW_GATEWAY_QUERY_TIMEOUT``: seconds a saga's query may take before the gateway
    answers 503 with Retry-After (e.g. no worker polls the saga's task queue)."""

    model_config = SettingsConfigDict(env_prefix="PLANTFLOW_GATEWAY_", extra="ignore")
    query_timeout: float = Field(default=10, gt=0, le=300)


@dataclass
class GatewayContext:
    client: Client
    settings: Settings
    task_queue: str
    step_policy: StepPolicy
    identity: IdentitySettings
    verifier: TokenVerifier
    http: httpx.AsyncClient | None = None
    query_timeout: timedelta = timedelta(seconds=10)

    async def query(self, workflow_id: str, query: Any) -> Any:
        """A saga's query, bounded by ``query_timeout`` (the SDK's default waits longer than
        a person or a sender should)."""
        handle = self.client.get_workflow_handle(workflow_id)
        return await handle.query(query, rpc_timeout=self.query_timeout)

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
