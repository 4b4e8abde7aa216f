"""Demo master data: the plans are there after seeding, and seeding again changes nothing."""

import httpx
import pytest

from refsystems.qms.__main__ import QmsSettings
from stack.services import RunningService


async def test_seeding_twice_changes_nothing(
    client: httpx.AsyncClient, qms: RunningService
) -> None:
    before = (await client.get(f"{qms.url}/admin/ledger")).json()
    again = (await client.post(f"{qms.url}/admin/seed-demo")).json()
    assert again == {"loaded": [], "unchanged": ["FG-1000", "RM-200", "PK-300"]}
    assert (await client.get(f"{qms.url}/admin/ledger")).json() == before
    assert [e["action"] for e in before] == ["maintain_inspection_plan"] * 3

    plan = (await client.get(f"{qms.url}/api/v1/inspection-plans/FG-1000")).json()
    visc, fill = plan["Characteristics"]
    assert visc == {
        "MIC": "VISC",
        "Description": "Viscosity",
        "Target": "12000",
        "LowerLimit": "10000",
        "UpperLimit": "14000",
        "Unit": "mPa.s",
    }
    assert (fill["MIC"], fill["LowerLimit"], fill["UpperLimit"], fill["Unit"]) == (
        "FILL_WT",
        "49.0",
        "51.5",
        "g",
    )
    ph = (await client.get(f"{qms.url}/api/v1/inspection-plans/RM-200")).json()
    assert ph["Characteristics"][0]["MIC"] == "PH"
    tube = (await client.get(f"{qms.url}/api/v1/inspection-plans/PK-300")).json()
    assert [
        (c["MIC"], c["Target"], c["LowerLimit"], c["UpperLimit"], c["Unit"])
        for c in tube["Characteristics"]
    ] == [("WALL", "0.30", "0.27", "0.33", "mm"), ("LEN", "120.0", "119.0", "121.0", "mm")]


async def test_a_changed_plan_is_recorded_and_seeding_restores_it(
    client: httpx.AsyncClient, qms: RunningService
) -> None:
    plan = (await client.get(f"{qms.url}/api/v1/inspection-plans/RM-200")).json()
    plan["Characteristics"][0]["UpperLimit"] = "8.0"
    headers = {"Idempotency-Key": "plan-change", "X-Correlation-ID": "mdm-1"}
    put = await client.put(f"{qms.url}/api/v1/inspection-plans/RM-200", json=plan, headers=headers)
    assert put.status_code == 200
    ledger = (
        await client.get(f"{qms.url}/admin/ledger", params={"action": "maintain_inspection_plan"})
    ).json()
    assert ledger[-1]["correlation_id"] == "mdm-1"
    assert (await client.post(f"{qms.url}/admin/seed-demo")).json()["loaded"] == ["RM-200"]


def test_service_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("QMS_PORT", "QMS_DB_PATH", "QMS_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    defaults = QmsSettings()
    assert (defaults.port, defaults.db_path) == (8103, "var/qms.db")
    assert defaults.webhook_url == "http://127.0.0.1:8100/webhooks/qms"
    monkeypatch.setenv("QMS_PORT", "9103")
    monkeypatch.setenv("QMS_DB_PATH", "/tmp/q.db")
    settings = QmsSettings()
    assert (settings.port, settings.db_path) == (9103, "/tmp/q.db")
