"""Demo sites and specifications are there after seeding; seeding again changes nothing;
the service settings come from LIMS_* variables."""

import pytest

from refsystems.lims.__main__ import LimsSettings
from tests.lims.conftest import Admin


async def test_seeding_twice_changes_nothing(admin: Admin) -> None:
    before = await admin.ledger()
    again = (await admin.client.post(f"{admin.url}/admin/seed-demo")).json()
    assert again == {"loaded": [], "unchanged": ["site:LAB-SPR", "specification:FG-1000"]}
    assert await admin.ledger() == before
    assert [(e["action"], e["entity_key"]) for e in before] == [
        ("maintain_site", "LAB-SPR"),
        ("maintain_specification", "FG-1000"),
    ]
    assert await admin.get("/api/sites") == [
        {"name": "Springfield QC laboratory", "site_id": "LAB-SPR"}
    ]
    (spec,) = await admin.get("/api/specifications")
    assert (spec["material"], spec["version"]) == ("FG-1000", 1)
    assert [t["test_code"] for t in spec["tests"]] == ["PH", "VISC", "MICRO_TPC", "APPEARANCE"]
    missing = await admin.client.get(f"{admin.url}/api/specifications/FG-2000")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "NotFound")


async def test_a_new_site_is_master_data(admin: Admin) -> None:
    headers = {"Idempotency-Key": "site-riv", "X-Correlation-ID": "mdm-1"}
    put = await admin.client.put(
        f"{admin.url}/api/sites/LAB-RIV", json={"name": "Riverside lab"}, headers=headers
    )
    assert put.json() == {"name": "Riverside lab", "site_id": "LAB-RIV"}
    (entry,) = await admin.ledger(idempotency_key="site-riv")
    assert (entry["action"], entry["correlation_id"]) == ("maintain_site", "mdm-1")
    registered = await admin.post(
        "/api/samples",
        {"site": "LAB-RIV", "material": "FG-1000", "batch": "R000001", "quantity": 5, "unit": "EA"},
    )
    assert registered.status_code == 201


def test_service_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LIMS_PORT", "LIMS_DB_PATH", "LIMS_WEBHOOK_URL", "LIMS_HOST"):
        monkeypatch.delenv(name, raising=False)
    defaults = LimsSettings()
    assert (defaults.port, defaults.db_path, defaults.host) == (8105, "var/lims.db", "127.0.0.1")
    assert defaults.webhook_url == "http://127.0.0.1:8100/webhooks/lims"
    monkeypatch.setenv("LIMS_PORT", "9105")
    monkeypatch.setenv("LIMS_WEBHOOK_URL", "")
    configured = LimsSettings()
    assert (configured.port, configured.webhook_url) == (9105, None)
