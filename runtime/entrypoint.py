"""The container image's one entry point: ``plantflow <command>``.

    worker | gateway | codec-server          the product's services
    setup-temporal                          namespace and search attributes (idempotent)
    refsystem erp|mes|qms|lims|supplier-portal   a reference system (the demo profile)
    seed-demo                               load the reference systems' demo data
    cli ...                                 the operator's CLI (``starter.py``)
    health URL | health temporal            exit 0 when it answers (container health checks)

Secrets may come from files: for ``NAME_FILE=/run/secrets/x`` with ``NAME`` unset (one of
our settings: PLANTFLOW_*, TEMPORAL_*, or a reference system's ERP_*, ...), ``NAME`` is
set to the file's content (trailing newline dropped), as the official database images do. An
empty ``PLANTFLOW_*`` or ``TEMPORAL_*`` variable counts as unset (a compose file can only pass
``${TEMPORAL_API_KEY:-}``, not leave a variable out).
"""

import asyncio
import logging
import os
import sys
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import NoReturn

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
    ListSearchAttributesResponse,
)
from temporalio.api.workflowservice.v1 import (
    DescribeNamespaceRequest,
    RegisterNamespaceRequest,
)
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

EMPTY_MEANS_UNSET = ("PLANTFLOW_", "TEMPORAL_")
# Only our own settings are read from files (the environment holds others' *_FILE paths).
OWN_PREFIXES = ("PLANTFLOW_", "TEMPORAL_", "ERP_", "MES_", "QMS_", "LIMS_", "PORTAL_")
# Variables whose value is itself a file path, not a secret to read.
PATH_VARIABLES = frozenset({"PLANTFLOW_TOKEN_FILE"})
REFSYSTEMS = {
    "erp": "refsystems.erp.__main__",
    "mes": "refsystems.mes.__main__",
    "qms": "refsystems.qms.__main__",
    "lims": "refsystems.lims.__main__",
    "supplier-portal": "refsystems.supplier_portal.__main__",
}
log = logging.getLogger("plantflow.setup")


class EntryError(Exception):
    """A command line or a secret file the entry point cannot use."""


def unset_empty(environ: MutableMapping[str, str] = os.environ) -> None:
    for name in [n for n, v in environ.items() if not v and n.startswith(EMPTY_MEANS_UNSET)]:
        del environ[name]


def secrets_from_files(environ: MutableMapping[str, str] = os.environ) -> list[str]:
    """Set each ``NAME`` from ``NAME_FILE``; returns the names set."""
    loaded = []
    for variable, path in list(environ.items()):
        name = variable.removesuffix("_FILE")
        if name == variable or variable in PATH_VARIABLES or environ.get(name):
            continue
        if not name.startswith(OWN_PREFIXES):
            continue
        try:
            environ[name] = Path(path).read_text().rstrip("\r\n")
        except OSError as exc:
            raise EntryError(f"{variable}={path}: cannot read it ({exc.strerror})") from None
        loaded.append(name)
    return loaded


async def setup_temporal() -> None:
    """Create the namespace when it is missing and register every search attribute the sagas
    upsert (an unknown one would stall them). Harmless to run again."""
    from runtime.logs import setup_logging
    from runtime.settings import RuntimeSettings
    from runtime.temporal_client import connect_when_reachable
    from workflows import search_attributes

    setup_logging("plantflow-setup")
    runtime = RuntimeSettings()
    namespace = runtime.temporal_namespace
    client = await connect_when_reachable(runtime.temporal_address, namespace, log)
    try:
        await client.workflow_service.describe_namespace(
            DescribeNamespaceRequest(namespace=namespace)
        )
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
        retention = int(os.environ.get("TEMPORAL_RETENTION_DAYS", "30")) * 86400
        request = RegisterNamespaceRequest(namespace=namespace)
        request.workflow_execution_retention_period.FromSeconds(retention)
        await client.workflow_service.register_namespace(request)
        log.info("namespace %s created", namespace)
    existing = await _search_attributes(client, namespace)
    missing = {
        key.name: IndexedValueType.ValueType(key.indexed_value_type.value)
        for key in search_attributes.ALL
        if key.name not in existing.custom_attributes
    }
    if missing:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=namespace, search_attributes=missing)
        )
    log.info(
        "namespace %s: search attributes registered (%d new, %d already there)",
        namespace,
        len(missing),
        len(search_attributes.ALL) - len(missing),
    )


