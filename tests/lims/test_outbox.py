"""Outbound webhooks reach a receiver in order, with the saga's correlation id even when a
lab person (who sends none) triggered them, and parse into the canonical event."""

from typing import Any

import httpx

from adapters.lims_reference import ReferenceLimsAdapter, parse_lims_event
from canonical.plant_config import load_settings
from refsystems.lims.lab import Lab
from stack.services import RunningService
from tests.helpers import eventually
from tests.lims import factories as f
from tests.lims.conftest import lims_settings
from tests.systems import Hooks, Received


async def received(hooks: Hooks, count: int) -> list[Received]:
    async def probe() -> list[Received]:
        return list(hooks.received)

    return await eventually(probe, lambda got: len(got) >= count)


async def test_registration_and_authorisation_are_announced(
    lims_hooked: RunningService, hooks: Hooks, client: httpx.AsyncClient
) -> None:
    adapter = ReferenceLimsAdapter(lims_settings(lims_hooked.url), client)
    lab = Lab(lims_hooked.url, client)
    command = f.lab_request()
    number = (await adapter.request_testing(command)).document
    await adapter.request_testing(command)  # a retry announces nothing new
    await f.complete(lab, number)
    await lab.authorize(number, f.REVIEWER)

    registered, authorized = await received(hooks, 2)
    assert [registered.event_type, authorized.event_type] == [
        "Sample.Registered",
        "Sample.Authorized",
    ]
    for event in (registered, authorized):
        assert event.headers["x-source-system"] == "lims"
        assert event.headers["x-correlation-id"] == f.CORRELATION
        assert event.payload["correlation_id"] == f.CORRELATION
        assert event.headers["idempotency-key"].startswith("lims-event-")
    assert registered.payload["sample"]["status"] == "registered"
    sample = authorized.payload["sample"]
    assert (sample["site"], sample["material"], sample["batch"]) == (
        "LAB-SPR",
        "FG-1000",
        "B1000001",
    )
    assert (sample["outcome"], sample["authorized_by"], sample["analysts"]) == (
        "pass",
        f.REVIEWER,
        [f.ANALYST],
    )
    canonical = parse_lims_event(authorized.payload, authorized.event_type, load_settings())
    assert (canonical.sample_id, canonical.passed, canonical.plant) == (number, True, "P100")

    async def outbox() -> list[dict[str, Any]]:
        return list((await client.get(f"{lims_hooked.url}/admin/outbox")).json())

    delivered = await eventually(outbox, lambda rows: all(e["delivered_at"] for e in rows))
    assert len(delivered) == 2


async def test_a_cancellation_is_announced_under_the_lab_correlation(
    lims_hooked: RunningService, hooks: Hooks, client: httpx.AsyncClient
) -> None:
    lab = Lab(lims_hooked.url, client)
    sample = await lab.register(f.SITE, "FG-1000", "B1000005", 1000, "EA")
    await lab.cancel(sample.sample_id, f.REVIEWER, "registered in error")
    registered, cancelled = await received(hooks, 2)
    assert cancelled.event_type == "Sample.Cancelled"
    assert cancelled.payload["sample"]["cancel_reason"] == "registered in error"
    # Registered by hand with no correlation id: the LIMS names the sample instead.
    expected = f"lims-{sample.sample_id}"
    assert registered.headers["x-correlation-id"] == cancelled.payload["correlation_id"] == expected
