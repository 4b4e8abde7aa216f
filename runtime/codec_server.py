"""Codec server: lets the Temporal Web UI (and ``temporal --codec-endpoint``) show
encrypted payloads as plaintext, in the browser of someone who may read them.

Run it with the same keys as the workers (``PLANTFLOW_PAYLOAD_KEYS``,
``PLANTFLOW_PAYLOAD_KEY_ID``)::

    python -m runtime.codec_server          # http://127.0.0.1:8199 (CODEC_HOST, CODEC_PORT)
    temporal server start-dev --ui-codec-endpoint http://127.0.0.1:8199

``PLANTFLOW_CODEC_CORS_ORIGINS`` (comma-separated) lists the Web UI origins allowed to call
it; the default is the dev server's UI on port 8233. Every call needs a bearer token of the
plant's OpenID provider (``PLANTFLOW_OIDC_*``, as for the gateway) whose roles include one of
``PLANTFLOW_CODEC_READER_ROLES`` (default ``quality_manager,supervisor``): 401 without a valid
token, 403 without the role. The Temporal Web UI passes its user's token when its codec
setting ``passAccessToken`` is on; the CLI takes ``--codec-auth "Bearer <token>"``. A payload
it cannot decrypt is a 400 that names no key id (the details go to the server's log).

The protocol: POST ``/encode`` or ``/decode`` with ``{"payloads": [...]}`` in protobuf JSON
form (metadata values and data base64), answered in the same form.
"""

import logging
import sys
from typing import Annotated, Any

import uvicorn
from fastapi import Depends, FastAPI, HTTPException, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from google.protobuf import json_format
from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from temporalio.api.common.v1 import Payloads
from temporalio.converter import PayloadCodec

from gateway.identity import (
    Principal,
    TokenRejected,
    TokenVerifier,
    bearer_token,
    forbidden,
    unauthorized,
)
from gateway.identity_settings import IdentitySettings
from runtime.codec import KEYS_VAR, PayloadDecryptionError, PayloadKeySettings

log = logging.getLogger("plantflow.codec_server")


class CodecServerSettings(BaseSettings):
    """``CODEC_HOST``, ``CODEC_PORT``, ``PLANTFLOW_CODEC_CORS_ORIGINS`` and
    ``PLANTFLOW_CODEC_READER_ROLES``."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    codec_host: str = "127.0.0.1"
    codec_port: int = 8199
    plantflow_codec_cors_origins: Annotated[list[str], NoDecode] = [
        "http://localhost:8233",
        "http://127.0.0.1:8233",
    ]

    plantflow_codec_reader_roles: Annotated[list[str], NoDecode] = [
        "quality_manager",
        "supervisor",
    ]

    @field_validator("plantflow_codec_cors_origins", "plantflow_codec_reader_roles", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value


UNDECODABLE: dict[str, Any] = {
    "error": "undecodable_payload",
    "message": "a payload cannot be decrypted with the keys this server holds "
    "(unknown key, truncated or altered)",
}


def create_app(
    codec: PayloadCodec,
    cors_origins: list[str],
    identity: IdentitySettings,
    reader_roles: list[str],
) -> FastAPI:
    verifier = TokenVerifier(identity)
    allowed = frozenset(reader_roles)

    def reader(request: Request) -> Principal:
        """Only people whose token carries a payload-reading role (sync: the JWKS fetch runs
        in the thread pool)."""
        try:
            principal = verifier.verify(bearer_token(request))
        except TokenRejected as rejected:
            unauthorized(rejected.error, rejected.message)
        if not allowed & principal.roles:
            forbidden(
                "insufficient_role",
                f"reading payloads needs one of the roles {', '.join(sorted(allowed))}; "
                f"{principal.user_id}'s token has: {', '.join(sorted(principal.roles)) or 'none'}",
            )
        return principal

    Reader = Annotated[Principal, Depends(reader)]

    app = FastAPI(
        title="plantflow codec server",
        description="Encodes and decodes Temporal payloads for the Web UI and the CLI.",
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=cors_origins,
        allow_methods=["POST"],
        allow_headers=["content-type", "x-namespace", "authorization"],
    )

    async def read_payloads(request: Request) -> Payloads:
        try:
            return json_format.Parse(await request.body(), Payloads())
        except json_format.ParseError as exc:
            raise HTTPException(
                400, f"expected {{'payloads': [...]}} as protobuf JSON: {exc}"
            ) from None

    def answer(payloads: Payloads) -> Response:
        return Response(json_format.MessageToJson(payloads), media_type="application/json")

    @app.post("/encode", tags=["codec"])
    async def encode(request: Request, who: Reader) -> Response:
        payloads = await read_payloads(request)
        return answer(Payloads(payloads=await codec.encode(payloads.payloads)))

    @app.post("/decode", tags=["codec"])
    async def decode(request: Request, who: Reader) -> Response:
        payloads = await read_payloads(request)
        try:
            decoded = await codec.decode(payloads.payloads)
        except PayloadDecryptionError as exc:
            log.warning("decode for %s refused: %s", who.user_id, exc)
            raise HTTPException(400, UNDECODABLE) from None
        return answer(Payloads(payloads=decoded))

    return app


def main() -> None:
    settings = CodecServerSettings()
    codec = PayloadKeySettings().codec()
    if codec is None:
        sys.exit(f"{KEYS_VAR} is not set: the codec server has no key to work with")
    identity = IdentitySettings()  # type: ignore[call-arg]  # issuer and audience from env
    app = create_app(
        codec,
        settings.plantflow_codec_cors_origins,
        identity,
        settings.plantflow_codec_reader_roles,
    )
    uvicorn.run(app, host=settings.codec_host, port=settings.codec_port, log_level="info")


if __name__ == "__main__":
    main()
