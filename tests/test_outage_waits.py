"""The saga's waits for a system that is down: elapsed time spends the budget, attempts and
Retry-After do not; the backoff is capped; the last attempt falls on the budget's end."""

from datetime import UTC, datetime, timedelta

from workflows.outages import Outage, describe, human

START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def outage(budget: timedelta | None = timedelta(hours=4)) -> Outage:
    return Outage(
        step="confirm operation 0020",
        system="erp",
        since=START,
        budget=budget,
        first_wait=timedelta(seconds=30),
        max_wait=timedelta(minutes=10),
    )


def test_waits_double_up_to_the_cap() -> None:
    waits = _waits(outage(), count=8)
    assert waits[:6] == [timedelta(seconds=s) for s in (30, 60, 120, 240, 480, 600)]
    assert waits[6:] == [timedelta(minutes=10)] * 2


def _waits(o: Outage, count: int) -> list[timedelta]:
    now, waits = START, []
    for _ in range(count):
        wait = o.next_wait(now, None)
        assert wait is not None
        waits.append(wait)
        now += wait
    return waits


def test_retry_after_sets_the_wait_and_many_attempts_spend_no_budget() -> None:
    o = outage(timedelta(minutes=5))
    now = START
    for _ in range(100):  # 100 attempts in 200 s: still within a 5-minute budget
        assert o.next_wait(now, timedelta(seconds=2)) == timedelta(seconds=2)
        now += timedelta(seconds=2)
    assert o.attempts == 100


def test_the_last_attempt_is_at_the_budgets_end_then_it_gives_up() -> None:
    o = outage(timedelta(minutes=5))
    assert o.next_wait(START + timedelta(minutes=4, seconds=50), None) == timedelta(seconds=10)
    assert o.next_wait(START + timedelta(minutes=5), None) is None
    assert o.exhausted("503 from POST /x").startswith(
        "ERP still unavailable after its outage budget of 5m (2 attempts); last error: 503"
    )


def test_without_a_budget_it_waits_until_the_system_answers() -> None:
    o = outage(budget=None)
    assert o.next_wait(START + timedelta(days=30), None) == timedelta(seconds=30)
    assert o.gives_up_at is None


def test_what_a_person_reads_is_short() -> None:
    o = outage()
    waiting = o.waiting("x" * 5000, START, timedelta(seconds=30))
    assert len(waiting.last_error) == 300 and waiting.system == "ERP"
    (line,) = describe([waiting])
    assert line.startswith("**Waiting on ERP** since 2026-12-01 08:00 UTC")
    assert human(timedelta(hours=24)) == "24h" and human(timedelta(seconds=90)) == "1m 30s"
