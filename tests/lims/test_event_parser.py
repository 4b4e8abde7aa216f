"""The gateway's parser: a real ``Sample.Authorized`` payload becomes LabResultsAuthorized;
anything missing, malformed, unmapped or inconsistent is rejected naming the payload field."""

import copy
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from adapters.errors import EventRejected
from adapters.lims_reference import INFORMATIONAL_EVENT_TYPES, parse_lims_event
from canonical.enums import SourceSystem
from canonical.plant_config import Settings, load_settings
from refsystems.common.admin import admin_auth
from refsystems.lims.app import create_app
from refsystems.lims.lab import Lab
from stack.services import bind_socket, start_service
from tests.lims import factories as f

Payload = dict[str, Any]


@pytest.fixture(scope="module")
async def authorized_payload(tmp_path_factory: pytest.TempPathFactory) -> Payload:
    """What a real LIMS queued for an authorised sample (one failing test), as delivered.
    Made once for the module: every case below changes its own copy."""
    db_path = tmp_path_factory.mktemp("lims-events") / "lims.db"
    service = await start_service("lims", create_app(str(db_path)), bind_socket())
    try:
        async with httpx.AsyncClient(timeout=10, auth=admin_auth()) as client:
            (await client.post(f"{service.url}/admin/seed-demo")).raise_for_status()
            await f.authorized(Lab(service.url, client), VISC={"value": "15100"})
            outbox = (await client.get(f"{service.url}/admin/outbox")).json()
    finally:
        await service.stop()
    (event,) = [e for e in outbox if e["event_type"] == "Sample.Authorized"]
    payload: Payload = event["payload"]
    return payload


@pytest.fixture(scope="module")
def settings() -> Settings:
    """The bundled configuration: LIMS site LAB-SPR is plant P100's."""
    return load_settings()


async def test_authorised_results_become_canonical(
    authorized_payload: Payload, settings: Settings
) -> None:
    event = parse_lims_event(authorized_payload, "Sample.Authorized", settings)
    assert (event.source_system, event.plant, event.correlation_id) == (
        SourceSystem.LIMS,
        "P100",
        f.CORRELATION,
    )
    assert (event.item_id, event.lot_id, event.sample_id) == ("FG-1000", "B1000001", "SMP-000001")
    assert (event.passed, event.authorized_by) == (False, f.REVIEWER)
    assert event.event_id == authorized_payload["event_id"]
    assert event.occurred_at == datetime.fromisoformat(authorized_payload["event_time"])
    assert [(r.test_id, r.passed) for r in event.results] == [
        ("PH", True),
        ("VISC", False),
        ("MICRO_TPC", True),
        ("APPEARANCE", True),
    ]
    visc = event.results[1]
    assert (visc.value, visc.unit, visc.lower_limit, visc.upper_limit, visc.analyst) == (
        Decimal(15100),
        "mPa.s",
        Decimal(10000),
        Decimal(14000),
        f.ANALYST,
    )
    assert event.results[3].text == "conforms" and event.results[3].value is None


def _drop(path: str) -> Callable[[Payload], None]:
    def change(payload: Payload) -> None:
        *parents, last = path.split(".")
        node: Any = payload
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        del node[last]

    return change


def _set(path: str, value: Any) -> Callable[[Payload], None]:
    def change(payload: Payload) -> None:
        *parents, last = path.split(".")
        node: Any = payload
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value

    return change


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (_drop("event_id"), "event_id"),
        (_set("correlation_id", ""), "correlation_id"),
        (_set("event_time", "yesterday"), "event_time"),
        (_set("event_time", "2026-03-02T08:00:00"), "event_time"),  # no zone
        (_set("event_type", "Sample.Registered"), "event_type"),
        (_drop("sample"), "sample"),
        (_drop("sample.batch"), "sample.batch"),
        (_set("sample.material", ""), "sample.material"),
        (_drop("sample.site"), "sample.site"),
        (_set("sample.site", "LAB-XYZ"), "sample.site"),
        (_set("sample.status", "completed"), "sample.status"),
        (_set("sample.status", "approved"), "sample.status"),
        (_set("sample.authorized_by", ""), "sample.authorized_by"),
        (_set("sample.tests", []), "sample.tests"),
        (_set("sample.tests.1.result", None), "sample.tests.1.result"),
        (_set("sample.tests.0.result.outcome", "maybe"), "sample.tests.0.result.outcome"),
        (_set("sample.tests.0.result.value", "six"), "sample.tests.0.result.value"),
        (_drop("sample.tests.2.result.analyst"), "sample.tests.2.result.analyst"),
        (_set("sample.tests.3.kind", "visual"), "sample.tests.3.kind"),
        (_set("sample.outcome", "pass"), "sample.outcome"),  # VISC failed
        (_set("sample.outcome", None), "sample.outcome"),
    ],
)
async def test_rejections_name_the_field(
    authorized_payload: Payload,
    settings: Settings,
    change: Callable[[Payload], None],
    field: str,
) -> None:
    payload = copy.deepcopy(authorized_payload)
    change(payload)
    with pytest.raises(EventRejected) as rejected:
        parse_lims_event(payload, "Sample.Authorized", settings)
    assert rejected.value.field == field


async def test_other_event_types_are_rejected_by_type(
    authorized_payload: Payload, settings: Settings
) -> None:
    assert INFORMATIONAL_EVENT_TYPES == {"Sample.Registered", "Sample.Cancelled"}
    for event_type in ("Sample.Registered", "Sample.Cancelled"):
        with pytest.raises(EventRejected, match="informational") as rejected:
            parse_lims_event(authorized_payload, event_type, settings)
        assert rejected.value.field == "X-Event-Type"
    with pytest.raises(EventRejected) as unknown:
        parse_lims_event(authorized_payload, "Sample.Exploded", settings)
    assert unknown.value.field == "X-Event-Type" and "informational" not in unknown.value.message
    with pytest.raises(EventRejected) as not_a_dict:
        parse_lims_event([], "Sample.Authorized", settings)  # type: ignore[arg-type]
    assert not_a_dict.value.field == "payload"
