"""A saga's business timeline and the state it holds in each system, from its state query,
in the words a plant's people use."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Entry:
    at: str  # ISO time, or "" for steps whose time the saga does not keep
    kind: str  # trigger, dispatch, posting, result, hold, disposition, signature, action, ...
    what: str
    detail: str = ""


def _when(value: Any) -> str:
    return str(value or "")


def _signature_line(signature: dict[str, Any] | None) -> str:
    if not signature:
        return ""
    statement = signature.get("statement") or signature.get("meaning", "")
    return (
        f"signed by {signature.get('printed_name') or signature.get('signer')} "
        f"({signature.get('role')}) at {signature.get('signed_at')}: {statement}; "
        f"reason: {signature.get('reason')}"
    )


def production_timeline(state: dict[str, Any]) -> list[Entry]:
    entries = [
        Entry(
            "",
            "trigger",
            f"Order {state.get('order_id')} released in ERP",
            f"ERP status {state.get('erp_order_status') or '?'}; "
            f"{state.get('triggers_received', 0)} trigger(s) received",
        )
    ]
    if state.get("inspection_lot_id"):
        entries.append(Entry("", "result", f"QMS inspection lot {state['inspection_lot_id']}"))
    dispatched = "acknowledged by MES" if state.get("mes_acknowledged") else "not acknowledged yet"
    entries.append(Entry("", "dispatch", f"Dispatched to MES: {dispatched}"))
    for posting in state.get("postings", []):
        reversed_ = " (reversed)" if posting.get("reversed") else ""
        entries.append(
            Entry(
                "",
                "posting",
                f"{posting['step']} posted to {posting['system'].upper()}{reversed_}",
                f"document {posting['document']}",
            )
        )
    timed = []
    for hold in state.get("holds", []):
        places = [
            name
            for name, flag in (
                ("ERP stock", hold.get("erp_blocked")),
                ("MES lot", hold.get("mes_held")),
                ("shipping", hold.get("shipping_blocked")),
            )
            if flag
        ]
        timed.append(
            Entry(
                _when(hold.get("placed_at")),
                "hold",
                f"Lot {hold['lot_id']} on hold: {hold['characteristic_id']} measured "
                f"{hold['measured_value']} (nonconformance {hold['nonconformance_id']})",
                "held in " + (", ".join(places) or "no system yet"),
            )
        )
        if hold.get("escalated_at"):
            timed.append(
                Entry(_when(hold["escalated_at"]), "overdue", "Disposition overdue: escalated")
            )
        decision = hold.get("decision")
        if decision:
            signature = decision.get("signature") or {}
            timed.append(
                Entry(
                    _when(signature.get("signed_at")),
                    "disposition",
                    f"Disposition {decision['decision']} for {decision['nonconformance_id']}",
                    _signature_line(signature),
                )
            )
    timed += _operator_entries(state)
    timed.sort(key=lambda entry: entry.at)
    return entries + timed


def release_timeline(state: dict[str, Any]) -> list[Entry]:
    entries = [
        Entry(
            _when(a.get("at")),
            a.get("source", ""),
            f"{a.get('action')} by {a.get('actor')}",
            a.get("detail", ""),
        )
        for a in state.get("audit", [])
    ]
    signature = state.get("signature")
    if signature:
        entries.append(
            Entry(
                _when(signature.get("signed_at")),
                "signature",
                "Release decision signed",
                _signature_line(signature),
            )
        )
    entries += _operator_entries(state)
    entries.sort(key=lambda entry: entry.at)
    return entries


def receipt_timeline(state: dict[str, Any]) -> list[Entry]:
    entries = [
        Entry(
            "",
            "trigger",
            f"Lot {state.get('lot_id')} of {state.get('item_id')} received from "
            f"{state.get('supplier')} (PO {state.get('purchase_order')})",
            f"material document {state.get('material_document')}",
        )
    ]
    # The receipt keeps its audit as lines that start with their ISO time.
    for line in state.get("audit", []):
        at, _, what = str(line).partition(" ")
        entries.append(Entry(at, "audit", what))
    return entries


def _operator_entries(state: dict[str, Any]) -> list[Entry]:
    entries = [
        Entry(
            _when(a.get("at")),
            "action",
            f"{a['operator']}: {a['action']}",
            f"{', '.join(a.get('targets') or [])} ({a.get('reason')})",
        )
        for a in state.get("operator_actions", [])
    ]
    for exc in state.get("exceptions", []):
        entries.append(Entry(_when(exc.get("at")), "exception", exc["message"], exc["kind"]))
        if exc.get("acknowledged_at"):
            entries.append(
                Entry(
                    _when(exc["acknowledged_at"]),
                    "action",
                    f"{exc.get('acknowledged_by')}: acknowledged {exc['kind']}",
                    exc.get("acknowledgement") or "",
                )
            )
    return entries


def system_states(kind: str, state: dict[str, Any]) -> list[tuple[str, str]]:
    """What the saga knows each system holds (from its own postings and holds)."""
    postings = state.get("postings", [])

    def posted(system: str) -> str:
        docs = [f"{p['step']} {p['document']}" for p in postings if p["system"] == system]
        return "; ".join(docs) or "nothing posted"

    holds = state.get("holds", [])
    open_hold = holds[-1] if holds and not holds[-1].get("decision") else None
    if kind == "production":
        return [
            (
                "ERP",
                f"order status at release {state.get('erp_order_status') or '?'}; {posted('erp')}; "
                f"stock {'blocked' if open_hold and open_hold.get('erp_blocked') else 'free'}",
            ),
            (
                "MES",
                f"{'acknowledged' if state.get('mes_acknowledged') else 'not acknowledged'}; "
                f"lot {'held' if open_hold and open_hold.get('mes_held') else 'not held'}",
            ),
            (
                "QMS",
                f"inspection lot {state.get('inspection_lot_id') or '-'}; "
                f"quality {state.get('quality_status')}",
            ),
        ]
    if kind == "receipt":
        decision = state.get("decision") or {}
        return [
            ("ERP", posted("erp")),
            ("QMS", f"inspection lot {state.get('inspection_lot_id') or '-'}"),
            ("decision", str(decision.get("decision", "none yet"))),
        ]
    checkpoints = state.get("checkpoints", {})
    return [
        ("shipping", "blocked" if state.get("shipment_blocked") else "free"),
        *[(str(name), str(cp.get("status"))) for name, cp in checkpoints.items()],
        ("certificate", state.get("certificate_id") or "none yet"),
    ]


def age_text(since: datetime, now: datetime) -> str:
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 86400} d {seconds % 86400 // 3600} h"
