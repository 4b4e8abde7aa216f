"""Turn adapter errors into Temporal's retry semantics.

Failures are kept short and unchained: one readable line, no stack of causes (a chain of
four tracebacks made every retried attempt unreadable and its failure too large to show).
"""

from collections.abc import Awaitable
from datetime import timedelta
from typing import TypeVar

from temporalio import activity
from temporalio.client import RPCTimeoutOrCancelledError, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory
from temporalio.service import RPCError, RPCStatusCode

from adapters.errors import BusinessRefusal, SystemUnavailable
from canonical.plant_config import ConfigError

T = TypeVar("T")

UNAVAILABLE = "SystemUnavailable"
MAPPING_ERROR = "MappingError"
MESSAGE_LIMIT = 300


def bounded(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """A message short enough for a details pane, a log line and a failure."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def classified(call: Awaitable[T]) -> T:
    """Await an adapter call: outages retry (honouring Retry-After); refusals and gaps in
    the plant configuration do not (retrying cannot fix them; a person must)."""
    try:
        return await call
    except SystemUnavailable as exc:
        delay = timedelta(seconds=exc.retry_after) if exc.retry_after is not None else None
        reason = bounded(exc.message)
        if activity.in_activity():
            info = activity.info()
            activity.logger.warning(
                "%s unavailable (attempt %d of %s): %s",
                exc.system,
                info.attempt,
                info.activity_type,
                reason,
            )
        # BENIGN: the SDK logs it at debug level without a traceback; the line above says it.
        raise ApplicationError(
            f"{exc.system}: {reason}",
            {"system": exc.system, "reason": reason},
            type=UNAVAILABLE,
            next_retry_delay=delay,
            category=ApplicationErrorCategory.BENIGN,
        ) from None
    except ConfigError as exc:
        raise ApplicationError(bounded(str(exc)), type=MAPPING_ERROR, non_retryable=True) from None
    except BusinessRefusal as exc:
        raise ApplicationError(
            bounded(f"{exc.system} refused: {exc.reason}"),
            {"system": exc.system, "code": exc.code, "reason": bounded(exc.reason)},
            type=exc.code,
            non_retryable=True,
        ) from None


# Temporal's answers that mean "not reachable now" (down, overloaded, too slow).
TEMPORAL_UNREACHABLE = frozenset(
    {
        RPCStatusCode.UNAVAILABLE,
        RPCStatusCode.DEADLINE_EXCEEDED,
        RPCStatusCode.RESOURCE_EXHAUSTED,
        RPCStatusCode.CANCELLED,
        RPCStatusCode.ABORTED,
    }
)


def temporal_unreachable(exc: BaseException) -> bool:
    """A call to Temporal that failed because Temporal was out of reach, not because it
    refused: connection failures, timeouts, load."""
    if isinstance(exc, RPCError):
        return exc.status in TEMPORAL_UNREACHABLE
    if isinstance(exc, WorkflowUpdateRPCTimeoutOrCancelledError | RPCTimeoutOrCancelledError):
        return True
    # A lazily connected client that cannot connect raises this before any RPC.
    return isinstance(exc, RuntimeError) and str(exc).startswith("Failed client connect")


async def temporal_classified(call: Awaitable[T]) -> T:
    """Await a call an activity makes to Temporal itself (chaining sagas, the supplier's
    sampling record): Temporal out of reach is an outage of system ``temporal`` (the saga
    waits it out within the outage budget), not a refusal that parks the step."""
    try:
        return await call
    except Exception as exc:
        if not temporal_unreachable(exc):
            raise
        reason = bounded(f"{type(exc).__name__}: {exc}")
        if activity.in_activity():
            activity.logger.warning("temporal unreachable: %s", reason)
        raise ApplicationError(
            f"temporal: {reason}",
            {"system": "temporal", "reason": reason},
            type=UNAVAILABLE,
            category=ApplicationErrorCategory.BENIGN,
        ) from None
