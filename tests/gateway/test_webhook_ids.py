"""The store of accepted webhook ids: durable across a gateway restart, per sending system,
concurrent copies claimed once, refused deliveries not remembered, and ids forgotten only
after the replay window."""

import asyncio
from datetime import timedelta
from pathlib import Path

from gateway.webhook_ids import WebhookIdStore

WINDOW = timedelta(minutes=10)


async def test_an_accepted_id_survives_a_restart(tmp_path: Path) -> None:
    first = WebhookIdStore(tmp_path / "ids.db", WINDOW)
    assert await first.claim("erp", "msg_1")
    await first.accept("erp", "msg_1")
    restarted = WebhookIdStore(tmp_path / "ids.db", WINDOW)  # a new process, the same file
    assert not await restarted.claim("erp", "msg_1")
    assert await restarted.claim("mes", "msg_1")  # ids are per sending system


async def test_concurrent_copies_are_claimed_once(tmp_path: Path) -> None:
    store = WebhookIdStore(tmp_path / "ids.db", WINDOW)
    claims = await asyncio.gather(*(store.claim("erp", "msg_2") for _ in range(50)))
    assert claims.count(True) == 1


async def test_a_released_claim_may_be_tried_again(tmp_path: Path) -> None:
    store = WebhookIdStore(tmp_path / "ids.db", WINDOW)
    assert await store.claim("qms", "msg_3")
    store.release("qms", "msg_3")  # the delivery was refused or failed
    assert await store.claim("qms", "msg_3")


async def test_ids_are_forgotten_after_the_window(tmp_path: Path) -> None:
    store = WebhookIdStore(tmp_path / "ids.db", timedelta(0))
    assert await store.claim("lims", "msg_4")
    await store.accept("lims", "msg_4")
    # No signature can still be valid for it: the id may be used again (and is re-recorded).
    assert await store.claim("lims", "msg_4")
    await store.accept("lims", "msg_4")
