"""Which OpenID provider the gateway trusts, and how its claims map to a person.

From the environment (``PLANTFLOW_OIDC_*``), validated when the gateway starts. A plant points
these at Keycloak, Entra ID or Okta; the embedded stack points them at its own provider.
"""

from datetime import timedelta
from typing import Self
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Asymmetric algorithms only: a shared-secret (HS*) token could be minted by anyone holding
# the secret, and "none" is no signature at all.
SUPPORTED_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


class IdentitySettings(BaseSettings):
    """``PLANTFLOW_OIDC_ISSUER`` and ``PLANTFLOW_OIDC_AUDIENCE`` are required; the rest have
    defaults that suit most providers (Keycloak: ``ROLES_CLAIM=realm_access.roles``; Entra ID:
    ``USER_CLAIM=preferred_username``; Okta: ``ROLES_CLAIM=groups``)."""

    model_config = SettingsConfigDict(env_prefix="PLANTFLOW_OIDC_", extra="ignore")

    issuer: str = Field(description="The provider's issuer URL, exactly as its tokens name it")
    audience: str = Field(min_length=1, description="The gateway's audience (aud) in tokens")
    jwks_url: str | None = Field(
        default=None, description="The provider's key set; found by discovery when unset"
    )
    algorithms: list[str] = Field(default=["RS256", "PS256", "ES256"])
    user_claim: str = Field(default="sub", description="Claim (dotted path) holding the user id")
    name_claim: str = Field(default="name", description="Claim holding the printed name")
    roles_claim: str = Field(default="roles", description="Claim holding the list of roles")
    leeway_seconds: int = Field(default=10, ge=0, le=120, description="Allowed clock skew")
    signing_max_auth_age: timedelta = Field(
        default=timedelta(minutes=5),
        description="A signature needs a login (auth_time) at most this old",
    )
    http_hosts: list[str] = Field(
        default=[],
        description="Provider hosts besides loopback reached over plain http: only for a "
        "trial on a private network (the compose demo profile's `idp`); never in production",
    )

    @field_validator("issuer", "jwks_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @model_validator(mode="after")
    def _https_unless_loopback(self) -> Self:
        allowed = LOOPBACK_HOSTS | set(self.http_hosts)
        for value in (self.issuer, self.jwks_url):
            parts = urlsplit(value or "")
            if parts.scheme == "http" and parts.hostname not in allowed:
                raise ValueError(f"{value!r}: an identity provider off this machine needs https")
        return self

    @field_validator("algorithms")
    @classmethod
    def _asymmetric_only(cls, value: list[str]) -> list[str]:
        unsupported = sorted(set(value) - SUPPORTED_ALGORITHMS)
        if unsupported or not value:
            raise ValueError(
                f"unsupported token algorithms {unsupported}: use {sorted(SUPPORTED_ALGORITHMS)}"
            )
        return value

    @field_validator("signing_max_auth_age")
    @classmethod
    def _a_few_minutes(cls, value: timedelta) -> timedelta:
        if not timedelta(seconds=30) <= value <= timedelta(minutes=30):
            raise ValueError("signing_max_auth_age must be between 30 seconds and 30 minutes")
        return value

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"
