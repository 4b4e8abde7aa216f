"""Seeding the demo data twice changes nothing; the service runs from its settings."""

import httpx
import pytest

from refsystems.erp.__main__ import ErpSettings
from refsystems.erp.planner import seed_demo
from stack.services import RunningService
from tests.erp.support import ledger, odata_get


async def test_seeding_twice_changes_nothing(
    erp: RunningService, client: httpx.AsyncClient
) -> None:
    before = await ledger(client, erp.url)
    stock_before = await odata_get(client, erp.url, "API_MATERIAL_STOCK_SRV", "A_MatlStkInAcctMod")
    assert await seed_demo(erp.url, client) == []
    assert await ledger(client, erp.url) == before
    assert (
        await odata_get(client, erp.url, "API_MATERIAL_STOCK_SRV", "A_MatlStkInAcctMod")
        == stock_before
    )
    assert [e["action"] for e in before] == ["create_production_order", "seed_demo"]


def test_settings_come_from_erp_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERP_PORT", "9101")
    monkeypatch.setenv("ERP_DB_PATH", "/tmp/other.db")
    settings = ErpSettings()
    assert (settings.port, settings.db_path) == (9101, "/tmp/other.db")
    assert ErpSettings.model_fields["webhook_url"].default == "http://127.0.0.1:8100/webhooks/erp"
