"""The gateway's error bodies as pydantic models, for the OpenAPI document, and the check
of identifiers in paths (a plant not in the configuration is 404; a malformed id is 422)."""

from typing import Any

from fastapi import HTTPException, Request
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from canonical.identifiers import ItemId, LotId, OrderId, PlantId
from canonical.plant_config import ConfigError, Settings


class Problem(BaseModel):
    """What went wrong, in words a sender or a person can act on."""

    error: str = Field(description="Stable error type, e.g. EventRejected, UnknownPlant")
    message: str
    field: str | None = Field(default=None, description="The payload or path field at fault")


class ValidationIssue(BaseModel):
    """FastAPI's own answer when the body or a parameter does not fit the declared schema."""

    loc: list[str | int]
    msg: str
    type: str


class ErrorBody(BaseModel):
    detail: Problem | list[ValidationIssue] | str


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route or router: each status with the real error schema."""
    described = {
        400: "The body could not be read as JSON (e.g. not UTF-8)",
        401: "Missing or invalid credentials",
        403: "Not allowed",
        404: "Unknown plant, or no such saga or document",
        409: "Refused by the saga (the message says why)",
        413: "Request body larger than [limits] max_body_bytes",
        422: "Malformed input; the field at fault is named",
        503: "Temporal or a system is unavailable; retry later",
    }
    return {s: {"model": ErrorBody, "description": described[s]} for s in statuses}


# What a POST that reads a body and runs a saga update can answer besides the router's own.
UPDATE_ERRORS = error_responses(400, 409, 413)


def problem(status: int, error: str, message: str, field: str | None = None) -> HTTPException:
    body = Problem(error=error, message=message, field=field)
    return HTTPException(status, body.model_dump(exclude_none=True))


_PATH_IDS: dict[str, TypeAdapter[str]] = {
    "plant": TypeAdapter(PlantId),
    "order_id": TypeAdapter(OrderId),
    "item": TypeAdapter(ItemId),
    "lot": TypeAdapter(LotId),
}


def check_path_ids(request: Request) -> None:
    """Router dependency: every identifier in the path is printable and fits its field, the
    plant is configured (else 404) and a lot matches the plant's lot_pattern."""
    params = request.path_params
    for name, adapter in _PATH_IDS.items():
        if name not in params:
            continue
        try:
            adapter.validate_python(params[name])
        except ValidationError as exc:
            raise problem(422, "InvalidIdentifier", exc.errors()[0]["msg"], name) from None
    if "plant" not in params:
        return
    settings: Settings = request.app.state.gateway.settings
    try:
        plant = settings.plant(params["plant"])
    except ConfigError as exc:
        raise problem(404, "UnknownPlant", str(exc), "plant") from None
    if "lot" in params:
        try:
            plant.check_lot(params["lot"])
        except ConfigError as exc:
            raise problem(422, "InvalidIdentifier", str(exc), "lot") from None
