"""The whole plant as separate operating-system processes, so faults are real: a SIGKILLed
worker loses what it had in memory, a killed Temporal server keeps only its SQLite file, a
killed reference system keeps only its database (and the outbox in it).

Ports are picked at run time (free ports asked from the kernel) and kept for the run, so a
restarted component comes back where the others expect it.
"""

import asyncio
import json
import os
import signal
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from temporalio.client import Client

from gateway.webhook_auth import SYSTEMS, new_secret
from refsystems.common.admin import ADMIN_TOKEN_ENV, admin_token
from stack.identity_provider import DEMO_DATA, IDP_DIR, node_binary
from stack.temporal import SQLITE_PRAGMAS, binary, search_attribute_flags

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "config" / "plants.toml"
# The reference systems: module, environment prefix, gateway webhook path, config address.
REFSYSTEMS = {
    "erp": ("refsystems.erp", "ERP", "erp", "http://127.0.0.1:8101"),
    "mes": ("refsystems.mes", "MES", "mes", "http://127.0.0.1:8102"),
    "qms": ("refsystems.qms", "QMS", "qms", "http://127.0.0.1:8103"),
    "portal": ("refsystems.supplier_portal", "PORTAL", "supplier-portal", "http://127.0.0.1:8104"),
    "lims": ("refsystems.lims", "LIMS", "lims", "http://127.0.0.1:8105"),
}
SECRET_OF = {"erp": "erp", "mes": "mes", "qms": "qms", "portal": "supplier_portal", "lims": "lims"}
START_TIMEOUT = 180.0  # a loaded machine takes its time to import a service
WORKER_READY = "worker polling"  # worker.py logs it once connected, before it polls


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Component:
    name: str
    argv: list[str]
    env: dict[str, str]
    port: int | None = None
    health: str | None = None  # URL polled until it answers 200
    process: asyncio.subprocess.Process | None = None
    starts: int = 0
    kills: int = 0


