"""Signing in to the console: the OpenID authorization code flow with PKCE (RFC 7636) against
the provider the gateway trusts, the access token kept in the signed session cookie.

Hand-written on httpx rather than Authlib: the flow is three requests, the project already
has the PKCE and discovery helpers (runtime/oidc_login.py), and the token is checked by the
gateway's own ``TokenVerifier``, exactly as a bearer token at the API is.
"""

import asyncio
import base64
import secrets
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from gateway.console.settings import ConsoleSettings
from gateway.deps import GatewayContext
from gateway.identity import Principal, TokenRejected
from runtime.oidc_login import LoginFailed, _pkce, discover

router = APIRouter()
SCOPE = "openid profile roles"


class LoginNeeded(Exception):
    """No valid session (or a signature needs a fresher login): go to the provider and come
    back to ``next_url``."""

    def __init__(self, next_url: str, fresh: bool = False, message: str = "") -> None:
        super().__init__(message or "sign-in needed")
        self.next_url = next_url
        self.fresh = fresh


def safe_next(value: str | None) -> str:
    """Only a path of the console itself: never an open redirect to another site."""
    if value and value.startswith("/console") and not value.startswith("//"):
        return value
    return "/console/"


def here(request: Request) -> str:
    """Where to come back to after a login: this page, or for a form post (which cannot be
    repeated by a redirect) the page the form was on."""
    if request.method != "GET":
        referer = urlsplit(request.headers.get("referer", ""))
        query = f"?{referer.query}" if referer.query else ""
        return safe_next(f"{referer.path}{query}")
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{request.url.path}{query}"


class Provider:
    """The provider's endpoints, read once from its discovery document."""

    def __init__(self, gw: GatewayContext) -> None:
        self.gw = gw
        self._endpoints: dict[str, str] | None = None
        self._lock = asyncio.Lock()

    async def endpoints(self, http: httpx.AsyncClient) -> dict[str, str]:
        async with self._lock:
            if self._endpoints is None:
                self._endpoints = await discover(http, self.gw.identity.issuer)
            return self._endpoints


def _console(request: Request) -> tuple[GatewayContext, ConsoleSettings, Provider]:
    state = request.app.state
    return state.gateway, state.console_settings, state.provider


def callback_url(request: Request, settings: ConsoleSettings) -> str:
    if settings.public_url:
        return f"{settings.public_url}/console/callback"
    return str(request.url_for("callback"))


async def signed_in(request: Request) -> Principal:
    """The person of this browser session; ``LoginNeeded`` when there is none or its token
    is no longer valid (expired, or the provider's keys changed)."""
    gw, _, _ = _console(request)
    token = request.session.get("token")
    if not token:
        raise LoginNeeded(here(request))
    try:
        return await asyncio.to_thread(gw.verifier.verify, token)
    except TokenRejected as rejected:
        request.session.pop("token", None)
        raise LoginNeeded(here(request), message=rejected.message) from None


def csrf_token(request: Request) -> str:
    """The session's token that every console form carries back."""
    token: str | None = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(24)
    return token


def console_form(request: Request, csrf: str = Form("")) -> None:
    """A form post must carry this session's token: a page of another site (even one on
    the same host, which SameSite=Lax lets through) cannot act as the signed-in person."""
    expected = request.session.get("csrf")
    if not expected or not secrets.compare_digest(csrf, expected):
        raise HTTPException(
            403,
            {
                "error": "stale_form",
                "message": "this form was not sent from a current console page: reload the "
                "page and try again",
            },
        )


FromConsole = Depends(console_form)


@router.get("/login", name="login")
async def login(request: Request, next: str | None = None, fresh: bool = False) -> Response:
    """Off to the provider. ``fresh``: the person must enter their password again (a
    signature's re-authentication), whatever session the provider still has."""
    gw, settings, provider = _console(request)
    verifier, challenge = _pkce()
    state = secrets.token_urlsafe(16)
    request.session["login"] = {
        "state": state,
        "verifier": verifier,
        "next": safe_next(next),
        "fresh": fresh,
    }
    params = {
        "client_id": settings.client_id,
        "response_type": "code",
        "redirect_uri": callback_url(request, settings),
        "scope": SCOPE,
        "state": state,
        "nonce": secrets.token_urlsafe(16),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "resource": gw.identity.audience,
    }
    # A new sign-in always asks for the password: on a shared plant terminal, a provider
    # session left behind must not sign the next person in. Only a session of this browser
    # whose token expired (not signed out) renews silently at the provider.
    if fresh or not request.session.get("user"):
        params.update(prompt="login", max_age="0")
    endpoints = await provider.endpoints(gw._client())
    return RedirectResponse(f"{endpoints['authorization_endpoint']}?{urlencode(params)}", 303)


@router.get("/callback", name="callback")
async def callback(
    request: Request,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
    error_description: str | None = None,
) -> Response:
    """Back from the provider: the code for a token, the token into the session."""
    gw, settings, provider = _console(request)
    pending: dict[str, Any] = request.session.pop("login", None) or {}
    templates = request.app.state.templates
    if error or not code or not pending or state != pending.get("state"):
        reason = error_description or error or "the sign-in was not started here or has expired"
        return templates.TemplateResponse(
            request, "signed_out.html", {"message": f"Sign-in failed: {reason}."}, status_code=400
        )
    http = gw._client()
    endpoints = await provider.endpoints(http)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": callback_url(request, settings),
        "code_verifier": pending["verifier"],
        "client_id": settings.client_id,
    }
    headers = {}
    if settings.client_secret is not None:  # a confidential client: client_secret_basic
        secret = settings.client_secret.get_secret_value()
        pair = f"{quote(settings.client_id, safe='')}:{quote(secret, safe='')}"  # RFC 6749 2.3.1
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    try:
        response = await http.post(endpoints["token_endpoint"], data=form, headers=headers)
        body = response.json()
    except (httpx.HTTPError, ValueError, LoginFailed) as exc:
        return templates.TemplateResponse(
            request,
            "signed_out.html",
            {"message": f"The sign-in service did not answer: {exc}"},
            status_code=502,
        )
    token = body.get("access_token") if response.status_code == 200 else None
    if not token:
        message = body.get("error_description") or body.get("error") or response.status_code
        return templates.TemplateResponse(
            request, "signed_out.html", {"message": f"Sign-in refused: {message}."}, 400
        )
    try:
        principal = await asyncio.to_thread(gw.verifier.verify, token)
    except TokenRejected as rejected:
        return templates.TemplateResponse(
            request, "signed_out.html", {"message": f"Sign-in refused: {rejected.message}"}, 400
        )
    request.session["token"] = token
    request.session["user"] = principal.user_id
    # A password entered for one signature is good for that signature only (21 CFR 11.200:
    # each signing outside a continuous series uses every component).
    request.session["signing"] = pending["next"] if pending.get("fresh") else None
    return RedirectResponse(pending["next"], 303)


@router.post("/logout", name="logout")
async def logout(request: Request) -> Response:
    """Without the form token check: signing out must work from a page whose session has
    already expired, and being signed out by another page does no harm."""
    request.session.clear()
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "signed_out.html", {"message": "You are signed out."}
    )
