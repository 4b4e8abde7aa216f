"""How a reference system says no: an HTTP status and a stable code, in the body
``{"error": {"code": ..., "message": ...}}``, and malformed requests as ``ValidationFailed``."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


class Refusal(Exception):
    """A business rule said no. Raised by the rules; rendered by the app's handler.
    ``extra`` fields go into the error body (e.g. the existing document's number)."""

    def __init__(self, status: int, code: str, message: str, **extra: Any):
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


def install_error_handlers(app: FastAPI, refusal_type: type[Refusal]) -> None:
    """Refusals and malformed requests answer in the dialect's error shape."""

    async def refusal(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Refusal)
        body = {"code": exc.code, "message": exc.message, **exc.extra}
        return JSONResponse({"error": body}, status_code=exc.status)

    async def invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'][1:]) or 'body'}: {err['msg']}"
            for err in exc.errors()
        )
        return JSONResponse(
            {"error": {"code": "ValidationFailed", "message": problems}}, status_code=422
        )

    app.add_exception_handler(refusal_type, refusal)
    app.add_exception_handler(RequestValidationError, invalid)
