"""The console's settings are checked when the gateway starts; a bad one names itself."""

import pytest
from pydantic import ValidationError

from gateway.console.settings import ConsoleSettings


def test_defaults_are_usable() -> None:
    settings = ConsoleSettings()
    assert settings.client_id == "plantflow-console" and settings.secure_cookie
    assert len(settings.session_secret.get_secret_value()) >= 32


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PLANTFLOW_CONSOLE_SESSION_SECRET", "short", "at least 32 characters"),
        ("PLANTFLOW_CONSOLE_TEMPORAL_UI_URL", "ftp://ui", r"is not an http\(s\) URL"),
        ("PLANTFLOW_CONSOLE_PUBLIC_URL", "console.example.com", r"is not an http\(s\) URL"),
        ("PLANTFLOW_CONSOLE_PAGE_SIZE", "0", "greater than or equal to 5"),
        ("PLANTFLOW_CONSOLE_SESSION_MAX_AGE_SECONDS", "60", "greater than or equal to 300"),
    ],
)
def test_bad_settings_are_refused(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError, match=message):
        ConsoleSettings()


def test_urls_lose_their_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANTFLOW_CONSOLE_TEMPORAL_UI_URL", "http://127.0.0.1:8233/")
    assert ConsoleSettings().temporal_ui_url == "http://127.0.0.1:8233"
