"""A repeated Idempotency-Key replays the first answer and changes nothing; another request
for a batch already under test answers its sample."""

from adapters.lims_reference import ReferenceLimsAdapter
from refsystems.lims.lab import Lab
from tests.lims import factories as f
from tests.lims.conftest import Admin


async def test_same_key_twice_registers_once(
    adapter: ReferenceLimsAdapter, lab: Lab, admin: Admin
) -> None:
    command = f.lab_request(key="release-B1000001-lab")
    first = await adapter.request_testing(command)
    second = await adapter.request_testing(command)
    assert (first.document, first.replayed) == ("SMP-000001", False)
    assert (second.document, second.replayed) == ("SMP-000001", True)
    (entry,) = await admin.ledger(idempotency_key="release-B1000001-lab")
    assert (entry["action"], entry["entity_key"]) == ("register_sample", "SMP-000001")
    assert len(await lab.list_samples()) == 1
    assert [e["event_type"] for e in await admin.outbox()] == ["Sample.Registered"]


async def test_another_key_for_the_batch_answers_the_existing_sample(
    adapter: ReferenceLimsAdapter, lab: Lab, admin: Admin
) -> None:
    first = await adapter.request_testing(f.lab_request(key="first"))
    await lab.enter_result(first.document, "PH", f.ANALYST, value="6.3")
    again = await adapter.request_testing(f.lab_request(key="second"))
    assert (again.document, again.replayed) == (first.document, True)
    assert await admin.ledger(idempotency_key="second") == []
    (sample,) = await lab.list_samples(material="FG-1000", batch="B1000001")
    assert sample.status == "in_testing"  # answered as it is, not reset
    other = await adapter.request_testing(f.lab_request(key="third", lot_id="B1000002"))
    assert other.document == "SMP-000002"


async def test_lab_writes_replay_too(lab: Lab, admin: Admin) -> None:
    number = (await f.register(lab)).sample_id
    result = await lab.enter_result(number, "PH", f.ANALYST, value="6.2", idempotency_key="r1")
    replay = await lab.enter_result(number, "PH", f.ANALYST, value="6.2", idempotency_key="r1")
    assert replay == result
    await f.complete(lab, number)
    signed = await lab.authorize(number, f.REVIEWER, idempotency_key="sign")
    assert await lab.authorize(number, f.REVIEWER, idempotency_key="sign") == signed
    assert len(await admin.ledger(idempotency_key="r1")) == 1
    assert len(await admin.ledger(action="authorize_sample")) == 1
    events = [e["event_type"] for e in await admin.outbox()]
    assert events == ["Sample.Registered", "Sample.Authorized"]
