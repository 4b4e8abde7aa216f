"""Who is calling: OpenID Connect bearer tokens checked against the issuer's published keys.

PyJWT does the cryptography and the registered-claim checks (signature, ``iss``, ``aud``,
``exp``, ``nbf``); ``PyJWKClient`` fetches and caches the issuer's JWKS and refetches it
when a token names a key it has not seen (key rotation; at most once per 30 s cooldown, so
made-up key ids cannot flood the provider). One dependency, ``Caller``, gives a
route the ``Principal``; ``authorize`` then asks the plant's people table whether that person
may act in the plant, and ``require_fresh_login`` enforces re-authentication for signatures.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, NoReturn

import httpx
import jwt
from fastapi import Depends, HTTPException, Request

from canonical.plant_config import Person, Settings
from gateway.identity_settings import IdentitySettings
from workflows.people import find_person

LOGIN_HINT = "run `starter.py login` to get a token"
log = logging.getLogger("plantflow.gateway.identity")


@dataclass(frozen=True)
class Principal:
    """The person a valid token names, as the identity provider describes them."""

    user_id: str
    name: str
    roles: frozenset[str]
    auth_time: datetime | None


class TokenRejected(Exception):
    def __init__(self, error: str, message: str) -> None:
        super().__init__(message)
        self.error = error
        self.message = message


def unauthorized(error: str, message: str, max_age: timedelta | None = None) -> NoReturn:
    """401 with RFC 6750's challenge (RFC 9470's step-up challenge when a fresher login is
    needed), and a body that says what was wrong with the token."""
    if error == "missing_token":
        challenge = "Bearer"
    elif max_age is not None:
        seconds = int(max_age.total_seconds())
        challenge = f'Bearer error="insufficient_user_authentication", max_age="{seconds}"'
    else:
        challenge = 'Bearer error="invalid_token"'
    raise HTTPException(
        401, {"error": error, "message": message}, headers={"WWW-Authenticate": challenge}
    )


def forbidden(error: str, message: str) -> NoReturn:
    raise HTTPException(403, {"error": error, "message": message})


def _claim(claims: dict[str, Any], path: str) -> Any:
    """A claim by dotted path (Keycloak keeps roles under ``realm_access.roles``)."""
    node: Any = claims
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


class TokenVerifier:
    """Validates tokens of one issuer for one audience."""

    def __init__(self, settings: IdentitySettings) -> None:
        self.settings = settings
        self._jwks: jwt.PyJWKClient | None = None
        self._lock = threading.Lock()

    def _key_client(self) -> jwt.PyJWKClient:
        """The JWKS client, from the configured URL or the issuer's discovery document
        (whose ``issuer`` must equal the configured one, as OpenID Discovery requires)."""
        with self._lock:
            if self._jwks is None:
                url = self.settings.jwks_url or self._discover_jwks_url()
                self._jwks = jwt.PyJWKClient(url, cache_keys=True, lifespan=300, timeout=10)
            return self._jwks

    def check_provider(self) -> None:
        """At start: a provider whose discovery names another issuer is a configuration
        error (the gateway does not start); one not reachable yet is a warning (tokens are
        refused with 503 until it is)."""
        try:
            self._key_client().get_signing_keys()
        except HTTPException as exc:
            detail: dict[str, Any] = exc.detail if isinstance(exc.detail, dict) else {}
            if detail.get("error") == "identity_provider_misconfigured":
                raise RuntimeError(f"{self.settings.issuer}: {detail.get('message')}") from None
            log.warning("identity provider %s not reachable yet: %s", self.settings.issuer, exc)
        except jwt.PyJWKClientError as exc:
            log.warning("identity provider %s keys not readable yet: %s", self.settings.issuer, exc)

    def _discover_jwks_url(self) -> str:
        try:
            response = httpx.get(self.settings.discovery_url, timeout=10)
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise HTTPException(
                503,
                {"error": "identity_provider_unreachable", "message": f"discovery failed: {exc}"},
            ) from exc
        if document.get("issuer") != self.settings.issuer:
            raise HTTPException(
                503,
                {
                    "error": "identity_provider_misconfigured",
                    "message": f"the discovery document names issuer {document.get('issuer')!r}",
                },
            )
        jwks_uri: str = document["jwks_uri"]
        return jwks_uri

    def verify(self, token: str) -> Principal:
        s = self.settings
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.InvalidTokenError:
            raise TokenRejected("invalid_token", "the bearer token is not a JWT") from None
        if header.get("alg") not in s.algorithms:
            raise TokenRejected(
                "invalid_token", f"token algorithm {header.get('alg')!r} is not accepted"
            )
        # Read before the signature check only to say *why* a token is refused.
        if unverified.get("iss") != s.issuer:
            raise TokenRejected(
                "wrong_issuer",
                f"the token was issued by {unverified.get('iss')!r}; this gateway trusts "
                f"{s.issuer!r}",
            )
        try:
            key = self._key_client().get_signing_key_from_jwt(token)
        except jwt.PyJWKClientConnectionError as exc:
            raise HTTPException(
                503, {"error": "identity_provider_unreachable", "message": str(exc)}
            ) from exc
        except jwt.PyJWKClientError:
            raise TokenRejected(
                "bad_signature", "the token is signed with a key the issuer does not publish"
            ) from None
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=s.algorithms,
                audience=s.audience,
                issuer=s.issuer,
                leeway=s.leeway_seconds,
                options={"require": ["exp", "iat", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise TokenRejected("expired_token", f"the token has expired: {LOGIN_HINT}") from None
        except jwt.InvalidAudienceError:
            raise TokenRejected(
                "wrong_audience",
                f"the token is for audience {unverified.get('aud')!r}, not {s.audience!r}",
            ) from None
        except jwt.InvalidSignatureError:
            raise TokenRejected("bad_signature", "the token's signature does not verify") from None
        except jwt.InvalidTokenError as exc:
            raise TokenRejected("invalid_token", f"the token is not valid: {exc}") from None
        return self._principal(claims)

    def _principal(self, claims: dict[str, Any]) -> Principal:
        s = self.settings
        user_id = _claim(claims, s.user_claim)
        if not isinstance(user_id, str) or not user_id:
            raise TokenRejected("invalid_token", f"the token has no {s.user_claim!r} claim")
        roles = _claim(claims, s.roles_claim) or []
        if isinstance(roles, str):
            roles = roles.split()
        auth_time = claims.get("auth_time")
        return Principal(
            user_id=user_id,
            name=str(_claim(claims, s.name_claim) or ""),
            roles=frozenset(str(r) for r in roles),
            auth_time=(
                datetime.fromtimestamp(auth_time, UTC) if isinstance(auth_time, int) else None
            ),
        )


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        unauthorized("missing_token", f"no bearer token: {LOGIN_HINT}")
    if scheme.lower() != "bearer" or not token.strip():
        unauthorized("missing_token", "the Authorization header is not 'Bearer <token>'")
    return token.strip()


def authenticated(request: Request) -> Principal:
    """The caller's principal; a sync dependency, so FastAPI runs it (and any JWKS fetch)
    in its thread pool instead of on the event loop."""
    verifier: TokenVerifier = request.app.state.gateway.verifier
    try:
        return verifier.verify(bearer_token(request))
    except TokenRejected as rejected:
        unauthorized(rejected.error, rejected.message)


Caller = Annotated[Principal, Depends(authenticated)]


def authorize(
    settings: Settings, principal: Principal, plant: str, roles: frozenset[str], action: str
) -> Person:
    """The plant's record of the person, if they may do ``action`` there; else a 403 that says
    which check failed (no such plant person, or none of the roles the action needs)."""
    config = settings.plants.get(plant)
    if config is None:
        raise HTTPException(
            404,
            {"error": "UnknownPlant", "message": f"plant {plant!r} is not configured"},
        )
    person = find_person(config.people, principal.user_id)
    if person is None:
        forbidden(
            "not_in_plant",
            f"{principal.user_id} is not one of plant {plant}'s people and may not {action}",
        )
    if roles and not roles & principal.roles:
        held = ", ".join(sorted(principal.roles)) or "none"
        forbidden(
            "insufficient_role",
            f"to {action} needs one of the roles {', '.join(sorted(roles))}; "
            f"{principal.user_id}'s token has: {held}",
        )
    return person


def plants_of(settings: Settings, principal: Principal) -> set[str]:
    """The plants whose people table lists the caller (what their listings may show)."""
    return {
        plant_id
        for plant_id, config in settings.plants.items()
        if find_person(config.people, principal.user_id)
    }


def require_fresh_login(principal: Principal, max_age: timedelta) -> datetime:
    """A signature re-authenticates its signer (21 CFR 11.200): the token's login must be at
    most ``max_age`` old. Returns that login time."""
    minutes = int(max_age.total_seconds() // 60)
    if principal.auth_time is None:
        unauthorized(
            "reauthentication_required",
            f"signing needs a login time (auth_time) in the token: {LOGIN_HINT} again",
            max_age,
        )
    age = datetime.now(UTC) - principal.auth_time
    if age > max_age:
        unauthorized(
            "reauthentication_required",
            f"signing needs a login within the last {minutes} minutes; "
            f"{principal.user_id} logged in {int(age.total_seconds() // 60)} minutes ago: "
            f"{LOGIN_HINT} again",
            max_age,
        )
    return principal.auth_time
