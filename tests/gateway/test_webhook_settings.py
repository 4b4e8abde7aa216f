"""Webhook secrets are configuration, checked before the gateway (or a reference system)
starts, with a message naming the variable to fix."""

from pathlib import Path

import pytest

from gateway.webhook_auth import (
    SYSTEMS,
    WebhookConfigError,
    WebhookSettings,
    WebhookTrust,
    new_secret,
)
from refsystems.common.outbox import signing_secret_for


def all_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for system in SYSTEMS:
        monkeypatch.setenv(f"PLANTFLOW_WEBHOOK_SECRETS_{system.upper()}", new_secret())
    monkeypatch.setenv("PLANTFLOW_WEBHOOK_ID_STORE", str(tmp_path / "ids.db"))


def test_every_sender_needs_a_secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    all_set(monkeypatch, tmp_path)
    monkeypatch.delenv("PLANTFLOW_WEBHOOK_SECRETS_MES")
    monkeypatch.delenv("PLANTFLOW_WEBHOOK_SECRETS_LIMS")
    with pytest.raises(WebhookConfigError) as err:
        WebhookTrust.from_env()
    assert "PLANTFLOW_WEBHOOK_SECRETS_MES, PLANTFLOW_WEBHOOK_SECRETS_LIMS not set" in str(err.value)


@pytest.mark.parametrize(
    ("secret", "words"),
    [
        ("sk_live_abc", "does not start with whsec_"),
        ("whsec_not*base64", "not whsec_<base64>"),
        ("whsec_c2hvcnQ=", "fewer than 24"),
    ],
    ids=["prefix", "base64", "short"],
)
def test_a_bad_secret_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, secret: str, words: str
) -> None:
    all_set(monkeypatch, tmp_path)
    monkeypatch.setenv("PLANTFLOW_WEBHOOK_SECRETS_QMS", f"{new_secret()},{secret}")
    with pytest.raises(WebhookConfigError) as err:
        WebhookTrust.from_env()
    assert "PLANTFLOW_WEBHOOK_SECRETS_QMS" in str(err.value) and words in str(err.value)
    assert secret not in str(err.value)  # a secret is never echoed


def test_several_secrets_and_the_tolerance_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    all_set(monkeypatch, tmp_path)
    monkeypatch.setenv("PLANTFLOW_WEBHOOK_SECRETS_ERP", f"{new_secret()}, {new_secret()}")
    monkeypatch.setenv("PLANTFLOW_WEBHOOK_TOLERANCE_SECONDS", "120")
    trust = WebhookTrust.from_env()
    assert len(trust.verifiers["erp"]) == 2 and len(trust.verifiers["mes"]) == 1
    assert trust.tolerance.total_seconds() == 120
    assert trust.ids.keep_for.total_seconds() == 240  # replays are possible for 2 x tolerance


def test_a_tolerance_out_of_range_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    all_set(monkeypatch, tmp_path)
    monkeypatch.setenv("PLANTFLOW_WEBHOOK_TOLERANCE_SECONDS", "0")
    with pytest.raises(WebhookConfigError) as err:
        WebhookTrust.from_env()
    assert "tolerance_seconds" in str(err.value)


def test_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TOLERANCE_SECONDS", "ID_STORE"):
        monkeypatch.delenv(f"PLANTFLOW_WEBHOOK_{name}", raising=False)
    settings = WebhookSettings()
    assert settings.tolerance_seconds == 300
    assert settings.id_store == Path("var/gateway/webhook-ids.db")


def test_a_reference_system_with_a_webhook_url_needs_a_secret() -> None:
    with pytest.raises(SystemExit) as err:
        signing_secret_for("MES", "http://127.0.0.1:8100/webhooks/mes", None)
    assert "MES_WEBHOOK_SECRET is not set" in str(err.value)
    with pytest.raises(SystemExit) as err:
        signing_secret_for("MES", "http://127.0.0.1:8100/webhooks/mes", "whsec_***")
    assert "MES_WEBHOOK_SECRET is not a valid" in str(err.value)
    assert signing_secret_for("MES", None, None) is None  # sends no webhooks: none needed
