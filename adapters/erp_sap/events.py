"""S/4HANA business events (CloudEvents, as SAP Event Mesh delivers them) -> canonical.

Only ``ProductionOrder.Released`` is consumed: a thin event the saga follows by reading
the order from ERP. Anything missing, malformed or unmapped is refused with the dotted
path of the culprit in the payload (e.g. ``data.ProductionPlant``).
"""

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from adapters.errors import EventRejected
from canonical.enums import SourceSystem
from canonical.events import ProductionOrderReleased
from canonical.plant_config import ConfigError, Settings

RELEASED = "sap.s4.beh.productionorder.v1.ProductionOrder.Released.v1"


class _ReleasedData(BaseModel):
    model_config = ConfigDict(extra="allow")

    ManufacturingOrder: str = Field(min_length=1, max_length=12, pattern=r"^\S+$")
    ProductionPlant: str = Field(min_length=1, max_length=4)
    Material: str = ""


class _ReleasedEvent(BaseModel):
    model_config = ConfigDict(extra="allow")

    specversion: Literal["1.0"]
    type: Literal["sap.s4.beh.productionorder.v1.ProductionOrder.Released.v1"]
    source: str = Field(min_length=1)
    id: str = Field(min_length=1, max_length=128)
    time: AwareDatetime
    datacontenttype: str = "application/json"
    data: _ReleasedData


def parse_erp_event(
    payload: dict[str, Any], event_type: str, settings: Settings
) -> ProductionOrderReleased:
    """Validate a webhook from ERP and map it; the event id becomes the correlation id."""
    if not isinstance(payload, dict):
        raise EventRejected("payload", "expected a JSON object (a CloudEvent)")
    if event_type and event_type != RELEASED:
        raise EventRejected("type", f"unsupported ERP event type {event_type!r}")
    try:
        event = _ReleasedEvent.model_validate(payload)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "payload"
        raise EventRejected(field, error["msg"]) from None
    try:
        plant = settings.plant_by_erp_code(event.data.ProductionPlant)
    except ConfigError as exc:
        raise EventRejected("data.ProductionPlant", str(exc)) from None
    return ProductionOrderReleased(
        correlation_id=event.id,
        source_system=SourceSystem.ERP,
        plant=plant.plant_id,
        occurred_at=event.time,
        order_id=event.data.ManufacturingOrder,
    )
