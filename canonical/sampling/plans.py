"""What to inspect next: the Z1.4 plan for the current severity, a skipped lot, or none.

``plan_for`` reads a ``SwitchingState`` (switching.py) and a ``SamplingPolicy``; its
``reason`` says in words how the plan was found, for the inspector and the audit trail.
"""

from decimal import ROUND_CEILING, Decimal

from canonical.commands import SamplePlan
from canonical.sampling.policy import SamplingPolicy
from canonical.sampling.switching import SwitchingState
from canonical.sampling.tables import Severity, code_letter, single_plan


def plan_for(state: SwitchingState, policy: SamplingPolicy, lot_size: int | Decimal) -> SamplePlan:
    """The sample plan for the next lot of ``lot_size`` units (a decimal size is rounded up)."""
    units = _units(lot_size)
    if state.severity is Severity.DISCONTINUED:
        return SamplePlan(
            severity=Severity.DISCONTINUED,
            sample_size=units,
            accept_number=0,
            reject_number=1,
            aql=policy.aql,
            reason=(
                f"inspection discontinued: {state.rejected_on_tightened} lots not accepted on "
                "tightened inspection; no lot is accepted on a sample until the supplier's "
                "corrective action is agreed (inspect 100%, escalate)"
            ),
        )
    skip = policy.skip_lot
    if state.skip_lot_active and skip and state.skipped_since_inspection < skip.inspect_one_in - 1:
        return SamplePlan(
            severity=Severity.SKIP,
            sample_size=0,
            accept_number=0,
            reject_number=1,
            aql=policy.aql,
            skipped=True,
            reason=(
                f"skip-lot: {state.clean_lots} consecutive accepted lots; "
                f"inspecting 1 in {skip.inspect_one_in}"
            ),
        )
    looked_up = code_letter(units, policy.inspection_level)
    cell = single_plan(looked_up, policy.aql, state.severity)
    reason = (
        f"Z1.4 {state.severity} inspection, level {policy.inspection_level}, AQL {policy.aql}: "
        f"lot of {units} -> code letter {looked_up}"
    )
    if cell.code_letter != looked_up:
        reason += f", arrow to {cell.code_letter}"
    reason += f"; n={cell.sample_size}, Ac {cell.accept_number}, Re {cell.reject_number}"
    accept, reject = cell.accept_number, cell.reject_number
    if cell.sample_size >= units:
        # Z1.4: when the sample size equals or exceeds the lot size, inspect every unit.
        # Every unit is then known, so the lot conforms only with none found: Ac 0, Re 1.
        accept, reject = 0, 1
        reason += f"; sample size >= lot size: inspect 100% ({units} units), Ac 0, Re 1"
    elif reject > accept + 1:
        reason += "; a count between Ac and Re accepts the lot but reinstates normal"
    if state.skip_lot_active and skip:
        reason += f"; skip-lot: this is the 1 lot in {skip.inspect_one_in} inspected"
    return SamplePlan(
        severity=state.severity,
        code_letter=cell.code_letter,
        sample_size=min(cell.sample_size, units),
        accept_number=accept,
        reject_number=reject,
        aql=policy.aql,
        reason=reason,
    )


def _units(lot_size: int | Decimal) -> int:
    if isinstance(lot_size, bool) or not isinstance(lot_size, int | Decimal):
        raise ValueError(f"lot size must be a number of units, got {lot_size!r}")
    units = int(Decimal(lot_size).to_integral_value(rounding=ROUND_CEILING))
    if units < 1:
        raise ValueError(f"lot size must be at least 1 unit, got {lot_size}")
    return units
