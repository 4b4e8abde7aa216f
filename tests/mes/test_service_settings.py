"""``python -m refsystems.mes`` reads MES_* variables; an empty webhook URL sends none."""

import pytest

from refsystems.mes.__main__ import MesServiceSettings


def test_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = MesServiceSettings()
    assert (defaults.port, defaults.db_path) == (8102, "var/mes.db")
    assert defaults.webhook_url == "http://127.0.0.1:8100/webhooks/mes"
    monkeypatch.setenv("MES_PORT", "9102")
    monkeypatch.setenv("MES_WEBHOOK_URL", "")
    configured = MesServiceSettings()
    assert (configured.port, configured.webhook_url) == (9102, None)
