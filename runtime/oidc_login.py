"""Getting a token from an OpenID provider with a user name and password, through the
provider's own browser endpoints: the authorization code flow with PKCE (RFC 7636), its login
form posted as a browser would, the code exchanged at the token endpoint.

Used by the CLI's ``login`` (no browser on a plant terminal), the demo and the tests. Every
call is a fresh login (a new cookie jar, ``prompt=login``), so the token's ``auth_time`` is
now: what an electronic signature's re-authentication needs. Written against the embedded
provider's sign-in form (fields ``username`` and ``password``); a plant's own provider uses
its own login page, and people log in with a browser there.
"""

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

REDIRECT_URI = "http://127.0.0.1/callback"
_FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


class LoginFailed(Exception):
    """The provider refused the login; the message says what it answered."""


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    expires_at: datetime
    issuer: str
    username: str
    refresh_token: str | None = None
    obtained_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def authorization(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


async def discover(
    http: httpx.AsyncClient, issuer: str, address: str | None = None
) -> dict[str, str]:
    base = (address or issuer).rstrip("/")
    response = await http.get(base + "/.well-known/openid-configuration")
    response.raise_for_status()
    document: dict[str, str] = response.json()
    if document.get("issuer") != issuer:
        raise LoginFailed(f"{issuer} names itself {document.get('issuer')!r} in its discovery")
    return document


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


async def password_login(
    issuer: str,
    client_id: str,
    username: str,
    password: str,
    resource: str | None = None,
    timeout: float = 20,
    address: str | None = None,
) -> TokenSet:
    """Log ``username`` in at ``issuer`` and return the access token (for ``resource``, the
    API's audience, when given). ``address``: reach the issuer there instead (a second
    instance of the same provider, as the tests run one)."""

    def at(url: str) -> str:
        return address + url[len(issuer) :] if address and url.startswith(issuer) else url

    verifier, challenge = _pkce()
    state = secrets.token_urlsafe(16)
    params = {
        "client_id": client_id,
        "response_type": "code",
        "redirect_uri": REDIRECT_URI,
        "scope": "openid profile roles",
        "state": state,
        "nonce": secrets.token_urlsafe(16),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "prompt": "login",
    }
    if resource:
        params["resource"] = resource
    async with httpx.AsyncClient(timeout=timeout) as http:
        endpoints = await discover(http, issuer, address)
        response = await http.get(at(endpoints["authorization_endpoint"]), params=params)
        code = None
        for _ in range(10):  # redirects: auth -> login form -> auth -> consent -> auth -> app
            if response.is_redirect:
                location = urljoin(str(response.url), response.headers["location"])
                if location.startswith(REDIRECT_URI):
                    code = _code_from(location, state, issuer)
                    break
                response = await http.get(at(location))
            elif response.status_code == 200 and (form := _FORM_ACTION.search(response.text)):
                action = urljoin(str(response.url), form.group(1))
                response = await http.post(
                    action, data={"username": username, "password": password}
                )
                if response.status_code == 401:
                    raise LoginFailed(f"{issuer} refused the login of {username}")
            else:
                raise LoginFailed(f"{issuer} answered {response.status_code}: {response.text}")
        if code is None:
            raise LoginFailed(f"{issuer} did not complete the login")
        token = await http.post(
            at(endpoints["token_endpoint"]),
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT_URI,
                "client_id": client_id,
                "code_verifier": verifier,
            },
        )
    if token.status_code != 200:
        raise LoginFailed(f"token endpoint answered {token.status_code}: {token.text}")
    body = token.json()
    return TokenSet(
        access_token=body["access_token"],
        expires_at=datetime.now(UTC) + timedelta(seconds=int(body.get("expires_in", 0))),
        issuer=issuer,
        username=username,
        refresh_token=body.get("refresh_token"),
    )


def _code_from(location: str, state: str, issuer: str) -> str:
    query = parse_qs(urlsplit(location).query)
    if query.get("error"):
        raise LoginFailed(f"{issuer} refused: {query['error'][0]} {query.get('error_description')}")
    if query.get("state") != [state]:
        raise LoginFailed("the provider's answer carries another login's state")
    if "iss" in query and query["iss"] != [issuer]:
        raise LoginFailed(f"the answer names issuer {query['iss'][0]!r}, not {issuer!r}")
    return query["code"][0]
