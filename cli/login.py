"""`starter.py login`, `logout`, `whoami`: the person behind every gateway call.

``login`` signs in at the plant's OpenID provider with user name and password (the
authorization code flow with PKCE, driven through the provider's sign-in form: a plant
terminal has no browser) and keeps the access token in PLANTFLOW_TOKEN_FILE (default
``~/.config/plantflow/token.json``, readable by you only). Every gateway call sends it. A
signature needs a login of the last few minutes: run ``login`` again right before signing.
"""

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from cli.common import console, run
from cli.errors import fail
from runtime.oidc_login import TokenSet, password_login

DEFAULT_ISSUER = "http://127.0.0.1:8106"  # the demo stack's embedded provider
DEFAULT_AUDIENCE = "urn:plantflow:gateway"
LOGIN_HINT = "run `starter.py login --user <your user id>`"

Issuer = Annotated[str, typer.Option(envvar="PLANTFLOW_OIDC_ISSUER", help="OpenID provider")]
Audience = Annotated[
    str, typer.Option(envvar="PLANTFLOW_OIDC_AUDIENCE", help="The gateway's audience")
]
ClientId = Annotated[str, typer.Option(envvar="PLANTFLOW_OIDC_CLIENT_ID", help="CLI client id")]


def token_file() -> Path:
    configured = os.environ.get("PLANTFLOW_TOKEN_FILE")
    return Path(configured) if configured else Path.home() / ".config" / "plantflow" / "token.json"


def save(tokens: TokenSet) -> Path:
    path = token_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {
        "access_token": tokens.access_token,
        "expires_at": tokens.expires_at.isoformat(),
        "issuer": tokens.issuer,
        "username": tokens.username,
        "obtained_at": tokens.obtained_at.isoformat(),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # a file that already existed keeps its mode otherwise
    with os.fdopen(fd, "w") as out:
        json.dump(data, out)
    return path


TOKEN_FIELDS = ("access_token", "expires_at", "username", "issuer", "obtained_at")


def stored() -> dict[str, str] | None:
    """The stored login, or None when there is none or it is unreadable (log in again)."""
    try:
        data = json.loads(token_file().read_text())
        datetime.fromisoformat(data["expires_at"])
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not isinstance(data, dict) or "access_token" not in data:
        return None
    return {field: str(data.get(field, "?")) for field in TOKEN_FIELDS}


def authorization() -> dict[str, str]:
    """The stored token as a header; a missing or expired one stops with what to do."""
    data = stored()
    if data is None:
        fail("not logged in", LOGIN_HINT)
    expires_at = datetime.fromisoformat(data["expires_at"])
    if expires_at <= datetime.now(UTC):
        fail(f"the login of {data['username']} expired at {expires_at:%H:%M:%S} UTC", LOGIN_HINT)
    return {"Authorization": f"Bearer {data['access_token']}"}


def login(
    user: Annotated[str, typer.Option(help="Your user id at the identity provider")],
    password_stdin: Annotated[
        bool, typer.Option(help="Read the password from standard input (scripts)")
    ] = False,
    issuer: Issuer = DEFAULT_ISSUER,
    audience: Audience = DEFAULT_AUDIENCE,
    client_id: ClientId = "plantflow-cli",
) -> None:
    """Sign in; the token is sent with every gateway call. Sign in again right before you
    sign a disposition, release or override (a signature needs a fresh login)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True)
    tokens = run(password_login(issuer, client_id, user, password, audience))
    path = save(tokens)
    console.print(
        f"logged in as {user} at {issuer}; the token is valid until "
        f"{tokens.expires_at:%H:%M:%S} UTC (kept in {path})"
    )


def logout() -> None:
    """Forget the stored token."""
    token_file().unlink(missing_ok=True)
    console.print("logged out")


def whoami() -> None:
    """Who the stored token names, and until when it is valid."""
    data = stored()
    if data is None:
        fail("not logged in", LOGIN_HINT)
    console.print(
        f"{data['username']} at {data['issuer']}, logged in {data['obtained_at']}, "
        f"valid until {data['expires_at']}"
    )
