"""Canonical -> MES dialect on the way in, MES -> canonical on the way back."""

from decimal import Decimal

import pytest

from canonical.commands import JobCommand
from canonical.enums import MesOrderStatus
from canonical.manufacturing import MesJob
from canonical.plant_config import ConfigError
from tests.mes.conftest import ORDER, SITE, Mes, dispatch_command


async def test_dispatch_speaks_the_sites_language(mes: Mes) -> None:
    await mes.adapter.dispatch_job(dispatch_command())
    job = (await mes.http.get(mes.job_url())).json()
    assert job["HierarchyScope"] == {"EquipmentID": SITE, "EquipmentLevel": "Site"}
    assert job["PlannedQuantity"] == {"QuantityString": "1000", "UnitOfMeasure": "PC"}
    assert (job["MaterialDefinitionID"], job["MaterialRevision"]) == ("FG-1000", "B")
    assert (job["MaterialLotID"], job["CorrelationID"]) == ("B1000001", "corr-1000001")
    assert job["DispatchStatus"] == "Dispatched"
    assert [(s["SegmentID"], s["Description"]) for s in job["Segments"]] == [
        ("SEG-MIX", "Mix"), ("SEG-FILL", "Fill"), ("SEG-PACK", "Pack"),
    ]  # fmt: skip


async def test_canonical_kilograms_become_grams(mes: Mes) -> None:
    command = dispatch_command(order_id="1000077", quantity=Decimal("2.5"), unit="KG")
    await mes.adapter.dispatch_job(command)
    job = (await mes.http.get(mes.job_url("1000077"))).json()
    assert job["PlannedQuantity"] == {"QuantityString": "2500", "UnitOfMeasure": "g"}


async def test_unmapped_unit_or_plant_fails_before_any_call(mes: Mes) -> None:
    with pytest.raises(ConfigError, match="'L'"):
        await mes.adapter.dispatch_job(dispatch_command(unit="L"))
    with pytest.raises(ConfigError, match="P999"):
        await mes.adapter.get_job("P999", ORDER)
    assert await mes.ledger(action="dispatch") == []


async def test_every_dispatch_status_maps_to_a_canonical_status(mes: Mes) -> None:
    """B2MML DispatchStatus Waiting, Dispatched, Running, Suspended, Held, Completed, Aborted."""

    async def status() -> MesOrderStatus:
        job = await mes.adapter.get_job("P100", ORDER)
        assert isinstance(job, MesJob) and (job.plant, job.lot_id) == ("P100", "B1000001")
        return job.status

    def command(key: str) -> JobCommand:
        return JobCommand(idempotency_key=key, correlation_id="c", plant="P100", order_id=ORDER)

    await mes.http.patch(f"{mes.url}/api/v1/sites/{SITE}", json={"AutoAccept": False})
    await mes.adapter.dispatch_job(dispatch_command())
    seen = [await status()]
    await mes.floor.accept_job(SITE, ORDER)
    seen.append(await status())
    await mes.floor.start_job(SITE, ORDER)
    seen.append(await status())
    await mes.floor.pause_job(SITE, ORDER, "filler jam")
    seen.append(await status())
    await mes.floor.resume_job(SITE, ORDER)
    await mes.adapter.hold_lot(command("hold"))
    seen.append(await status())
    await mes.adapter.release_lot(command("release"))
    await mes.floor.complete_job(SITE, ORDER, 1000, "PC")
    seen.append(await status())
    await mes.adapter.dispatch_job(dispatch_command("d-2", order_id="1000002"))
    await mes.adapter.abort_job(command("abort").model_copy(update={"order_id": "1000002"}))
    seen.append((await mes.adapter.get_job("P100", "1000002")).status)
    assert seen == [
        MesOrderStatus.RECEIVED,
        MesOrderStatus.DISPATCHED,
        MesOrderStatus.IN_PROGRESS,
        MesOrderStatus.IN_PROGRESS,
        MesOrderStatus.HELD,
        MesOrderStatus.COMPLETED,
        MesOrderStatus.ABORTED,
    ]
