"""The operations console: server-rendered pages (Jinja2, htmx served from this package)
for the plant's people, mounted by the gateway at ``/console``."""

from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware
from temporalio.client import RPCTimeoutOrCancelledError
from temporalio.service import RPCError

from gateway.console import actions, auth, pages
from gateway.console.auth import LoginNeeded, Provider
from gateway.console.figures import BacklogCache
from gateway.console.settings import ConsoleSettings
from gateway.deps import GatewayContext
from gateway.errors import temporal_unavailable
from monitoring.backlog import backlog

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "plantflow_console"


def create_console(gw: GatewayContext, settings: ConsoleSettings) -> FastAPI:
    console = FastAPI(title="plantflow console", docs_url=None, redoc_url=None, openapi_url=None)
    console.state.gateway = gw
    console.state.console_settings = settings
    console.state.provider = Provider(gw)
    console.state.templates = Jinja2Templates(directory=HERE / "templates")
    console.state.backlogs = BacklogCache(
        lambda plants: backlog(gw.client, plants), settings.overview_cache_seconds
    )
    console.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret.get_secret_value(),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_seconds,
        path="/console",
        same_site="lax",  # the provider's redirect back is a top-level GET: it must carry it
        https_only=settings.secure_cookie,
    )
    console.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    console.include_router(auth.router)
    console.include_router(pages.router)
    console.include_router(actions.router)

    @console.exception_handler(LoginNeeded)
    async def to_provider(request: Request, exc: LoginNeeded) -> Response:
        params = {"next": exc.next_url, **({"fresh": "1"} if exc.fresh else {})}
        target = f"/console/login?{urlencode(params)}"
        if request.headers.get("HX-Request"):  # htmx follows this instead of swapping
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, 303)

    @console.exception_handler(HTTPException)
    async def as_page(request: Request, exc: HTTPException) -> Response:
        return pages.error_page(request, exc)

    @console.exception_handler(RequestValidationError)
    async def invalid_page(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return pages.error_page(request, HTTPException(422, f"{where}: {first['msg']}"))

    async def temporal_down(request: Request, exc: Exception) -> Response:
        answer = await temporal_unavailable(request, exc)
        message = "Temporal is unreachable or did not answer in time; nothing was changed."
        context = {"status": answer.status_code, "message": message}
        response: Response = console.state.templates.TemplateResponse(
            request, "error.html", context, status_code=answer.status_code
        )
        return response

    for kind in (RPCError, RPCTimeoutOrCancelledError):
        console.add_exception_handler(kind, temporal_down)
    return console
