"""Connect to Temporal the same way everywhere: pydantic payloads (encrypted when
PLANTFLOW_PAYLOAD_KEYS is set), tracing, and TLS, mTLS or an API key from the environment
(``runtime.settings.TemporalConnectionSettings``)."""

import asyncio
import logging
import re

from temporalio.client import Client
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.runtime import Runtime
from temporalio.service import RPCError

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


def unreachable(exc: BaseException) -> str | None:
    """Why Temporal could not be reached, in a few words, if ``exc`` says so; else None.

    The SDK reports a failed connection as a RuntimeError carrying the transport's debug
    text (``Failed client connect: ... Os { ..., message: "Connection refused" }``)."""
    text = str(exc)
    if not isinstance(exc, RuntimeError) or not text.startswith("Failed client connect"):
        return None
    reason = re.search(r'message: "([^"]+)"', text)
    if reason:
        return reason.group(1).lower()
    return " ".join(text.removeprefix("Failed client connect:").split())[:200]


async def connect_when_reachable(
    address: str,
    namespace: str,
    log: logging.Logger,
    first_delay: float = 1.0,
    max_delay: float = 30.0,
    runtime: Runtime | None = None,
) -> Client:
    """Connect, waiting for Temporal while it is unreachable: one log line per attempt that
    says so and when the next one is (no traceback), doubling the pause up to ``max_delay``."""
    delay = first_delay
    while True:
        try:
            return await connect(address, namespace, runtime=runtime)
        except RuntimeError as exc:
            reason = unreachable(exc)
            if reason is None:
                raise
        log.warning(
            "Temporal at %s is unreachable (%s); trying again in %.0f s", address, reason, delay
        )
        await asyncio.sleep(delay)
        delay = min(delay * 2, max_delay)


async def report_until_reachable(
    client: Client,
    address: str,
    log: logging.Logger,
    first_delay: float = 1.0,
    max_delay: float = 30.0,
) -> None:
    """For a lazily connected client (the gateway answers 503 while Temporal is down): one
    log line per failed attempt, and one when Temporal answers."""
    delay = first_delay
    while True:
        try:
            await client.service_client.check_health()
        except (RuntimeError, RPCError) as exc:
            reason = unreachable(exc) or " ".join(str(exc).split())[:200]
            log.warning(
                "Temporal at %s is unreachable (%s); answering 503 until it is, trying again "
                "in %.0f s",
                address,
                reason,
                delay,
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)
            continue
        log.info("connected to Temporal at %s", address)
        return
