"""Inspection plans (master data): read, and maintained as a whole per material."""

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlmodel import Session, col, delete, select

from refsystems.common.app import SessionDep
from refsystems.common.context import WriteContext, write_context
from refsystems.qms.errors import QmsError, not_found
from refsystems.qms.schemas import InspectionPlan
from refsystems.qms.store import characteristic_out, plan_characteristics, text
from refsystems.qms.tables import InspectionPlanRow, PlanCharacteristicRow

router = APIRouter(prefix="/api/v1/inspection-plans", tags=["inspection plans"])


def read_plan(session: Session, material: str) -> InspectionPlan | None:
    header = session.get(InspectionPlanRow, material)
    if header is None:
        return None
    chars = [characteristic_out(c) for c in plan_characteristics(session, material)]
    return InspectionPlan(Material=material, Description=header.description, Characteristics=chars)


def save_plan(session: Session, ctx: WriteContext, plan: InspectionPlan) -> bool:
    """Replace the plan if it differs; False (and no ledger entry) when it is unchanged.
    Lots already created keep the characteristics they were created with."""
    if read_plan(session, plan.Material) == plan:
        return False
    mics = [c.MIC for c in plan.Characteristics]
    if len(set(mics)) != len(mics):
        raise QmsError(422, "DuplicateCharacteristic", f"plan lists a MIC twice: {mics}")
    session.merge(InspectionPlanRow(material=plan.Material, description=plan.Description))
    session.exec(  # type: ignore[call-overload]
        delete(PlanCharacteristicRow).where(col(PlanCharacteristicRow.material) == plan.Material)
    )
    for seq, char in enumerate(plan.Characteristics, start=1):
        session.add(
            PlanCharacteristicRow(
                material=plan.Material,
                seq=seq * 10,
                mic=char.MIC,
                description=char.Description,
                target=text(char.Target),
                lower_limit=text(char.LowerLimit),
                upper_limit=text(char.UpperLimit),
                unit=char.Unit,
            )
        )
    ctx.record(
        session,
        "maintain_inspection_plan",
        "InspectionPlan",
        plan.Material,
        plan.model_dump(mode="json"),
    )
    return True


@router.get("")
def list_plans(session: SessionDep) -> list[InspectionPlan]:
    materials = session.exec(
        select(InspectionPlanRow.material).order_by(col(InspectionPlanRow.material))
    )
    return [plan for m in materials if (plan := read_plan(session, m))]


@router.get("/{material}")
def get_plan(material: str, session: SessionDep) -> InspectionPlan:
    plan = read_plan(session, material)
    if plan is None:
        raise not_found("inspection plan for material", material)
    return plan


@router.put("/{material}")
def put_plan(
    material: str,
    plan: InspectionPlan,
    session: SessionDep,
    ctx: Annotated[WriteContext, Depends(write_context)],
) -> InspectionPlan:
    if plan.Material != material:
        raise QmsError(422, "ValidationFailed", f"path says {material}, body says {plan.Material}")
    save_plan(session, ctx, plan)
    session.commit()
    return plan
