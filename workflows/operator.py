"""The operator's desk every saga shares: parked steps, supervisor exceptions, and the
`resolve_attention` update (retry, skip, compensate, acknowledge) with its validator.

A saga mixes this in and gives it ``state`` (with ``people``, ``plant``, ``attention``,
``parked`` and ``operator_actions``), ``steps`` (its StepRunner) and ``publish()``.
"""

from enum import StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel, Field
from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from workflows.attention import (
        Attention,
        AttentionResolution,
        OperatorAction,
        OperatorRecord,
        SupervisorException,
    )
    from workflows.outages import Waiting
    from workflows.people import resolution_problem
    from workflows.saga import StepRunner


class ResolutionOutcome(BaseModel):
    """What an operator's action did to one saga."""

    workflow_id: str
    action: OperatorAction
    targets: list[str] = Field(default_factory=list)
    parked: list[Attention] = Field(default_factory=list)
    waiting: list[Waiting] = Field(
        default_factory=list, description="Steps still waiting out an outage"
    )
    open_exceptions: int = 0


class OperatorDesk:
    state: Any
    steps: StepRunner
    stage_before_park: Any
    # The saga's stage (or status) field, its value while a step is parked, and the stages
    # that replace that value even while a step is parked.
    stage_field: ClassVar[str] = "stage"
    parked_stage: ClassVar[StrEnum]
    final_stages: ClassVar[frozenset[StrEnum]] = frozenset()

    def publish(self) -> None:
        raise NotImplementedError

    def attention_subject(self) -> str:
        """How refusals name the saga, e.g. 'order 1000001'."""
        raise NotImplementedError

    def supervisor_exceptions(self) -> list[SupervisorException]:
        return []

    def on_operator_action(self, record: OperatorRecord) -> None:
        """A saga with its own audit trail records the action there too."""

    # --- parking ---------------------------------------------------------------------------

    def on_park(self, parked: list[Attention]) -> None:
        was_parked = bool(self.state.parked)
        self.state.parked = list(parked)
        self.state.attention = parked[0] if parked else None
        if parked and not was_parked:
            self.stage_before_park = getattr(self.state, self.stage_field)
            setattr(self.state, self.stage_field, self.parked_stage)
        elif was_parked and not parked:
            setattr(self.state, self.stage_field, self.stage_before_park)
        self.publish()

    def show_stage(self, stage: StrEnum) -> None:
        """While a step is parked the saga shows the parked stage; other lanes' progress is
        remembered and shown once nothing is parked."""
        if self.state.parked and stage not in self.final_stages:
            self.stage_before_park = stage
        else:
            setattr(self.state, self.stage_field, stage)

    def open_exceptions(self) -> list[SupervisorException]:
        return [e for e in self.supervisor_exceptions() if e.acknowledged_by is None]

    # --- the update --------------------------------------------------------------------------

    @workflow.update(name="resolve_attention")
    def resolve_attention(self, resolution: AttentionResolution) -> ResolutionOutcome:
        if resolution.action is OperatorAction.ACKNOWLEDGE:
            targets = []
            for exc in self._matching_exceptions(resolution):
                exc.acknowledged_by = resolution.operator
                exc.acknowledged_at = workflow.now()
                exc.acknowledgement = resolution.reason
                targets.append(f"{exc.id} {exc.kind}")
        else:
            targets = [f"{p.id} {p.step}" for p in self.steps.resolve(resolution)]
        record = OperatorRecord(
            at=workflow.now(),
            operator=resolution.operator,
            action=resolution.action,
            targets=targets,
            reason=resolution.reason,
        )
        self.state.operator_actions.append(record)
        self.on_operator_action(record)
        self.publish()
        return ResolutionOutcome(
            workflow_id=workflow.info().workflow_id,
            action=resolution.action,
            targets=targets,
            parked=[p for p in self.steps.parked if p.id not in self.steps.resolutions],
            waiting=[
                w for w in self.steps.outages.waiting.values() if w.id not in self.steps.nudges
            ],
            open_exceptions=len(self.open_exceptions()),
        )

    @resolve_attention.validator
    def _validate_resolution(self, resolution: AttentionResolution) -> None:
        problem = self.resolution_refusal(resolution)
        if problem:
            raise ApplicationError(problem, type="ResolutionRefused")

    def resolution_refusal(self, resolution: AttentionResolution) -> str | None:
        """Why the action may not be taken, or None. Nothing is recorded on a refusal."""
        subject = self.attention_subject()
        if self.steps.stop_reason is not None:
            return f"{subject} is being compensated ({self.steps.stop_reason})"
        targets: list[Any]
        if resolution.action is OperatorAction.ACKNOWLEDGE:
            targets = self._matching_exceptions(resolution)
            what = "open supervisor exception"
        else:
            targets = [*self.steps.matching(resolution), *self.steps.matching_waits(resolution)]
            what = "step waiting for an operator or for its system"
        problem = resolution_problem(
            self.state.people,
            targets or None,
            resolution.operator,
            self.state.plant,
            subject,
            what=f"{what}{describe(resolution)}",
        )
        if problem:
            return problem
        if resolution.action is OperatorAction.SKIP:
            steps: list[Attention | Waiting] = [
                *self.steps.matching(resolution),
                *self.steps.matching_waits(resolution),
            ]
            fixed = [p.step for p in steps if not p.skippable]
            if fixed:
                return (
                    f"step '{fixed[0]}' of {subject} cannot be skipped: "
                    "retry it or compensate the saga"
                )
        return None

    def _matching_exceptions(self, resolution: AttentionResolution) -> list[SupervisorException]:
        return [
            e
            for e in self.open_exceptions()
            if resolution.matches(e.id, e.message, e.system, e.kind)
        ]


def describe(f: AttentionResolution) -> str:
    """The filter in words, for refusals."""
    parts = [
        f"{name} {value}"
        for name, value in (
            ("id", f.attention_id),
            ("step", f.step),
            ("system", f.system),
            ("error type", f.error_type),
        )
        if value
    ]
    return f" matching {', '.join(parts)}" if parts else ""
