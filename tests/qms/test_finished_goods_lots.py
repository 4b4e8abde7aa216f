"""Finished-goods lots (Origin "04", goods receipt from production): the final inspection of a
finished batch, where the release records its usage decision."""

from decimal import Decimal

import pytest

from adapters.errors import BusinessRefusal
from adapters.qms_reference import ReferenceQmsAdapter, parse_qms_event
from canonical.plant_config import load_settings
from refsystems.qms.inspector import Inspector
from tests.qms import factories as f
from tests.qms.test_events import result_payload


async def finished_lot(adapter: ReferenceQmsAdapter) -> str:
    info = await adapter.create_inspection_lot(f.lot_command(origin="finished_goods"))
    assert [c.characteristic_id for c in info.characteristics] == ["VISC", "FILL_WT"]
    return info.inspection_lot_id


async def test_a_finished_goods_lot_is_origin_04_and_opens_internal_defect_notifications(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    number = await finished_lot(adapter)
    (lot,) = await inspector.find_lots(origin="04")
    assert (lot.LotNumber, lot.SourceOrder, lot.Batch, lot.SamplePlan) == (
        number,
        "1000001",
        "B1000001",
        None,
    )
    bad = await adapter.record_measurement(f.measurement(number, "51.9", "FILL_WT"))
    assert not bad.passed and bad.nonconformance_id
    notification = await inspector.get_notification(bad.nonconformance_id)
    assert (notification.NotificationType, notification.Supplier) == ("F3", "")


async def test_its_usage_decision_may_split_the_lot_but_not_exceed_it(
    adapter: ReferenceQmsAdapter, inspector: Inspector
) -> None:
    number = await finished_lot(adapter)
    too_much = f.usage_decision(number, quantity_free=Decimal(1000), quantity_blocked=Decimal(1))
    with pytest.raises(BusinessRefusal) as refused:
        await adapter.record_usage_decision(too_much)
    assert refused.value.code == "QuantityExceeded"
    split = f.usage_decision(number, quantity_free=Decimal(990), quantity_blocked=Decimal(10))
    await adapter.record_usage_decision(split)
    decided = (await inspector.get_lot(number)).UsageDecision
    assert decided is not None and (decided.QtyToFree, decided.QtyToBlocked) == (990, 10)


def test_its_events_say_finished_goods() -> None:
    event = parse_qms_event(result_payload(Origin="04"), "Result.Recorded", load_settings())
    assert event.origin == "finished_goods"