@dataclass
class ProcessStack:
    """Temporal dev server, five reference systems, gateway and worker, one process each."""

    data_dir: Path
    task_queue: str = "plantflow-reliability"
    # Reference systems the worker reaches through something in between (the torn-body proxy).
    worker_routes: dict[str, str] = field(default_factory=dict)
    components: dict[str, Component] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "logs").mkdir(exist_ok=True)
        for name in (
            "temporal",
            "temporal_http",
            "temporal_metrics",
            "gateway",
            "idp",
            *REFSYSTEMS,
        ):
            self.ports[name] = free_port()
        self.secrets = {system: new_secret() for system in SYSTEMS}
        admin_token()  # generated once, inherited by every child through the environment

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    @property
    def urls(self) -> dict[str, str]:
        return {name: self.url(name) for name in ("gateway", *REFSYSTEMS)}

    @property
    def issuer(self) -> str:
        """The embedded OpenID provider the gateway trusts in this run."""
        return self.url("idp")

    @property
    def temporal_address(self) -> str:
        return f"127.0.0.1:{self.ports['temporal']}"

    def write_config(self, routes: dict[str, str]) -> Path:
        """The plant configuration with the reference systems' addresses of this run."""
        text = CONFIG.read_text()
        for name, (_, _, _, default) in REFSYSTEMS.items():
            text = text.replace(f'"{default}"', f'"{routes.get(name, self.url(name))}"')
        path = self.data_dir / f"plants-{len(routes)}.toml"
        path.write_text(text)
        return path

    def _define(self) -> None:
        base = {**os.environ, ADMIN_TOKEN_ENV: admin_token(), "PYTHONUNBUFFERED": "1"}
        python = sys.executable
        self.components["temporal"] = Component(
            "temporal",
            [
                binary("temporal"),
                "server",
                "start-dev",
                "--db-filename",
                str(self.data_dir / "temporal.db"),
                "--ip",
                "127.0.0.1",
                "--port",
                str(self.ports["temporal"]),
                "--http-port",
                str(self.ports["temporal_http"]),
                "--metrics-port",
                str(self.ports["temporal_metrics"]),
                "--headless",
                "--log-level",
                "error",
                *SQLITE_PRAGMAS,
                *search_attribute_flags(),
            ],
            base,
            self.ports["temporal"],
        )
        gateway_url = self.url("gateway")
        self.components["idp"] = Component(
            "idp",
            [node_binary(), str(IDP_DIR / "server.mjs")],
            {
                **base,
                "IDP_PORT": str(self.ports["idp"]),
                "IDP_DATA": str(DEMO_DATA),
                "IDP_KEYS": str(self.data_dir / "idp-keys.json"),
                "IDP_EXIT_WITH_PARENT": "1",  # ends with this process, even if it is killed
            },
            self.ports["idp"],
            f"{self.issuer}/.well-known/openid-configuration",
        )
        for name, (module, prefix, path, _) in REFSYSTEMS.items():
            self.components[name] = Component(
                name,
                [python, "-m", module],
                {
                    **base,
                    f"{prefix}_HOST": "127.0.0.1",
                    f"{prefix}_PORT": str(self.ports[name]),
                    f"{prefix}_DB_PATH": str(self.data_dir / f"{name}.db"),
                    f"{prefix}_WEBHOOK_URL": f"{gateway_url}/webhooks/{path}",
                    f"{prefix}_WEBHOOK_SECRET": self.secrets[SECRET_OF[name]],
                },
                self.ports[name],
                f"{self.url(name)}/health",
            )
        runtime = {
            **base,
            "TEMPORAL_ADDRESS": self.temporal_address,
            "PLANTFLOW_TASK_QUEUE": self.task_queue,
            "PLANTFLOW_GATEWAY_URL": gateway_url,
        }
        self.components["gateway"] = Component(
            "gateway",
            [python, "-m", "gateway"],
            {
                **runtime,
                "PLANTFLOW_CONFIG": str(self.write_config({})),
                "GATEWAY_HOST": "127.0.0.1",
                "GATEWAY_PORT": str(self.ports["gateway"]),
                "PLANTFLOW_OIDC_ISSUER": self.issuer,
                "PLANTFLOW_OIDC_AUDIENCE": json.loads(DEMO_DATA.read_text())["audience"],
                "PLANTFLOW_WEBHOOK_ID_STORE": str(self.data_dir / "gateway-webhook-ids.db"),
                **{
                    f"PLANTFLOW_WEBHOOK_SECRETS_{system.upper()}": secret
                    for system, secret in self.secrets.items()
                },
            },
            self.ports["gateway"],
            f"{gateway_url}/health",
        )
        self.components["worker"] = Component(
            "worker",
            [python, "-m", "worker"],
            {**runtime, "PLANTFLOW_CONFIG": str(self.write_config(self.worker_routes))},
        )

    async def start_all(self) -> None:
        self._define()

        # The reference systems need nobody; the gateway and worker need Temporal.
        async def temporal_then_its_clients() -> None:
            await asyncio.gather(self.start("temporal"), self.start("idp"))
            await asyncio.gather(self.start("gateway"), self.start("worker"))

        await asyncio.gather(
            temporal_then_its_clients(), *(self.start(name) for name in REFSYSTEMS)
        )

    async def start(self, name: str) -> None:
        component = self.components[name]
        log = open(self.data_dir / "logs" / f"{name}.log", "ab")  # noqa: SIM115 (child owns it)
        try:
            component.process = await asyncio.create_subprocess_exec(
                *component.argv,
                env=component.env,
                cwd=REPO,
                stdin=asyncio.subprocess.PIPE,  # closed when we end: the provider follows
                stdout=log,
                stderr=log,
            )
        finally:
            log.close()
        component.starts += 1
        await self._wait_ready(component)

    async def _wait_ready(self, component: Component) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT
        async with httpx.AsyncClient(timeout=2) as http:
            while True:
                process = component.process
                assert process is not None
                if process.returncode is not None:
                    raise RuntimeError(
                        f"{component.name} exited with {process.returncode} at start; see "
                        f"{self.data_dir / 'logs' / (component.name + '.log')}"
                    )
                if await self._ready(component, http):
                    return
                if loop.time() > deadline:
                    raise TimeoutError(f"{component.name} not ready after {START_TIMEOUT}s")
                await asyncio.sleep(0.2)

    async def _ready(self, component: Component, http: httpx.AsyncClient) -> bool:
        if component.name == "temporal":
            try:
                await Client.connect(self.temporal_address)  # asks for the system info
                return True
            except Exception:  # not listening yet
                return False
        if component.health is None:  # the worker: it says so in its log once it polls
            log = (self.data_dir / "logs" / f"{component.name}.log").read_text(errors="replace")
            return log.count(WORKER_READY) >= component.starts
        try:
            return (await http.get(component.health)).status_code == 200
        except httpx.HTTPError:
            return False

    async def kill(self, name: str) -> None:
        """SIGKILL: no shutdown hook runs, nothing is flushed."""
        process = self.components[name].process
        if process is None or process.returncode is not None:
            return
        process.send_signal(signal.SIGKILL)
        await process.wait()
        self.components[name].kills += 1

    async def restart(self, name: str) -> None:
        await self.kill(name)
        await self.start(name)

    async def stop_all(self, order: Sequence[str] | None = None) -> None:
        names = order or ["worker", "gateway", *REFSYSTEMS, "temporal", "idp"]
        for name in names:
            component = self.components.get(name)
            if component is None or component.process is None:
                continue
            process = component.process
            if process.returncode is None:
                process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), timeout=10)
                except TimeoutError:
                    process.kill()
                    await process.wait()
