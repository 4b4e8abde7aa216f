"""The one place tests get tokens: real logins at the stack's OpenID provider
(``stack.idp.headers(user)``), a second instance of that provider whose clock runs behind
(genuinely signed tokens that are stale or expired), and an attacker's tokens."""

import json
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from stack.identity_provider import DEMO_DATA, IdentityProvider, identity_provider

SHORT_LIVED_CLIENT = "plantflow-short-lived"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@asynccontextmanager
async def provider_behind(
    live: IdentityProvider, data_dir: Path, seconds: int
) -> AsyncIterator[IdentityProvider]:
    """The same provider (issuer, signing keys in ``data_dir``, people) with its clock
    ``seconds`` behind:
    its logins are that old. Its client ``plantflow-short-lived`` issues 60-second tokens,
    which are therefore already expired when ``seconds`` > 60."""
    data = json.loads(DEMO_DATA.read_text())
    short = {**data["clients"][0], "client_id": SHORT_LIVED_CLIENT, "access_token_ttl": 60}
    data["clients"].append(short)
    data_file = data_dir / "idp-behind.json"
    data_file.write_text(json.dumps(data))
    async with identity_provider(
        data_dir, data_file=data_file, issuer=live.issuer, clock_offset_seconds=seconds
    ) as behind:
        yield behind


def claims_like(live: IdentityProvider, user: str, **changes: Any) -> dict[str, Any]:
    """The claims a genuine token of ``user`` carries, changed as given."""
    person = next(u for u in live.data["users"] if u["username"] == user)
    now = int(time.time())
    claims = {
        "iss": live.issuer,
        "aud": live.audience,
        "sub": user,
        "name": person["name"],
        "roles": person["roles"],
        "iat": now,
        "exp": now + 600,
        "auth_time": now,
        "jti": str(uuid.uuid4()),
    }
    claims.update(changes)
    return claims


def forged(claims: dict[str, Any], kid: str) -> str:
    """A token signed by a key the attacker made (naming the provider's key id)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def provider_kid(live: IdentityProvider, data_dir: Path) -> str:
    keys = json.loads((data_dir / "idp-keys.json").read_text())
    kid: str = keys["keys"][0]["kid"]
    return kid
