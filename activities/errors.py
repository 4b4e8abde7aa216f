"""Turn adapter errors into Temporal's retry semantics."""

from collections.abc import Awaitable
from datetime import timedelta
from typing import TypeVar

from temporalio.exceptions import ApplicationError

from adapters.errors import BusinessRefusal, SystemUnavailable
from canonical.plant_config import ConfigError

T = TypeVar("T")

UNAVAILABLE = "SystemUnavailable"
MAPPING_ERROR = "MappingError"


async def classified(call: Awaitable[T]) -> T:
    """Await an adapter call: outages retry (honouring Retry-After); refusals and gaps in
    the plant configuration do not (retrying cannot fix them; a person must)."""
    try:
        return await call
    except SystemUnavailable as exc:
        delay = timedelta(seconds=exc.retry_after) if exc.retry_after is not None else None
        raise ApplicationError(str(exc), type=UNAVAILABLE, next_retry_delay=delay) from exc
    except ConfigError as exc:
        raise ApplicationError(str(exc), type=MAPPING_ERROR, non_retryable=True) from exc
    except BusinessRefusal as exc:
        raise ApplicationError(
            f"{exc.system} refused: {exc.reason}",
            {"system": exc.system, "code": exc.code, "reason": exc.reason},
            type=exc.code,
            non_retryable=True,
        ) from exc
