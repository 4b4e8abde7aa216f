"""Run the gateway: ``python -m gateway``.

GATEWAY_HOST (127.0.0.1), GATEWAY_PORT (8100), plus TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
PLANTFLOW_TASK_QUEUE, PLANTFLOW_CONFIG and OTEL_* as for the worker, the webhook
settings PLANTFLOW_WEBHOOK_SECRETS_<SYSTEM>, PLANTFLOW_WEBHOOK_TOLERANCE_SECONDS and
PLANTFLOW_WEBHOOK_ID_STORE, the identity provider's PLANTFLOW_OIDC_* (see
``gateway/identity_settings.py``) and the console's PLANTFLOW_CONSOLE_* (see
``gateway/console/settings.py``); all checked before anything else starts.
"""

import asyncio
import logging

import uvicorn
from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from canonical.plant_config import ConfigError, load_settings
from gateway.app import create_app
from gateway.console.settings import ConsoleSettings
from gateway.identity_settings import IdentitySettings
from gateway.webhook_auth import WebhookConfigError, WebhookTrust
from runtime.logs import setup_logging
from runtime.settings import RuntimeSettings, SettingsError
from runtime.telemetry import setup_tracing
from runtime.temporal_client import connect, report_until_reachable


class GatewayServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_")
    host: str = "127.0.0.1"
    port: int = 8100


log = logging.getLogger("plantflow.gateway")


def one_line(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
        for err in exc.errors()
    )


async def serve() -> None:
    setup_logging("plantflow-gateway")
    service = GatewayServiceSettings()
    try:
        identity = IdentitySettings()  # type: ignore[call-arg]  # issuer and audience from env
    except ValidationError as exc:
        problems = one_line(exc)
        raise SystemExit(f"gateway: identity provider (PLANTFLOW_OIDC_*): {problems}") from None
    runtime = RuntimeSettings()
    try:
        trust = WebhookTrust.from_env()
    except WebhookConfigError as exc:
        raise SystemExit(f"gateway: {' '.join(str(exc).split())}") from None
    try:
        console = ConsoleSettings()
    except ValidationError as exc:  # named without the values: one of them is a secret
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise SystemExit(f"gateway: PLANTFLOW_CONSOLE_* settings: {problems}") from None
    setup_tracing("plantflow-gateway")
    # Lazy: while Temporal is down the gateway still starts and answers 503 + Retry-After.
    client = await connect(runtime.temporal_address, runtime.temporal_namespace, lazy=True)
    app = create_app(
        client,
        load_settings(runtime.plantflow_config),
        runtime.plantflow_task_queue,
        webhook_trust=trust,
        identity=identity,
        console=console,
    )
    server = uvicorn.Server(
        uvicorn.Config(app, host=service.host, port=service.port, log_config=None)
    )
    probe = asyncio.create_task(
        report_until_reachable(client, runtime.temporal_address, log), name="temporal-probe"
    )
    try:
        await server.serve()
    finally:
        probe.cancel()


if __name__ == "__main__":
    try:
        asyncio.run(serve())
    except (ConfigError, SettingsError) as refused:  # one line naming what to fix
        raise SystemExit(f"gateway: {refused}") from None
    except KeyboardInterrupt:
        pass
