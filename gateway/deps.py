"""FastAPI dependencies: the Temporal client and the plant settings live on app.state."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from temporalio.client import Client

from canonical.plant_config import Settings
from workflows.production_order.messages import StepPolicy


@dataclass
class GatewayContext:
    client: Client
    settings: Settings
    task_queue: str
    step_policy: StepPolicy


def gateway_context(request: Request) -> GatewayContext:
    ctx: GatewayContext = request.app.state.gateway
    return ctx


Gateway = Annotated[GatewayContext, Depends(gateway_context)]
