"""Translation both ways: canonical commands become the LIMS's dialect (site, material, batch,
units) and its samples come back as canonical lab status; unmapped values never leave."""

from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest

from adapters.errors import BusinessRefusal
from adapters.lims_reference import ReferenceLimsAdapter
from canonical.commands import LabStatus
from canonical.events import LabResult
from canonical.plant_config import Settings, UnitConversion
from refsystems.common.admin import admin_auth
from refsystems.lims.lab import Lab
from tests.lims import factories as f
from tests.lims.conftest import Admin


async def test_request_in_the_lims_dialect(
    adapter: ReferenceLimsAdapter, lab: Lab, admin: Admin
) -> None:
    receipt = await adapter.request_testing(f.lab_request(key="k-lab", quantity=Decimal("1E+3")))
    sample = await lab.get_sample(receipt.document)
    assert (sample.site, sample.material, sample.batch, sample.order) == (
        "LAB-SPR",
        "FG-1000",
        "B1000001",
        "1000001",
    )
    assert (str(sample.quantity), sample.unit) == ("1000", "EA")  # no unit table: canonical
    (entry,) = await admin.ledger(action="register_sample")
    assert (entry["idempotency_key"], entry["correlation_id"]) == ("k-lab", f.CORRELATION)
    await adapter.request_testing(f.lab_request(lot_id="B1000002", order_id=None))
    assert (await lab.get_sample("SMP-000002")).order == ""


def _with_lims_units(settings: Settings) -> Settings:
    units = [
        UnitConversion(system_unit="pcs", canonical_unit="EA", factor=Decimal(1)),
        UnitConversion(system_unit="g", canonical_unit="KG", factor=Decimal("0.001")),
    ]
    systems = dict(settings.systems)
    systems["lims-central"] = systems["lims-central"].model_copy(update={"units": units})
    return settings.model_copy(update={"systems": systems})


async def test_quantities_go_through_the_lims_unit_table(
    settings: Settings, client: httpx.AsyncClient, lab: Lab
) -> None:
    adapter = ReferenceLimsAdapter(_with_lims_units(settings), client)
    await adapter.request_testing(f.lab_request(quantity=Decimal("2.5"), unit="KG"))
    await adapter.request_testing(f.lab_request(lot_id="B1000002"))
    first, second = await lab.list_samples()
    assert (str(first.quantity), first.unit) == ("2500", "g")
    assert (str(second.quantity), second.unit) == ("1000", "pcs")
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.request_testing(f.lab_request(lot_id="B1000003", unit="LB"))
    assert refused.value.code == "MappingError" and "LB" in refused.value.reason


@pytest.mark.parametrize(("plant", "words"), [("P200", "no LIMS"), ("P999", "P999")])
async def test_unmapped_plants_never_leave(
    adapter: ReferenceLimsAdapter, admin: Admin, plant: str, words: str
) -> None:
    for call in (
        adapter.request_testing(f.lab_request(plant=plant)),
        adapter.get_lab_status(f.lot_query(plant=plant)),
    ):
        with pytest.raises(BusinessRefusal) as refused:
            await call
        assert refused.value.code == "MappingError" and words in refused.value.reason
    assert await admin.ledger(action="register_sample") == []


async def test_lab_status_follows_the_sample(adapter: ReferenceLimsAdapter, lab: Lab) -> None:
    assert await adapter.get_lab_status(f.lot_query()) is None
    number = (await adapter.request_testing(f.lab_request())).document
    assert f.status_of(await adapter.get_lab_status(f.lot_query())) == ("registered", None)

    await lab.enter_result(number, "PH", f.ANALYST, value="6.2")
    testing = await adapter.get_lab_status(f.lot_query())
    assert testing is not None and (testing.status, testing.passed) == ("in_testing", None)
    assert [r.test_id for r in testing.results] == ["PH"]

    await f.complete(lab, number, MICRO_TPC={"value": "250"})
    completed = await adapter.get_lab_status(f.lot_query())
    assert f.status_of(completed) == ("in_testing", None)  # unauthorised results decide nothing

    await lab.authorize(number, f.REVIEWER)
    assert await adapter.get_lab_status(f.lot_query()) == LabStatus(
        sample_id=number,
        status="authorized",
        passed=False,
        results=[
            LabResult(
                test_id="PH",
                description="pH at 25 °C",
                value=Decimal("6.2"),
                unit="pH",
                lower_limit=Decimal("5.5"),
                upper_limit=Decimal("7.0"),
                passed=True,
                analyst=f.ANALYST,
            ),
            LabResult(
                test_id="VISC",
                description="Viscosity (Brookfield, 25 °C)",
                value=Decimal(12000),
                unit="mPa.s",
                lower_limit=Decimal(10000),
                upper_limit=Decimal(14000),
                passed=True,
                analyst=f.ANALYST,
            ),
            LabResult(
                test_id="MICRO_TPC",
                description="Total aerobic plate count",
                value=Decimal(250),
                unit="cfu/g",
                upper_limit=Decimal(100),
                passed=False,
                analyst=f.ANALYST,
            ),
            LabResult(
                test_id="APPEARANCE",
                description="Appearance, colour and odour",
                text="conforms",
                passed=True,
                analyst=f.ANALYST,
            ),
        ],
        authorized_by=f.REVIEWER,
        analysts=[f.ANALYST],
    )


async def test_status_reads_the_live_sample_of_the_lot(
    adapter: ReferenceLimsAdapter, lab: Lab
) -> None:
    first = (await adapter.request_testing(f.lab_request())).document
    await lab.cancel(first, f.REVIEWER, "wrong container")
    assert f.status_of(await adapter.get_lab_status(f.lot_query())) == ("cancelled", None)
    await f.authorized(lab)
    status = await adapter.get_lab_status(f.lot_query())
    assert status is not None and (status.sample_id, status.status, status.passed) == (
        "SMP-000002",
        "authorized",
        True,
    )
    other_batch = await adapter.get_lab_status(f.lot_query(lot_id="B1000009"))
    assert other_batch is None


@pytest.fixture
async def watched() -> AsyncIterator[tuple[httpx.AsyncClient, list[httpx.Request]]]:
    """A client that remembers every request it sent (method, URL, headers)."""
    sent: list[httpx.Request] = []

    async def remember(request: httpx.Request) -> None:
        sent.append(request)

    async with httpx.AsyncClient(
        timeout=10, auth=admin_auth(), event_hooks={"request": [remember]}
    ) as client:
        yield client, sent


async def test_every_call_carries_the_correlation_id(
    settings: Settings, watched: tuple[httpx.AsyncClient, list[httpx.Request]]
) -> None:
    client, sent = watched
    adapter = ReferenceLimsAdapter(settings, client)
    await adapter.request_testing(f.lab_request(key="k-1"))
    await adapter.get_lab_status(f.lot_query())
    write, read = sent
    assert (write.headers["idempotency-key"], write.headers["x-correlation-id"]) == (
        "k-1",
        f.CORRELATION,
    )
    assert read.headers["x-correlation-id"] == f.CORRELATION
    assert "idempotency-key" not in read.headers
    assert dict(read.url.params) == {"site": "LAB-SPR", "material": "FG-1000", "batch": "B1000001"}
