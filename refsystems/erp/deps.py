"""Dependencies the ERP's routers share."""

import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from refsystems.common.app import SessionDep
from refsystems.common.context import WriteContext, write_context
from refsystems.erp.odata import QueryOptions, query_options


def serialized_write(request: Request) -> Iterator[None]:
    """One business write at a time, keyed or not: stock checks and postings must not
    interleave (the idempotency layer only serialises requests that carry a key)."""
    lock: threading.Lock = request.app.state.erp_write_lock
    with lock:
        yield


Ctx = Annotated[WriteContext, Depends(write_context)]
Options = Annotated[QueryOptions, Depends(query_options)]
WriteLock = Depends(serialized_write)

__all__ = ["Ctx", "Options", "SessionDep", "WriteLock"]
