"""Settings every plantflow process reads from the environment, validated at start."""

from dataclasses import dataclass
from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from temporalio.service import TLSConfig

from workflows import TASK_QUEUE


class SettingsError(ValueError):
    """A setting is missing, contradictory or unreadable; the message names the variable."""


@dataclass(frozen=True)
class ConnectionOptions:
    """What ``Client.connect`` takes besides the address and namespace."""

    tls: TLSConfig | bool | None = None
    api_key: str | None = None


def _pem(variable: str, path: Path, marker: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{variable}={path}: cannot read it ({exc.strerror})") from None
    if b"-----BEGIN " not in data or marker.encode() not in data:
        raise ValueError(f"{variable}={path}: not a PEM file with a {marker} block")
    return data


class TemporalConnectionSettings(BaseSettings):
    """How the worker and the gateway reach Temporal, in the Temporal CLI's variable names:
    ``TEMPORAL_TLS`` (true: TLS with the system's CAs), ``TEMPORAL_TLS_CA`` (the server's
    CA), ``TEMPORAL_TLS_CERT`` + ``TEMPORAL_TLS_KEY`` (mTLS client certificate and key),
    ``TEMPORAL_TLS_SERVER_NAME`` (the name the server certificate is checked against) and
    ``TEMPORAL_API_KEY`` (sent as a bearer token, over TLS only)."""

    model_config = SettingsConfigDict(env_prefix="TEMPORAL_", extra="ignore")

    tls: bool | None = None
    tls_ca: Path | None = None
    tls_cert: Path | None = None
    tls_key: Path | None = None
    tls_server_name: str | None = None
    api_key: SecretStr | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (mTLS)")
        tls_parts = [self.tls_ca, self.tls_cert, self.tls_server_name]
        if self.tls is False and any(part is not None for part in tls_parts):
            raise ValueError("TEMPORAL_TLS=false contradicts the TEMPORAL_TLS_* settings given")
        if self.api_key is not None:
            key = self.api_key.get_secret_value()
            if not key.strip() or any(char.isspace() for char in key):
                raise ValueError("TEMPORAL_API_KEY is empty or contains whitespace")
            if self.tls is False:
                raise ValueError("TEMPORAL_API_KEY is sent only over TLS: unset TEMPORAL_TLS")
        if self.tls_server_name is not None and not self.tls_server_name.strip():
            raise ValueError("TEMPORAL_TLS_SERVER_NAME is empty")
        return self

    def options(self) -> ConnectionOptions:
        """Read the certificate files now, so a bad path fails at start, not at first use."""
        api_key = self.api_key.get_secret_value() if self.api_key else None
        tls_parts = [self.tls_ca, self.tls_cert, self.tls_server_name]
        if all(part is None for part in tls_parts):
            # None: the SDK turns TLS on by itself when an API key is set.
            return ConnectionOptions(tls=self.tls, api_key=api_key)
        try:
            tls = TLSConfig(
                server_root_ca_cert=_pem("TEMPORAL_TLS_CA", self.tls_ca, "CERTIFICATE")
                if self.tls_ca
                else None,
                client_cert=_pem("TEMPORAL_TLS_CERT", self.tls_cert, "CERTIFICATE")
                if self.tls_cert
                else None,
                client_private_key=_pem("TEMPORAL_TLS_KEY", self.tls_key, "PRIVATE KEY")
                if self.tls_key
                else None,
                domain=self.tls_server_name,
            )
        except ValueError as exc:
            raise SettingsError(str(exc)) from None
        return ConnectionOptions(tls=tls, api_key=api_key)


def connection_options() -> ConnectionOptions:
    """The Temporal connection options from the environment, or a SettingsError saying why
    they are unusable."""
    try:
        settings = TemporalConnectionSettings()
    except ValidationError as exc:
        problems = "; ".join(
            (f"TEMPORAL_{str(err['loc'][0]).upper()}: " if err["loc"] else "")
            + str(err["msg"]).removeprefix("Value error, ")
            for err in exc.errors()
        )
        raise SettingsError(f"Temporal connection settings: {problems}") from None
    return settings.options()


class RuntimeSettings(BaseSettings):
    """``TEMPORAL_ADDRESS``, ``TEMPORAL_NAMESPACE``, ``PLANTFLOW_TASK_QUEUE``,
    ``PLANTFLOW_CONFIG`` (plant configuration file) and ``PLANTFLOW_GATEWAY_URL``; the
    connection's TLS and API key in ``TemporalConnectionSettings``."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    temporal_address: str = "localhost:7233"
    temporal_namespace: str = "default"
    plantflow_task_queue: str = TASK_QUEUE
    plantflow_config: str | None = None
    plantflow_gateway_url: str = "http://127.0.0.1:8100"
    # The worker's Temporal SDK metrics for Prometheus (http://<host>:<port>/metrics). 0 (the
    # default): off, so several workers on one machine do not contend for a port.
    plantflow_worker_metrics_port: int = Field(default=0, ge=0, lt=65536)
    plantflow_worker_metrics_host: str = "0.0.0.0"
