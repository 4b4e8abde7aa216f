"""Temporal outcomes as plain HTTP answers.

Temporal out of reach (the server down, a query or update that timed out) is one answer on
every route: 503 with Retry-After and a JSON body that says so, from one exception handler;
never a 500 with a traceback.
"""

import logging
from typing import NoReturn

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from temporalio.client import RPCTimeoutOrCancelledError, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

RETRY_AFTER_SECONDS = 10
# Statuses that mean "Temporal did not answer in time" rather than "Temporal said no".
UNREACHABLE = {
    RPCStatusCode.UNAVAILABLE,
    RPCStatusCode.DEADLINE_EXCEEDED,
    RPCStatusCode.CANCELLED,
    RPCStatusCode.RESOURCE_EXHAUSTED,
}
# What a lazily connected client raises when it cannot connect at all.
CONNECT_FAILED = "Failed client connect"
log = logging.getLogger("plantflow.gateway")


def raise_for_rpc(workflow_id: str, err: RPCError) -> NoReturn:
    """A missing (or finished) saga is a 404 the caller can act on; anything else propagates
    to the app's handler (``temporal_unavailable``)."""
    if err.status == RPCStatusCode.NOT_FOUND:
        raise HTTPException(404, f"no running saga {workflow_id}: {err.message}") from err
    raise err


def update_refused(err: WorkflowUpdateFailedError) -> HTTPException:
    """A validator's refusal is the caller's mistake (409), stated in the validator's words."""
    cause = err.cause
    if isinstance(cause, ApplicationError):
        return HTTPException(409, {"error": cause.type, "message": cause.message})
    return HTTPException(409, {"error": "UpdateFailed", "message": str(cause or err)})


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300]


async def temporal_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """503 + Retry-After when Temporal is out of reach; 502 when it answered with an error
    the caller cannot fix. Other exceptions are not Temporal's: re-raised as they are.
    Bodies follow the gateway's error schema: ``{"detail": {"error": ..., "message": ...}}``."""
    if isinstance(exc, RPCError) and exc.status not in UNREACHABLE:
        log.warning(
            "%s %s: Temporal error %s: %s",
            request.method,
            request.url.path,
            exc.status.name,
            _short(exc),
        )
        problem = {"error": "TemporalError", "message": f"{exc.status.name}: {_short(exc)}"}
        return JSONResponse({"detail": problem}, status_code=502)
    if isinstance(exc, RuntimeError) and not str(exc).startswith(CONNECT_FAILED):
        raise exc
    log.warning("%s %s: Temporal unreachable: %s", request.method, request.url.path, _short(exc))
    problem = {
        "error": "TemporalUnavailable",
        "message": "Temporal is unreachable or did not answer in time; nothing was changed. "
        f"Retry after {RETRY_AFTER_SECONDS} s. ({_short(exc) or type(exc).__name__})",
    }
    return JSONResponse(
        {"detail": problem},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def install_error_handlers(app: FastAPI) -> None:
    """One handler for every way Temporal can be out of reach, on every route."""
    for kind in (RPCError, RPCTimeoutOrCancelledError, RuntimeError):
        app.add_exception_handler(kind, temporal_unavailable)
