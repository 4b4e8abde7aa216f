"""The embedded stack: a Temporal server, the three reference systems, the gateway and a worker,
all in one process and one event loop. The demo runs on it and so do the integration tests."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import httpx
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from canonical.plant_config import Settings, load_settings
from gateway.app import create_app as create_gateway
from gateway.console.settings import ConsoleSettings
from gateway.identity_settings import IdentitySettings
from gateway.webhook_auth import SYSTEMS, WebhookSettings, WebhookTrust, new_secret
from monitoring.alert_rules import AlertsConfig
from refsystems.common.admin import admin_auth
from refsystems.erp.app import create_app as create_erp
from refsystems.lims.app import create_app as create_lims
from refsystems.mes.app import create_app as create_mes
from refsystems.qms.app import create_app as create_qms
from refsystems.supplier_portal.app import create_app as create_portal
from stack.addresses import with_addresses
from stack.identity_provider import IdentityProvider, identity_provider
from stack.services import RunningService, bind_socket, start_service
from stack.temporal import start_dev_server, start_time_skipping
from worker import build_worker, http_client
from workflows import TASK_QUEUE
from workflows.production_order.messages import StepPolicy


class TemporalMode(StrEnum):
    DEV_SERVER = "dev-server"
    TIME_SKIPPING = "time-skipping"


@dataclass
class StackOptions:
    data_dir: Path
    temporal: TemporalMode = TemporalMode.DEV_SERVER
    temporal_port: int | None = None
    ui_port: int | None = None
    ui_codec_endpoint: str | None = None  # the codec server the Web UI decodes payloads with
    gateway_port: int = 0
    erp_port: int = 0
    mes_port: int = 0
    qms_port: int = 0
    portal_port: int = 0
    lims_port: int = 0
    idp_port: int = 0
    task_queue: str = TASK_QUEUE
    config_file: Path | None = None
    step_policy: StepPolicy | None = None
    # Webhook secrets per sending system (erp, mes, qms, lims, supplier_portal): the system
    # signs with the first, the gateway accepts any (rotation). Missing ones are generated.
    webhook_secrets: dict[str, list[str]] = field(default_factory=dict)
    webhook_tolerance_seconds: int = 300
    # False: the ERP plays a gateway without repeatable requests, and the plant is configured
    # for it (the adapter finds earlier postings by their document reference).
    erp_repeatable_requests: bool = True
    # SLA alert rules and delivery (config/alerts.toml when None).
    alerts: AlertsConfig | None = None


@dataclass
class Stack:
    env: WorkflowEnvironment
    settings: Settings
    http: httpx.AsyncClient
    idp: IdentityProvider
    identity: IdentitySettings
    data_dir: Path
    services: dict[str, RunningService] = field(default_factory=dict)
    webhook_secrets: dict[str, list[str]] = field(default_factory=dict)

    def webhook_secret(self, system: str) -> str:
        """The secret ``system`` signs its webhooks with (the tests sign theirs with it too)."""
        return self.webhook_secrets[system][0]

    @property
    def client(self) -> Client:
        return self.env.client

    def url(self, name: str) -> str:
        return self.services[name].url


@asynccontextmanager
async def embedded_stack(options: StackOptions) -> AsyncIterator[Stack]:
    options.data_dir.mkdir(parents=True, exist_ok=True)
    async with AsyncExitStack() as exits:
        if options.temporal is TemporalMode.TIME_SKIPPING:
            env = await start_time_skipping()
        else:
            env = await start_dev_server(
                options.data_dir / "temporal.db",
                options.temporal_port,
                options.ui_port,
                options.ui_codec_endpoint,
            )
        exits.push_async_callback(env.shutdown)
        idp = await exits.enter_async_context(identity_provider(options.data_dir, options.idp_port))
        identity = IdentitySettings(issuer=idp.issuer, audience=idp.audience)
        sockets = {
            "gateway": bind_socket(port=options.gateway_port),
            "erp": bind_socket(port=options.erp_port),
            "mes": bind_socket(port=options.mes_port),
            "qms": bind_socket(port=options.qms_port),
            "portal": bind_socket(port=options.portal_port),
            "lims": bind_socket(port=options.lims_port),
        }
        urls = {name: f"http://127.0.0.1:{sock.getsockname()[1]}" for name, sock in sockets.items()}
        settings = with_addresses(
            load_settings(options.config_file),
            urls["erp"],
            urls["mes"],
            urls["qms"],
            urls["portal"],
            urls["lims"],
        )
        if not options.erp_repeatable_requests:
            erp_config = settings.erp.model_copy(update={"repeatable_requests": False})
            settings = settings.model_copy(update={"erp": erp_config})
        # The stack seeds and inspects its reference systems through their /admin routes.
        http = await exits.enter_async_context(http_client(auth=admin_auth()))
        secrets = {
            system: options.webhook_secrets.get(system) or [new_secret()] for system in SYSTEMS
        }
        stack = Stack(
            env=env,
            settings=settings,
            http=http,
            idp=idp,
            identity=identity,
            data_dir=options.data_dir,
            webhook_secrets=secrets,
        )
        trust = WebhookTrust.from_settings(
            WebhookSettings.model_validate(  # not from the environment: the stack's own
                {
                    **{f"secrets_{system}": ",".join(secrets[system]) for system in SYSTEMS},
                    "tolerance_seconds": options.webhook_tolerance_seconds,
                    "id_store": options.data_dir / "gateway-webhook-ids.db",
                }
            )
        )

        def hook(system: str) -> tuple[str, str]:
            path = system.replace("_", "-")
            return f"{urls['gateway']}/webhooks/{path}", secrets[system][0]

        data = options.data_dir
        ui_url = f"http://127.0.0.1:{options.ui_port}" if options.ui_port else None
        apps = {
            "erp": create_erp(
                str(data / "erp.db"),
                *hook("erp"),
                repeatable_requests=options.erp_repeatable_requests,
            ),
            "mes": create_mes(str(data / "mes.db"), *hook("mes")),
            "qms": create_qms(str(data / "qms.db"), *hook("qms")),
            "lims": create_lims(str(data / "lims.db"), *hook("lims")),
            "portal": create_portal(str(data / "portal.db"), *hook("supplier_portal")),
            "gateway": create_gateway(
                env.client,
                settings,
                options.task_queue,
                options.step_policy,
                trust,
                identity,
                # Plain http on loopback; the session cookie cannot ask for https here.
                console=ConsoleSettings(secure_cookie=False, temporal_ui_url=ui_url),
            ),
        }
        for name in ("gateway", "erp", "mes", "qms", "portal", "lims"):
            stack.services[name] = await start_service(name, apps[name], sockets[name])

        async def stop_services() -> None:
            # Together: each server notices its exit flag on its own 0.1 s tick.
            await asyncio.gather(*(service.stop() for service in stack.services.values()))

        exits.push_async_callback(stop_services)
        worker = build_worker(
            env.client,
            settings,
            http,
            options.task_queue,
            step_policy=options.step_policy,
            alerts=options.alerts,
        )
        worker_task = asyncio.create_task(worker.run(), name="worker")

        async def stop_worker() -> None:
            await worker.shutdown()
            await worker_task

        exits.push_async_callback(stop_worker)
        yield stack
