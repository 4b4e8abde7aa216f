"""What every fault run must end with: each saga completed (or visibly parked for a business
reason) and no posting twice in any system's ledger."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from reliability.workload import Saga, is_final

LEDGER_SYSTEMS = ("erp", "mes", "qms", "lims", "portal")
# Parked for reasons an outage, a restart or a torn request causes: the sagas should have
# drained these by themselves. Everything else a system refused is a business reason.
TRANSIENT_TYPES = {"SystemUnavailable", "TimeoutError", "ActivityError", "ApplicationError"}
# A request the system could not read (a body cut short) must never pass for a refusal.
TORN_MARKS = ("json", "body", "decode", "expecting", "exceeds size", "unavailable", "timed out")


@dataclass
class Outcome:
    started: int = 0
    completed: int = 0
    parked_business: int = 0
    parked_transient: int = 0
    unfinished: int = 0  # neither final nor parked when the run's patience ran out
    duplicates: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.parked_transient or self.unfinished or any(self.duplicates.values()))


def transient(parked: dict[str, Any]) -> bool:
    message = str(parked.get("message", "")).lower()
    kind = str(parked.get("error_type", ""))
    if kind in TRANSIENT_TYPES or any(m in kind.lower() for m in ("budget", "unavail", "timeout")):
        return True
    return any(mark in message for mark in TORN_MARKS)


def classify(sagas: list[tuple[Saga, dict[str, Any]]], outcome: Outcome) -> None:
    for saga, state in sagas:
        outcome.started += 1
        parked = state.get("parked") or []
        if parked:
            if any(transient(p) for p in parked):
                outcome.parked_transient += 1
                kind = "transient"
            else:
                outcome.parked_business += 1
                kind = "business"
            first = parked[0]
            outcome.problems.append(
                f"{saga.kind} {saga.key} parked ({kind}): {first.get('step')} "
                f"{first.get('error_type')}: {str(first.get('message'))[:160]}"
            )
        elif is_final(saga, state):
            outcome.completed += 1
        else:
            outcome.unfinished += 1
            where = state.get("stage") or state.get("status") or "unknown to the gateway"
            outcome.problems.append(f"{saga.kind} {saga.key} unfinished: {where}")


async def ledger(http: httpx.AsyncClient, url: str) -> list[dict[str, Any]]:
    response = await http.get(f"{url}/admin/ledger", params={"limit": 10_000})
    response.raise_for_status()
    rows: list[dict[str, Any]] = response.json()
    return rows


def duplicate_postings(rows: list[dict[str, Any]]) -> int:
    """Writes beyond the first for one idempotency key, or for one business fact (the same
    action on the same entity for the same saga with the same content)."""
    by_key = Counter(
        row["idempotency_key"]
        for row in rows
        # Writes sent without a key (seeding, the admin's own) share one per request.
        if row.get("idempotency_key") and not row["idempotency_key"].startswith("anonymous-")
    )
    by_fact = Counter(
        (row["correlation_id"], row["action"], row["entity_key"], _content(row["details"]))
        for row in rows
        if row.get("correlation_id")
    )
    return max(
        sum(n - 1 for n in by_key.values() if n > 1),
        sum(n - 1 for n in by_fact.values() if n > 1),
    )


def _content(details: Any) -> str:
    """The details without what differs between two honest postings of the same fact
    (document numbers, times)."""
    if not isinstance(details, dict):
        return str(details)
    volatile = ("document", "number", "time", "date", "_at", "year")
    kept = {k: v for k, v in details.items() if not any(m in k.lower() for m in volatile)}
    return repr(sorted(kept.items()))


async def count_duplicates(http: httpx.AsyncClient, urls: dict[str, str]) -> dict[str, int]:
    return {
        system: duplicate_postings(await ledger(http, urls[system])) for system in LEDGER_SYSTEMS
    }


async def dead_events(http: httpx.AsyncClient, urls: dict[str, str]) -> dict[str, int]:
    """Outbox events the gateway refused for good, per system (an event lost to a saga)."""
    counts: dict[str, int] = {}
    for system in LEDGER_SYSTEMS:
        response = await http.get(f"{urls[system]}/admin/outbox", params={"status": "dead"})
        response.raise_for_status()
        counts[system] = len(response.json())
    return counts
