"""Plant activities: check a work order against the plant's cross-references, raise alerts
(notices the alert ledger delivers)."""

import re
from datetime import timedelta

from pydantic import BaseModel, Field
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.alerts import AlertInbox, notice_key
from canonical.commands import JobOperation
from canonical.manufacturing import WorkOrder
from canonical.plant_config import ConfigError, Person, Settings, from_canonical
from workflows.alerts_messages import Notice

MAPPING_ERROR = "MappingError"


class PlantRef(BaseModel):
    plant: str


class PlantProfile(BaseModel):
    """What the saga needs from the plant's configuration, fixed at its start."""

    people: list[Person]
    mes_acknowledgement: timedelta
    disposition_deadline: timedelta
    inspection_deadline: timedelta
    # Per system (the adapters' names: "erp", "mes", ...); empty in sagas started before budgets.
    outage_budgets: dict[str, timedelta] = Field(default_factory=dict)


class RouteRequest(BaseModel):
    order: WorkOrder


class RoutePlan(BaseModel):
    operations: list[JobOperation]


class Alert(BaseModel):
    workflow_id: str
    plant: str
    kind: str
    message: str


class PlantActivities:
    def __init__(self, settings: Settings, alerts: AlertInbox | None = None):
        self.settings = settings
        self.alerts = alerts

    @activity.defn(name="plant.load_profile")
    async def load_profile(self, ref: PlantRef) -> PlantProfile:
        try:
            plant = self.settings.plant(ref.plant)
        except ConfigError as exc:
            raise ApplicationError(str(exc), type=MAPPING_ERROR, non_retryable=True) from exc
        return PlantProfile(
            people=plant.people,
            mes_acknowledgement=plant.timeouts.mes_acknowledgement,
            disposition_deadline=plant.timeouts.disposition_deadline,
            inspection_deadline=plant.timeouts.inspection_deadline,
            outage_budgets=self.settings.outage_budgets(plant.plant_id),
        )

    @activity.defn(name="plant.plan_route")
    async def plan_route(self, request: RouteRequest) -> RoutePlan:
        """Refuse an order the plant's mappings cannot carry, before anything is posted."""
        order = request.order
        try:
            plant = self.settings.plant(order.plant)
            mes_units = self.settings.systems[plant.mes].units
            if mes_units:
                from_canonical(order.quantity, order.unit, mes_units)
            lots = [order.output_lot, *(c.lot for c in order.components if c.lot)]
            for lot in lots:
                if not re.fullmatch(plant.lot_pattern, lot):
                    raise ConfigError(
                        f"lot {lot!r} does not match plant {plant.plant_id}'s lot format "
                        f"{plant.lot_pattern!r}"
                    )
            operations = [
                JobOperation(
                    operation_id=op.operation_id,
                    segment_id=plant.mes_segment(op.operation_id),
                    description=op.description,
                )
                for op in order.operations
            ]
        except ConfigError as exc:
            raise ApplicationError(str(exc), type=MAPPING_ERROR, non_retryable=True) from exc
        return RoutePlan(operations=operations)

    @activity.defn(name="plant.raise_alert")
    async def raise_alert(self, alert: Alert) -> None:
        """Tell people: the alert ledger delivers the notice (webhook, e-mail, console) once;
        the log line stays for log shipping."""
        if self.alerts is not None:
            await self.alerts.send(
                "notice",
                Notice(
                    key=notice_key(alert.workflow_id, alert.kind, alert.message),
                    workflow_id=alert.workflow_id,
                    plant=alert.plant,
                    kind=alert.kind,
                    message=alert.message,
                    at=activity.info().current_attempt_scheduled_time,
                ),
            )
        activity.logger.warning(
            "ALERT %s plant=%s workflow=%s: %s",
            alert.kind,
            alert.plant,
            alert.workflow_id,
            alert.message,
            extra={"alert": alert.model_dump()},
        )
