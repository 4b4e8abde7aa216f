"""The console's settings (``PLANTFLOW_CONSOLE_*``), validated when the gateway starts.

The console signs people in at the same OpenID provider the gateway trusts for tokens
(``PLANTFLOW_OIDC_*``), as its own client.
"""

import secrets
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANTFLOW_CONSOLE_", extra="ignore")

    client_id: str = Field(
        default="plantflow-console", min_length=1, description="The console's OIDC client id"
    )
    client_secret: SecretStr | None = Field(
        default=None, description="For a confidential client; public clients rely on PKCE alone"
    )
    session_secret: SecretStr = Field(
        # Without one, sessions end when the gateway restarts: fine for one demo process, not
        # for several gateway replicas behind a load balancer (set it there).
        default_factory=lambda: SecretStr(secrets.token_urlsafe(32)),
        description="Signs the session cookie (at least 32 characters)",
    )
    session_max_age_seconds: int = Field(default=8 * 3600, ge=300, le=7 * 24 * 3600)
    secure_cookie: bool = Field(
        default=True, description="Send the session cookie over HTTPS only (off for plain http)"
    )
    public_url: str | None = Field(
        default=None,
        description="The console's address as browsers see it (behind a proxy); else the "
        "request's own",
    )
    temporal_ui_url: str | None = Field(
        default=None, description="The Temporal Web UI, for a link from each saga page"
    )
    overview_cache_seconds: float = Field(
        default=10,
        ge=0,
        le=300,
        description="How long the overview's backlog figures are shared before they are "
        "computed again (0: every time); the overview's Refresh computes them now",
    )
    page_size: int = Field(default=50, ge=5, le=500)
    sort_cap: int = Field(
        default=2000,
        ge=100,
        le=20000,
        description="A list sorted by another column than age reads at most this many rows",
    )

    @field_validator("session_secret")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 32:
            raise ValueError("PLANTFLOW_CONSOLE_SESSION_SECRET needs at least 32 characters")
        return value

    @field_validator("public_url", "temporal_ui_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value.rstrip("/")
