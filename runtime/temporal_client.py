"""Connect to Temporal the same way everywhere: pydantic payloads (encrypted when
PLANTFLOW_PAYLOAD_KEYS is set), tracing, and TLS, mTLS or an API key from the environment
(``runtime.settings.TemporalConnectionSettings``)."""

from temporalio.client import Client
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.runtime import Runtime

from runtime.codec import data_converter
from runtime.settings import ConnectionOptions, connection_options


async def connect(
    address: str,
    namespace: str = "default",
    options: ConnectionOptions | None = None,
    lazy: bool = False,
    runtime: Runtime | None = None,
) -> Client:
    """``options`` default to the environment's; a SettingsError says what to fix. ``lazy``:
    connect on first use, so a process can start while Temporal is down. ``runtime``: e.g.
    one exporting the SDK's metrics (``monitoring.metrics.sdk_runtime``)."""
    options = options if options is not None else connection_options()
    return await Client.connect(
        address,
        namespace=namespace,
        lazy=lazy,
        data_converter=data_converter(),
        interceptors=[TracingInterceptor()],
        tls=options.tls,
        api_key=options.api_key,
        runtime=runtime,
    )
