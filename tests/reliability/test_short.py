"""The reliability suite's short version: the plant as separate processes (Temporal dev
server on its SQLite file, five reference systems, gateway, worker) on one set of free ports,
and three faults one after another: the worker SIGKILLed while 8 orders and 2 receipts flow,
the Temporal server SIGKILLed and restarted on its database, ERP and MES SIGKILLed with
undelivered events in their outboxes. Each ends with every saga completed and no posting
twice in any ledger. The full version: ``python -m reliability run --full``."""

from dataclasses import replace
from pathlib import Path

import pytest

from reliability.invariants import LEDGER_SYSTEMS
from reliability.runner import run_scenarios
from reliability.scenarios import SHORT

SEED = 20261201  # the fault moments are drawn from it; a failure repeats with the same seed


@pytest.mark.timeout(360)  # a hang guard, not a speed check: about 70 s on an idle 2-core machine
async def test_sagas_finish_once_through_kills_and_restarts(tmp_path: Path) -> None:
    small = replace(SHORT, orders=3, receipts=1)
    results = await run_scenarios(
        ["worker-kill", "temporal-restart", "outbox-restart"],
        SHORT,
        SEED,
        tmp_path,
        say=print,
        shared_plant=True,
        sizes_of={
            "worker-kill": replace(SHORT, orders=8, receipts=2, max_kills=2),
            "temporal-restart": small,
            "outbox-restart": small,
        },
    )

    for result in results:
        outcome = result.outcome
        assert outcome.problems == [], result.scenario
        assert outcome.completed == outcome.started > 0, result.scenario
        assert (outcome.parked_business, outcome.parked_transient, outcome.unfinished) == (0, 0, 0)
        assert outcome.duplicates == dict.fromkeys(LEDGER_SYSTEMS, 0), result.scenario
    notes = {result.scenario: result.outcome.notes for result in results}
    assert "worker SIGKILLed 2 times" in notes["worker-kill"]
    backlogs = [note for note in notes["outbox-restart"] if " killed with " in note]
    assert [note.split()[0] for note in backlogs] == ["erp", "mes"]
    assert all(int(note.split()[3]) > 0 for note in backlogs), backlogs
