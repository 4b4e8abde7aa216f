"""S/4 QM sends nothing to the QMS webhook: its results and decisions are made through the
adapter (S/4's own business events arrive, if at all, on the ERP's webhook)."""

from typing import Any

from adapters.errors import EventRejected
from canonical.plant_config import Settings


def parse_sap_qm_event(payload: dict[str, Any], event_type: str, settings: Settings) -> Any:
    raise EventRejected(
        "X-Event-Type", f"a QMS of kind sap-qm sends no webhooks (got {event_type!r})"
    )
