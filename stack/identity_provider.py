"""The embedded OpenID provider (panva's oidc-provider on Node.js) as a child process, and
the demo people's tokens from it.

``stack/idp/server.mjs`` is the provider; ``config/idp-demo.json`` its people, passwords,
roles and clients. ``scripts/bootstrap.sh`` installs it with ``npm ci`` from the committed
lock file.
"""

import asyncio
import json
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from runtime.oidc_login import TokenSet, password_login

IDP_DIR = Path(__file__).resolve().parent / "idp"
DEMO_DATA = Path(__file__).resolve().parent.parent / "config" / "idp-demo.json"
CLI_CLIENT = "plantflow-cli"


@dataclass
class IdentityProvider:
    issuer: str
    address: str = field(repr=False)  # where it listens (its issuer, unless told otherwise)
    audience: str
    data: dict[str, Any]
    process: asyncio.subprocess.Process = field(repr=False)
    _tokens: dict[tuple[str, str], TokenSet] = field(default_factory=dict, repr=False)

    def password(self, username: str) -> str:
        return next(str(u["password"]) for u in self.data["users"] if u["username"] == username)

    async def login(
        self, username: str, resource: str | None = None, client_id: str = CLI_CLIENT
    ) -> TokenSet:
        """A fresh login (auth_time now) of a demo person."""
        return await password_login(
            self.issuer,
            client_id,
            username,
            self.password(username),
            resource or self.audience,
            address=self.address,
        )

    async def token(self, username: str) -> TokenSet:
        """A demo person's token, reused while its login is under 4 minutes old, so that it
        still counts as a fresh login for a signature (5 minutes by default)."""
        key = (username, self.audience)
        cached = self._tokens.get(key)
        if cached is None or datetime.now(UTC) - cached.obtained_at > timedelta(minutes=4):
            cached = self._tokens[key] = await self.login(username)
        return cached

    async def headers(self, username: str) -> dict[str, str]:
        return (await self.token(username)).authorization


def node_binary() -> str:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js (20.19 or later) is needed for the embedded OpenID provider")
    if not (IDP_DIR / "node_modules" / "oidc-provider").exists():
        raise RuntimeError("the OpenID provider is not installed: run scripts/bootstrap.sh")
    return node


@asynccontextmanager
async def identity_provider(
    data_dir: Path,
    port: int = 0,
    data_file: Path = DEMO_DATA,
    issuer: str | None = None,
    clock_offset_seconds: int = 0,
) -> AsyncIterator[IdentityProvider]:
    """Start the provider; its signing keys live in ``data_dir/idp-keys.json`` so that a
    second instance (tests: another clock) signs with the same keys."""
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "IDP_PORT": str(port),
        "IDP_DATA": str(data_file),
        "IDP_KEYS": str(data_dir / "idp-keys.json"),
        "NODE_NO_WARNINGS": "1",
        "IDP_EXIT_WITH_PARENT": "1",  # its stdin is our pipe: it ends when we do
    }
    if issuer:
        env["IDP_ISSUER"] = issuer
    if clock_offset_seconds:
        env["IDP_TEST_CLOCK_OFFSET_SECONDS"] = str(clock_offset_seconds)
    process = await asyncio.create_subprocess_exec(
        node_binary(),
        str(IDP_DIR / "server.mjs"),
        env=env,
        cwd=IDP_DIR,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=(data_dir / "idp.log").open("ab"),
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        if not line:
            raise RuntimeError(f"the OpenID provider stopped at start-up: see {data_dir}/idp.log")
        started = json.loads(line)
        data = json.loads(data_file.read_text())
        yield IdentityProvider(
            issuer=started["issuer"],
            address=f"http://127.0.0.1:{started['port']}",
            audience=data["audience"],
            data=data,
            process=process,
        )
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()
