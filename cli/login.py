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
from runtime.oidc_login import LoginFailed, TokenSet, password_login

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
    with os.fdopen(fd, "w") as out:
        json.dump(data, out)
    return path


def stored() -> dict[str, str] | None:
    try:
        data: dict[str, str] = json.loads(token_file().read_text())
    except (OSError, ValueError):
        return None
    return data


def authorization() -> dict[str, str]:
    """The stored token as a header; a missing or expired one stops with what to do."""
    data = stored()
    if data is None:
        console.print(f"[red]not logged in[/]: {LOGIN_HINT}")
        raise typer.Exit(1)
    expires_at = datetime.fromisoformat(data["expires_at"])
    if expires_at <= datetime.now(UTC):
        console.print(
            f"[red]the login of {data['username']} expired at {expires_at:%H:%M:%S} UTC[/]: "
            f"{LOGIN_HINT}"
        )
        raise typer.Exit(1)
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
    try:
        tokens = run(password_login(issuer, client_id, user, password, audience))
    except LoginFailed as exc:
        console.print(f"[red]login failed[/]: {exc}")
        raise typer.Exit(1) from None
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
        console.print(f"not logged in: {LOGIN_HINT}")
        raise typer.Exit(1)
    console.print(
        f"{data['username']} at {data['issuer']}, logged in {data['obtained_at']}, "
        f"valid until {data['expires_at']}"
    )
