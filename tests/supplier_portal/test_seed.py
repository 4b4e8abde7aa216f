"""Demo suppliers are there after seeding; seeding again changes nothing; the service
settings come from PORTAL_* variables."""

import pytest

from refsystems.supplier_portal.__main__ import PortalSettings
from tests.supplier_portal.conftest import Portal


async def test_seeding_twice_changes_nothing(web: Portal) -> None:
    before = await web.ledger()
    again = (await web.client.post(f"{web.url}/admin/seed-demo")).json()
    assert again == {"loaded": [], "unchanged": ["17300001", "17300002"]}
    assert await web.ledger() == before
    assert [(e["action"], e["entity_key"]) for e in before] == [
        ("maintain_supplier", "17300001"),
        ("maintain_supplier", "17300002"),
    ]
    suppliers = await web.get("/api/suppliers")
    assert [(s["supplierId"], s["name"]) for s in suppliers] == [
        ("17300001", "Acme Chemicals"),
        ("17300002", "Budget Tubes"),
    ]


async def test_a_changed_supplier_is_recorded_and_seeding_restores_it(web: Portal) -> None:
    headers = {"Idempotency-Key": "rename", "X-Correlation-ID": "mdm-7"}
    put = await web.client.put(
        f"{web.url}/api/suppliers/17300002", json={"name": "Budget Tubes Ltd"}, headers=headers
    )
    assert put.json() == {"supplierId": "17300002", "name": "Budget Tubes Ltd", "contactEmail": ""}
    (entry,) = await web.ledger(idempotency_key="rename")
    assert (entry["correlation_id"], entry["details"]["name"]) == ("mdm-7", "Budget Tubes Ltd")
    seeded = (await web.client.post(f"{web.url}/admin/seed-demo")).json()
    assert seeded["loaded"] == ["17300002"]
    missing = await web.client.get(f"{web.url}/api/suppliers/17300009")
    assert missing.status_code == 404


def test_service_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PORTAL_PORT", "PORTAL_DB_PATH", "PORTAL_WEBHOOK_URL", "PORTAL_HOST"):
        monkeypatch.delenv(name, raising=False)
    defaults = PortalSettings()
    assert (defaults.port, defaults.db_path) == (8104, "var/portal.db")
    assert defaults.webhook_url == "http://127.0.0.1:8100/webhooks/supplier-portal"
    monkeypatch.setenv("PORTAL_PORT", "9104")
    monkeypatch.setenv("PORTAL_WEBHOOK_URL", "")
    configured = PortalSettings()
    assert (configured.port, configured.webhook_url) == (9104, None)
