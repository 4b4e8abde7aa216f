"""How the MES says no: ``{"error": {"code": "LotHeld", "message": "..."}}``.

Codes: 409 JobOrderExists, JobAborted, LotHeld, JobSuspended, InvalidState; 404
JobOrderNotFound, SiteNotFound; 422 UnknownSite, UnknownSegment, DuplicateSegment, UnknownUnit,
InvalidQuantity, LotMismatch, ScopeMismatch, InvalidRequest (the request does not match the
dialect).
Packaging verification: 409 JobNotCompleted, AlreadyVerified (and LotHeld, JobAborted);
404 PackagingVerificationNotFound; 422 UnknownCheck, DuplicateCheck, MissingCheck,
MaterialRequired, MaterialMismatch.
"""

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


class MesRefusal(Exception):
    """A business rule refused the request; nothing was changed."""

    def __init__(self, status_code: int, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.status_code = status_code
        self.code = code
        self.message = message


def conflict(code: str, message: str) -> MesRefusal:
    return MesRefusal(409, code, message)


def unprocessable(code: str, message: str) -> MesRefusal:
    return MesRefusal(422, code, message)


def not_found(code: str, message: str) -> MesRefusal:
    return MesRefusal(404, code, message)


def error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    return {"error": {"code": code, "message": message, **extra}}


async def refusal_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MesRefusal)
    return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status_code)


async def validation_handler(_request: Request, exc: Exception) -> JSONResponse:
    """Dialect errors in the MES's own error shape, naming each offending field."""
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"field": ".".join(str(p) for p in err["loc"] if p != "body"), "message": err["msg"]}
        for err in exc.errors()
    ]
    message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    body = error_body("InvalidRequest", message, details=jsonable_encoder(problems))
    return JSONResponse(body, status_code=422)
