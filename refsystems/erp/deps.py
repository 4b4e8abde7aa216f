"""Dependencies the ERP's routers share."""

import threading
import uuid
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request

from refsystems.common.app import SessionDep
from refsystems.common.context import CORRELATION_HEADER, WriteContext
from refsystems.erp.batch import in_change_set
from refsystems.erp.odata import QueryOptions, query_options


def serialized_write(request: Request) -> Iterator[None]:
    """One business write at a time, keyed or not: stock checks and postings must not
    interleave (the idempotency layer only serialises requests that carry a key)."""
    if in_change_set():  # the $batch change set holds the lock for all its parts
        yield
        return
    lock: threading.Lock = request.app.state.erp_write_lock
    with lock:
        yield


def write_context(
    request_id: Annotated[str | None, Header(alias="RequestID")] = None,
    correlation_id: Annotated[str | None, Header(alias=CORRELATION_HEADER)] = None,
) -> WriteContext:
    """The ledger files a write under its RequestID (SAP Gateway's repeatable requests; the
    ERP has no Idempotency-Key): one id posted twice shows as two entries under one key."""
    return WriteContext(
        idempotency_key=request_id.upper() if request_id else f"anonymous-{uuid.uuid4()}",
        correlation_id=correlation_id or "",
    )


Ctx = Annotated[WriteContext, Depends(write_context)]
Options = Annotated[QueryOptions, Depends(query_options)]
WriteLock = Depends(serialized_write)

__all__ = ["Ctx", "Options", "SessionDep", "WriteLock"]
