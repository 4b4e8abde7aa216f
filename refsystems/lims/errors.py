"""Refusals the LIMS answers with: an HTTP status and a stable code, in the body
``{"error": {"code": ..., "message": ...}}``."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


class LimsError(Exception):
    """A laboratory rule said no. Raised by the rules; rendered by the app's handler."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def not_found(what: str, key: str) -> LimsError:
    return LimsError(404, "NotFound", f"{what} {key} does not exist")


def install_error_handlers(app: FastAPI) -> None:
    """Refusals and malformed requests answer in the dialect's error shape."""

    async def refusal(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, LimsError)
        return JSONResponse(
            {"error": {"code": exc.code, "message": exc.message}}, status_code=exc.status
        )

    async def invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'][1:]) or 'body'}: {err['msg']}"
            for err in exc.errors()
        )
        return JSONResponse(
            {"error": {"code": "ValidationFailed", "message": problems}}, status_code=422
        )

    app.add_exception_handler(LimsError, refusal)
    app.add_exception_handler(RequestValidationError, invalid)
