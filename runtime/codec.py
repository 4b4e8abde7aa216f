"""Encryption of workflow payloads at rest in Temporal: AES-256-GCM with rotating keys.

``PLANTFLOW_PAYLOAD_KEYS`` holds every key a process may meet (``keyid:base64key,...``,
32-byte keys) and ``PLANTFLOW_PAYLOAD_KEY_ID`` the one new payloads are encrypted with.
Each encrypted payload names its key in the ``encryption-key-id`` metadata, so a key can
be rotated by adding the new one, making it current and keeping the old one until no
open history still needs it. Neither variable set: no codec, payloads stay plain.

Search attributes and workflow ids are not payloads: they are never encrypted.
"""

import base64
import binascii
import dataclasses
import os
import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Self

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import SecretBytes, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, PayloadCodec

KEYS_VAR = "PLANTFLOW_PAYLOAD_KEYS"
KEY_ID_VAR = "PLANTFLOW_PAYLOAD_KEY_ID"
ENCRYPTED = b"binary/encrypted"
KEY_ID_METADATA = "encryption-key-id"
KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]+")


class PayloadDecryptionError(ValueError):
    """An encrypted payload this process cannot (or must not) turn back into plaintext."""


class EncryptionCodec(PayloadCodec):
    """Encrypts every payload with the current key; decrypts with the key each payload
    names; passes through payloads that are not ``binary/encrypted``."""

    def __init__(self, keys: Mapping[str, bytes], current_key_id: str) -> None:
        if current_key_id not in keys:
            raise ValueError(f"current key id {current_key_id!r} is not among the keys")
        self.current_key_id = current_key_id
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.encrypt(payload) for payload in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.decrypt(payload) for payload in payloads]

    def encrypt(self, payload: Payload) -> Payload:
        nonce = os.urandom(NONCE_BYTES)
        cipher = self._ciphers[self.current_key_id]
        sealed = cipher.encrypt(nonce, payload.SerializeToString(), None)
        return Payload(
            metadata={"encoding": ENCRYPTED, KEY_ID_METADATA: self.current_key_id.encode()},
            data=nonce + sealed,
        )

    def decrypt(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCRYPTED:
            return payload
        key_id = payload.metadata.get(KEY_ID_METADATA, b"").decode(errors="replace")
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            known = ", ".join(sorted(self._ciphers))
            raise PayloadDecryptionError(
                f"payload encrypted with key id {key_id!r}, which is not in {KEYS_VAR} "
                f"(known: {known})"
            )
        if len(payload.data) < NONCE_BYTES + TAG_BYTES:
            raise PayloadDecryptionError(f"payload encrypted with key {key_id!r} is truncated")
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        try:
            plain = cipher.decrypt(nonce, sealed, None)
        except InvalidTag:
            raise PayloadDecryptionError(
                f"payload encrypted with key {key_id!r} failed authentication: "
                "it was altered, or the key under that id is not the one it was sealed with"
            ) from None
        return Payload.FromString(plain)


def parse_keys(text: str) -> dict[str, bytes]:
    """``keyid:base64key,...`` to ``{keyid: key}``. Messages never quote key material."""
    keys: dict[str, bytes] = {}
    entries = [entry.strip() for entry in text.split(",") if entry.strip()]
    for number, entry in enumerate(entries, start=1):
        key_id, colon, encoded = (part.strip() for part in entry.partition(":"))
        if not colon or not KEY_ID_PATTERN.fullmatch(key_id):
            raise ValueError(
                f"{KEYS_VAR}: entry {number} is not 'keyid:base64key' "
                "(key ids use letters, digits, '.', '_' and '-')"
            )
        if key_id in keys:
            raise ValueError(f"{KEYS_VAR}: key id {key_id!r} appears twice")
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise ValueError(f"{KEYS_VAR}: the key of {key_id!r} is not valid base64") from None
        if len(key) != KEY_BYTES:
            raise ValueError(
                f"{KEYS_VAR}: the key of {key_id!r} is {len(key)} bytes; "
                f"AES-256 needs {KEY_BYTES} (e.g. base64 of os.urandom(32))"
            )
        keys[key_id] = key
    return keys


class PayloadKeySettings(BaseSettings):
    """``PLANTFLOW_PAYLOAD_KEYS`` and ``PLANTFLOW_PAYLOAD_KEY_ID``; both unset: no codec."""

    # Errors name the variable and the key id, never echo the input (it holds the keys).
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", hide_input_in_errors=True)

    plantflow_payload_keys: Annotated[dict[str, SecretBytes], NoDecode] = {}
    plantflow_payload_key_id: str | None = None

    @field_validator("plantflow_payload_keys", mode="before")
    @classmethod
    def _parse(cls, value: object) -> object:
        return parse_keys(value) if isinstance(value, str) else value

    @field_validator("plantflow_payload_key_id", mode="before")
    @classmethod
    def _empty_means_none(cls, value: object) -> object:
        return (value.strip() or None) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _current_key_is_known(self) -> Self:
        key_id, keys = self.plantflow_payload_key_id, self.plantflow_payload_keys
        if keys and key_id is None:
            raise ValueError(f"{KEY_ID_VAR} must name the current key of {KEYS_VAR}")
        if key_id is not None and key_id not in keys:
            raise ValueError(f"{KEY_ID_VAR}: {key_id!r} is not a key id in {KEYS_VAR}")
        return self

    def codec(self) -> EncryptionCodec | None:
        key_id = self.plantflow_payload_key_id
        if not self.plantflow_payload_keys or key_id is None:
            return None
        keys = {kid: key.get_secret_value() for kid, key in self.plantflow_payload_keys.items()}
        return EncryptionCodec(keys, key_id)


def data_converter(settings: PayloadKeySettings | None = None) -> DataConverter:
    """Pydantic payloads, encrypted when keys are configured (from the environment unless
    ``settings`` are given)."""
    codec = (settings or PayloadKeySettings()).codec()
    if codec is None:
        return pydantic_data_converter
    return dataclasses.replace(pydantic_data_converter, payload_codec=codec)
