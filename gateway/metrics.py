"""``GET /metrics``: the plants' business metrics for Prometheus.

Prometheus scrapes without a person's token: set ``PLANTFLOW_METRICS_TOKEN`` and give the
scrape job the same value (``authorization: credentials``) to require it. The figures are
counts and ages per plant and system; they name no person.
"""

import hmac

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from gateway.deps import Gateway
from gateway.problems import error_responses
from monitoring.ledger import ledger_view
from monitoring.metrics import scrape

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class MetricsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANTFLOW_METRICS_", extra="ignore")

    token: SecretStr | None = None


def metrics_router(settings: MetricsSettings) -> APIRouter:
    router = APIRouter(tags=["monitoring"])

    @router.get(
        "/metrics",
        response_class=Response,
        responses={200: {"content": {CONTENT_TYPE: {}}}, **error_responses(401)},
    )
    async def metrics(gw: Gateway, request: Request) -> Response:
        """Holds open and their age, parked steps and backlog by system, orders not
        dispatched, SLA alerts open and fired, saga starts, completions and failures by type
        and plant (Prometheus text format)."""
        expected = settings.token.get_secret_value() if settings.token else ""
        # Read from the request, not a declared parameter: the route takes no input to refuse.
        authorization = request.headers.get("authorization", "")
        offered, wanted = authorization.encode(), f"Bearer {expected}".encode()
        if expected and not hmac.compare_digest(offered, wanted):
            raise HTTPException(
                401, {"error": "invalid_token", "message": "metrics need the scrape token"}
            )
        plants = sorted(gw.settings.plants)
        body = await scrape(gw.client, plants, await ledger_view(gw.client))
        return Response(body, media_type=CONTENT_TYPE)

    return router
