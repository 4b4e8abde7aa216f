"""The compose demo reaches its sign-in over the compose network by name (`idp`), over plain
http: allowed only for the hosts PLANTFLOW_OIDC_HTTP_HOSTS names, never by default."""

import pytest
from pydantic import ValidationError

from gateway.identity_settings import IdentitySettings


def test_http_off_this_machine_is_refused_unless_the_host_is_named() -> None:
    with pytest.raises(ValidationError, match="an identity provider off this machine needs https"):
        IdentitySettings(issuer="http://idp:8106", audience="urn:plantflow:gateway")
    with pytest.raises(ValidationError, match="needs https"):
        IdentitySettings(
            issuer="http://localhost:8106",
            audience="urn:plantflow:gateway",
            jwks_url="http://elsewhere:8106/jwks",
            http_hosts=["idp"],
        )
    demo = IdentitySettings(
        issuer="http://localhost:8106",
        audience="urn:plantflow:gateway",
        jwks_url="http://idp:8106/jwks",
        http_hosts=["idp"],
    )
    assert demo.jwks_url == "http://idp:8106/jwks"


def test_the_demo_env_file_names_the_idp_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANTFLOW_OIDC_ISSUER", "http://localhost:8106")
    monkeypatch.setenv("PLANTFLOW_OIDC_AUDIENCE", "urn:plantflow:gateway")
    monkeypatch.setenv("PLANTFLOW_OIDC_JWKS_URL", "http://idp:8106/jwks")
    monkeypatch.setenv("PLANTFLOW_OIDC_HTTP_HOSTS", '["idp"]')  # as deploy/demo.env sets it
    assert IdentitySettings().http_hosts == ["idp"]  # type: ignore[call-arg]
