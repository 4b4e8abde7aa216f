"""Connect to Temporal the same way everywhere: pydantic payloads (encrypted when
PLANTFLOW_PAYLOAD_KEYS is set) and tracing."""

from temporalio.client import Client
from temporalio.contrib.opentelemetry import TracingInterceptor

from runtime.codec import data_converter


async def connect(address: str, namespace: str = "default", lazy: bool = False) -> Client:
    """``lazy``: connect on first use, so a process can start while Temporal is down."""
    return await Client.connect(
        address,
        namespace=namespace,
        lazy=lazy,
        data_converter=data_converter(),
        interceptors=[TracingInterceptor()],
    )
