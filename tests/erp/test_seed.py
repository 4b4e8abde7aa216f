"""Seeding the demo data twice changes nothing; the service runs from its settings, and
upgrades a database an older version wrote."""

import sqlite3
from pathlib import Path

import httpx
import pytest

from refsystems.erp.__main__ import ErpSettings
from refsystems.erp.app import create_app
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
    assert [e["action"] for e in before] == [
        "create_production_order",
        "create_purchase_order",
        "create_purchase_order",
        "seed_demo",
    ]
    seeded = before[-1]["details"]["created"]
    assert {"material FG-1000", "material FG-2000"} <= set(seeded)  # FG-2000: no demo order


def test_settings_come_from_erp_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERP_PORT", "9101")
    monkeypatch.setenv("ERP_DB_PATH", "/tmp/other.db")
    settings = ErpSettings()
    assert (settings.port, settings.db_path) == (9101, "/tmp/other.db")
    assert ErpSettings.model_fields["webhook_url"].default == "http://127.0.0.1:8100/webhooks/erp"


def test_a_database_from_an_older_erp_gets_the_new_columns(tmp_path: Path) -> None:
    db = tmp_path / "erp.db"
    create_app(str(db))
    with sqlite3.connect(db) as conn:
        conn.execute('ALTER TABLE batch DROP COLUMN "Supplier"')
        conn.execute('DROP INDEX "ix_material_document_item_PurchaseOrder"')
        conn.execute('ALTER TABLE material_document_item DROP COLUMN "PurchaseOrder"')
    create_app(str(db))
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO batch (Material, BatchIdentifyingPlant, Batch, "
            "MatlBatchIsInRstrcdUseStock, CreationDateTime, LastChangeDateTime) "
            "VALUES ('RM-200', '1010', 'B1', 0, '2026-01-01', '2026-01-01')"
        )
        batch = conn.execute("SELECT Supplier FROM batch").fetchone()
        columns = {row[1] for row in conn.execute("PRAGMA table_info(material_document_item)")}
        indexes = {row[1] for row in conn.execute("PRAGMA index_list(material_document_item)")}
    assert batch == ("",)
    assert "PurchaseOrder" in columns
    assert "ix_material_document_item_PurchaseOrder" in indexes