async def _search_attributes(client: Client, namespace: str) -> ListSearchAttributesResponse:
    """The namespace's search attributes; a namespace just created takes a few seconds to
    reach the server's namespace cache, so NOT_FOUND is tried again for up to a minute."""
    for _ in range(60):
        try:
            return await client.operator_service.list_search_attributes(
                ListSearchAttributesRequest(namespace=namespace)
            )
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise
            log.info("namespace %s not visible yet; asking again in 1 s", namespace)
            await asyncio.sleep(1)
    raise EntryError(f"namespace {namespace} was created but stays invisible to Temporal")


async def seed_demo() -> None:
    """The demo master data in every reference system (the compose demo profile)."""
    import httpx

    from refsystems.common.admin import admin_auth
    from stack.scenario import PlantScenario

    urls = {
        system: os.environ.get(f"PLANTFLOW_{system.upper()}_URL", default)
        for system, default in {
            "erp": "http://erp:8101",
            "mes": "http://mes:8102",
            "qms": "http://qms:8103",
            "portal": "http://supplier-portal:8104",
            "lims": "http://lims:8105",
        }.items()
    }
    async with httpx.AsyncClient(timeout=30, auth=admin_auth()) as http:
        await PlantScenario(http, urls).seed()
    print(f"demo data loaded into {', '.join(sorted(urls))}")


def health(target: str) -> None:
    """Exit 0 if ``target`` answers: an HTTP URL with any status below 500, or ``temporal``
    (the frontend at TEMPORAL_ADDRESS); else exit 1 with one line saying why."""
    if target == "temporal":
        from runtime.settings import RuntimeSettings
        from runtime.temporal_client import connect

        async def probe() -> None:
            runtime = RuntimeSettings()
            client = await connect(runtime.temporal_address, runtime.temporal_namespace)
            await client.service_client.check_health()

        try:
            asyncio.run(probe())
        except (RuntimeError, RPCError) as exc:
            raise SystemExit(f"Temporal unhealthy: {' '.join(str(exc).split())[:200]}") from None
        return
    import httpx

    try:
        status = httpx.get(target, timeout=3).status_code
    except httpx.HTTPError as exc:
        raise SystemExit(f"{target} unreachable: {exc!r}") from None
    if status >= 500:
        raise SystemExit(f"{target} answered {status}")


def run_module_main(module: str) -> Callable[[], None]:
    def start() -> None:
        import importlib

        importlib.import_module(module).main()

    return start


def commands(arguments: list[str]) -> Callable[[], object]:
    """The function that runs ``arguments`` (``sys.argv[1:]``)."""
    match arguments:
        case ["worker"]:
            from worker import main as worker_main

            return lambda: asyncio.run(worker_main())
        case ["gateway"]:
            from gateway.__main__ import serve

            return lambda: asyncio.run(serve())
        case ["codec-server"]:
            return run_module_main("runtime.codec_server")
        case ["setup-temporal"]:
            return lambda: finished(asyncio.run(setup_temporal()))
        case ["seed-demo"]:
            return lambda: asyncio.run(seed_demo())
        case ["refsystem", system] if system in REFSYSTEMS:
            return run_module_main(REFSYSTEMS[system])
        case ["health", target]:
            return lambda: health(target)
        case ["cli", *rest]:
            from runtime.temporal_client import end_command
            from starter import app

            def cli() -> None:
                try:
                    app(rest, prog_name="plantflow cli")
                except SystemExit as done:
                    end_command(done)

            return cli
    raise EntryError(
        f"unknown command {' '.join(arguments) or '(none)'}; use worker, gateway, codec-server, "
        f"setup-temporal, seed-demo, refsystem {'|'.join(REFSYSTEMS)}, health or cli ..."
    )


def finished(_: None) -> NoReturn:
    from runtime.temporal_client import exit_without_teardown

    exit_without_teardown(0)


def main() -> None:
    from canonical.plant_config import ConfigError
    from runtime.settings import SettingsError

    try:
        unset_empty()
        secrets_from_files()
        run = commands(sys.argv[1:])
        run()
    except (EntryError, ConfigError, SettingsError) as refused:  # one line naming the fix
        raise SystemExit(f"plantflow: {refused}") from None
    except RPCError as refused:
        raise SystemExit(f"plantflow: Temporal answered {refused.status.name}: {refused}") from None
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
