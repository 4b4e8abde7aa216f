"""The product's own errors as one line for the person at the terminal: what failed and what to
do. Every command's work runs through ``cli.common.run``, which prints this line on stderr and
exits non-zero instead of showing a traceback."""

from typing import Any, NoReturn

import httpx
import typer
from rich.console import Console
from rich.markup import escape
from temporalio.service import RPCError, RPCStatusCode

from adapters.errors import AdapterError, BusinessRefusal, SystemUnavailable
from canonical.plant_config import ConfigError
from runtime.oidc_login import LoginFailed
from runtime.settings import SettingsError
from runtime.temporal_client import unreachable
from stack.ports import PortsInUse

# soft_wrap: the line is never broken at the terminal's width (one line a script can grep).
errors = Console(stderr=True, soft_wrap=True, highlight=False)

STACK_HINT = "is the stack running (`starter.py demo`) and is the address right (see --help)?"
SYSTEM_NAMES = {
    "erp": "ERP",
    "mes": "MES",
    "qms": "QMS",
    "lims": "LIMS",
    "supplier-portal": "supplier portal",
}
# Exit codes: 1 refused (by a system, the gateway or the configuration), 2 unreachable.
REFUSED, UNREACHABLE = 1, 2


def fail(what: str, todo: str, code: int = REFUSED) -> NoReturn:
    """Print ``what failed; what to do`` as one line on stderr and exit with ``code``."""
    errors.print(f"[red]{escape(what)}[/]; {escape(todo)}")
    raise typer.Exit(code)


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _url(exc: httpx.TransportError) -> str:
    try:
        return str(exc.request.url)
    except RuntimeError:  # an error raised before a request was built
        return "the service"


def _transport(exc: httpx.TransportError) -> NoReturn:
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "refused or unreachable"
    fail(f"cannot reach {_url(exc)} ({kind})", STACK_HINT, UNREACHABLE)


def _adapter(exc: AdapterError) -> NoReturn:
    system = SYSTEM_NAMES.get(exc.system, exc.system)
    if isinstance(exc, SystemUnavailable):
        fail(
            f"{system} is unavailable: {_one_line(exc.message)}",
            f"start the {system} or wait until it answers, then run the command again",
            UNREACHABLE,
        )
    if isinstance(exc, BusinessRefusal):
        fail(f"{system} refused it: {_one_line(exc.message)}", "check the numbers you gave")
    fail(f"{system}: {_one_line(exc.message)}", "check the numbers you gave")


TEMPORAL_HINT = (
    "start it (`starter.py temporal-server`, or the compose stack) or point TEMPORAL_ADDRESS "
    "(--address) at it"
)


def _temporal(exc: RPCError) -> NoReturn:
    if exc.status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED):
        fail(f"Temporal is unreachable ({_one_line(exc.message)})", TEMPORAL_HINT, UNREACHABLE)
    if exc.status == RPCStatusCode.NOT_FOUND:
        fail(f"Temporal has no such workflow: {_one_line(exc.message)}", "check the id")
    fail(f"Temporal answered {exc.status.name}: {_one_line(exc.message)}", "check the request")


def explain(exc: BaseException) -> NoReturn | None:
    """Exit with one line for the product's own errors; ``None`` for anything else (a bug,
    which keeps its traceback)."""
    if isinstance(exc, httpx.TransportError):
        _transport(exc)
    if isinstance(exc, AdapterError):
        _adapter(exc)
    if isinstance(exc, RPCError):
        _temporal(exc)
    reason = unreachable(exc)
    if reason is not None:
        fail(f"Temporal is unreachable ({reason})", TEMPORAL_HINT, UNREACHABLE)
    if isinstance(exc, LoginFailed):
        fail(f"login failed: {_one_line(str(exc))}", "check your user id and password")
    if isinstance(exc, ConfigError | SettingsError):
        fail(_one_line(str(exc), 1000), "correct the configuration and run the command again")
    if isinstance(exc, PortsInUse):
        fail(f"cannot start: {exc}", "stop the process holding it or choose other ports")
    if isinstance(exc, RuntimeError) and "binary is not on PATH" in str(exc):
        fail(str(exc), "run `source scripts/bootstrap.sh`")
    return None


def _detail(body: Any) -> tuple[str, str]:
    """(error type, message) from the gateway's ``ErrorBody`` or FastAPI's 422 list."""
    detail = body.get("detail", body) if isinstance(body, dict) else body
    if isinstance(detail, dict):
        error = str(detail.get("error") or detail.get("code") or "")
        message = detail.get("message") or detail.get("detail") or detail
        field = detail.get("field")
        return error, f"{field}: {message}" if field else str(message)
    if isinstance(detail, list):  # FastAPI's request validation errors
        parts = [
            f"{'.'.join(str(p) for p in item.get('loc', []))}: {item.get('msg')}"
            for item in detail
            if isinstance(item, dict)
        ]
        return "invalid request", "; ".join(parts) or str(detail)
    return "", str(detail)


ANSWER_HINTS = {
    401: "log in again: `starter.py login --user <your user id>`",
    403: "ask for the role or plant it needs, or let a colleague who has it act",
    404: "check the plant, order, item or lot you gave",
    409: "the saga refused it in its current state: look at it with `show`",
    422: "correct the value named above",
    503: "a system behind the gateway is unavailable: try again shortly",
}


def refused(response: httpx.Response) -> NoReturn:
    """A gateway (or system) answer of 4xx/5xx as one line: status, error and message."""
    try:
        error, message = _detail(response.json())
    except ValueError:
        error, message = "", response.text
    label = f"{response.status_code} {error}".strip()
    retry = response.headers.get("retry-after")
    hint = ANSWER_HINTS.get(response.status_code, "see the message")
    if retry and response.status_code == 503:
        hint = f"a system behind the gateway is unavailable: try again in {retry} s"
    code = UNREACHABLE if response.status_code >= 500 else REFUSED
    fail(f"{label}: {_one_line(message)}", hint, code)
