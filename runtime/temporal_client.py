"""Connect to Temporal the same way everywhere: pydantic payloads (encrypted when
PLANTFLOW_PAYLOAD_KEYS is set), tracing, and TLS, mTLS or an API key from the environment
(``runtime.settings.TemporalConnectionSettings``)."""

import asyncio
import logging
import os
import re
import sys
from typing import NoReturn

from temporalio.client import Client
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.runtime import Runtime
from temporalio.service import RPCError

from runtime.codec import data_converter
from runtime.settings import ConnectionOptions, connection_options

_clients_made = 0  # by this process: its end then skips interpreter teardown (see below)


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
    global _clients_made
    _clients_made += 1
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


def exit_without_teardown(code: int = 0) -> NoReturn:
    """End a short-lived command that used a Temporal client, skipping interpreter teardown:
    the SDK's Rust threads can outlive the event loop, and finalizing under them aborts the
    process after its work is done ("PyGILState_Release ... finalizing", temporalio/sdk-python
    issue 300)."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def end_command(done: SystemExit) -> NoReturn:
    """A CLI command's end: as ``done`` says, without teardown if it made a Temporal client."""
    if not _clients_made:
        raise done
    code = done.code
    if isinstance(code, str):  # SystemExit("message"): the message and status 1, as Python does
        print(code, file=sys.stderr)
        code = 1
    exit_without_teardown(code or 0)
