"""Codec server: lets the Temporal Web UI (and ``temporal --codec-endpoint``) show
encrypted payloads as plaintext, in the browser of someone who may read them.

Run it with the same keys as the workers (``PLANTFLOW_PAYLOAD_KEYS``,
``PLANTFLOW_PAYLOAD_KEY_ID``)::

    python -m runtime.codec_server          # http://127.0.0.1:8199 (CODEC_HOST, CODEC_PORT)
    temporal server start-dev --ui-codec-endpoint http://127.0.0.1:8199

``PLANTFLOW_CODEC_CORS_ORIGINS`` (comma-separated) lists the Web UI origins allowed to call
it; the default is the dev server's UI on port 8233. The server has no authentication of
its own: anyone who can reach it can decrypt, so keep it on localhost or behind a proxy
that authenticates.

The protocol: POST ``/encode`` or ``/decode`` with ``{"payloads": [...]}`` in protobuf JSON
form (metadata values and data base64), answered in the same form.
"""

import sys
from typing import Annotated

import uvicorn
from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from google.protobuf import json_format
from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from temporalio.api.common.v1 import Payloads
from temporalio.converter import PayloadCodec

from runtime.codec import KEYS_VAR, PayloadDecryptionError, PayloadKeySettings


class CodecServerSettings(BaseSettings):
    """``CODEC_HOST``, ``CODEC_PORT`` and ``PLANTFLOW_CODEC_CORS_ORIGINS``."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    codec_host: str = "127.0.0.1"
    codec_port: int = 8199
    plantflow_codec_cors_origins: Annotated[list[str], NoDecode] = [
        "http://localhost:8233",
        "http://127.0.0.1:8233",
    ]

    @field_validator("plantflow_codec_cors_origins", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value


def create_app(codec: PayloadCodec, cors_origins: list[str]) -> FastAPI:
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
    async def encode(request: Request) -> Response:
        payloads = await read_payloads(request)
        return answer(Payloads(payloads=await codec.encode(payloads.payloads)))

    @app.post("/decode", tags=["codec"])
    async def decode(request: Request) -> Response:
        payloads = await read_payloads(request)
        try:
            decoded = await codec.decode(payloads.payloads)
        except PayloadDecryptionError as exc:
            raise HTTPException(400, str(exc)) from None
        return answer(Payloads(payloads=decoded))

    return app


def main() -> None:
    settings = CodecServerSettings()
    codec = PayloadKeySettings().codec()
    if codec is None:
        sys.exit(f"{KEYS_VAR} is not set: the codec server has no key to work with")
    app = create_app(codec, settings.plantflow_codec_cors_origins)
    uvicorn.run(app, host=settings.codec_host, port=settings.codec_port, log_level="info")


if __name__ == "__main__":
    main()
