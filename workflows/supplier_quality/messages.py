"""Messages of the supplier-quality entity workflow."""

from pydantic import BaseModel, Field

from canonical.commands import SamplePlan
from canonical.sampling import SamplingPolicy, SwitchingState


class LotRecord(BaseModel):
    lot_id: str
    plan: SamplePlan
    accepted: bool | None = None


class SupplierQualityStart(BaseModel):
    supplier: str
    item_id: str
    state: SwitchingState = Field(default_factory=SwitchingState)
    lots: list[LotRecord] = Field(default_factory=list, description="Most recent last")


class PlanRequest(BaseModel):
    lot_id: str
    lot_size: int = Field(gt=0)
    policy: SamplingPolicy


class OutcomeReport(BaseModel):
    lot_id: str
    accepted: bool
    nonconforming: int | None = Field(default=None, description="Defectives found, if inspected")
    policy: SamplingPolicy


class SupplierQualityView(BaseModel):
    supplier: str
    item_id: str
    state: SwitchingState
    lots: list[LotRecord]
