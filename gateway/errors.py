"""Temporal outcomes as plain HTTP answers."""

from typing import NoReturn

from fastapi import HTTPException
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode


def raise_for_rpc(workflow_id: str, err: RPCError) -> NoReturn:
    """A missing (or finished) saga is a 404 the caller can act on; anything else propagates."""
    if err.status == RPCStatusCode.NOT_FOUND:
        raise HTTPException(404, f"no running saga {workflow_id}: {err.message}") from err
    raise err


def update_refused(err: WorkflowUpdateFailedError) -> HTTPException:
    """A validator's refusal is the caller's mistake (409), stated in the validator's words."""
    cause = err.cause
    if isinstance(cause, ApplicationError):
        return HTTPException(409, {"error": cause.type, "message": cause.message})
    return HTTPException(409, {"error": "UpdateFailed", "message": str(cause or err)})
