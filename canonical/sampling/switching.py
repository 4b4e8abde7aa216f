"""Z1.4 switching rules and skip-lot, as pure functions over one state per stream of lots.

The saga keeps one ``SwitchingState`` per (supplier, item), asks ``plan_for`` (plans.py) how
to inspect the next received lot, and hands the outcome to ``after_outcome`` for the next
state.

Z1.4 (ANSI/ASQ Z1.4-2008 section 8, ISO 2859-1:1999 clause 9):
- inspection starts at normal;
- normal -> tightened when 2 of 5 or fewer consecutive lots are not accepted;
- tightened -> normal after 5 consecutive accepted lots;
- tightened -> discontinued when the lots not accepted while on tightened add up to 5; only
  ``resume_after_corrective_action`` leaves it (back to tightened, as the standard says);
- normal -> reduced (Z1.4 8.3.3, the default): the preceding 10 lots were accepted on normal
  inspection, their samples hold no more nonconforming units in total than Table VIII's limit
  number for their total sample units and the AQL (limits.py; when 10 lots have too few sample
  units, more of the run is used, as the table's note says), production is steady and the
  responsible authority approves (``allow_reduced``). A lot whose count is unknown blocks the
  check. ``reduced_check`` says where the stream stands;
- normal -> reduced (ISO 2859-1:1999 9.3.3, only with ``reduced_rule =
  "iso2859-1-switching-score"``) when the switching score reaches 30, production is steady and
  the policy allows reduced. Score, after each lot on normal: a plan with Ac >= 2 adds 3 if the
  lot would also have been accepted one AQL step tighter, else resets to 0; a plan with Ac 0 or
  1 adds 2 if the lot is accepted, else resets to 0;
- reduced -> normal when a lot is not accepted, when a lot is accepted with a count between
  Ac and Re (the reduced table's gap), or when production is no longer steady.

Skip-lot: after ``clean_lots`` consecutive accepted lots on normal or reduced, only 1 lot in
``inspect_one_in`` is inspected (on the current Z1.4 plan); the others get a skipped plan. Any
lot not accepted ends skip-lot. A skipped lot counts as accepted for skip-lot but does not move
the Z1.4 rules: it had no sample, so it is no evidence for tightening or relaxing.

Simplifications: outcomes count in the order they are reported (lots decided out of order
count in decision order). When only accepted/rejected is known (``nonconforming`` omitted),
an accepted lot is taken to pass the one-step-tighter AQL too (+3, or +2 when Ac <= 1), and a
reduced-inspection acceptance cannot be recognised as falling in the gap.
"""

from pydantic import Field, field_validator

from canonical.commands import SamplePlan
from canonical.messages import CanonicalModel
from canonical.sampling.limits import limit_number
from canonical.sampling.policy import ReducedRule, SamplingPolicy
from canonical.sampling.tables import Severity, tighter_accept_number

TIGHTEN_WINDOW = 5  # lots on normal looked back at
TIGHTEN_REJECTIONS = 2  # lots not accepted within that window that tighten inspection
RELAX_ACCEPTED = 5  # consecutive accepted lots on tightened that restore normal
DISCONTINUE_REJECTIONS = 5  # lots not accepted on tightened that discontinue inspection
REDUCED_SCORE = 30  # ISO 2859-1 switching score that allows reduced inspection
REDUCED_LOTS = 10  # Z1.4: consecutive lots accepted on normal before reduced
RUN_KEPT = 40  # accepted lots on normal remembered, for Table VIII's "more than 10 lots"


class LotCount(CanonicalModel):
    """One lot accepted on normal inspection: its sample and what the sample held."""

    sample_size: int = Field(ge=0)
    nonconforming: int | None = Field(default=None, ge=0, description="None: not reported")


class SwitchingState(CanonicalModel):
    """Where one supplier/item stream of lots stands in the switching rules and skip-lot."""

    severity: Severity = Severity.NORMAL
    recent_outcomes: list[bool] = Field(
        default_factory=list,
        description="Lots inspected on the current severity, oldest first (last 5 kept)",
    )
    consecutive_accepted: int = Field(default=0, ge=0)
    switching_score: int = Field(default=0, ge=0, description="ISO 2859-1 rule only")
    normal_run: list[LotCount] = Field(
        default_factory=list,
        description="Consecutive lots accepted on normal inspection, oldest first (Z1.4 rule)",
    )
    reduced_check: str = Field(default="", description="Why normal has not gone to reduced")
    rejected_on_tightened: int = Field(default=0, ge=0)
    clean_lots: int = Field(default=0, ge=0, description="Consecutive accepted lots (skip-lot)")
    skip_lot_active: bool = False
    skipped_since_inspection: int = Field(default=0, ge=0)
    production_steady: bool = Field(
        default=True, description="Set False when production is irregular: no reduced inspection"
    )
    lots: int = Field(default=0, ge=0, description="Lots decided so far")
    last_change: str = Field(default="", description="Why the state last switched")

    @field_validator("severity")
    @classmethod
    def _not_skip(cls, value: Severity) -> Severity:
        if value is Severity.SKIP:
            raise ValueError("skip is a plan, not a switching state; use skip_lot_active")
        return value


def after_outcome(
    state: SwitchingState,
    policy: SamplingPolicy,
    plan: SamplePlan,
    accepted: bool,
    nonconforming: int | None = None,
) -> SwitchingState:
    """The state after a lot inspected (or skipped) on ``plan`` was accepted or not.

    ``nonconforming`` (the count found in the sample), when known, makes the switching score
    and the reduced-inspection gap exact; it must agree with ``accepted``.
    """
    new = state.model_copy(deep=True)
    new.lots += 1
    notes: list[str] = []
    if plan.skipped:
        _after_skipped(new, accepted, notes)
    elif new.severity is not Severity.DISCONTINUED:  # discontinued: only resume leaves it
        in_gap = _in_gap(plan, accepted, nonconforming)
        inspected_on = new.severity
        _apply_switching(new, policy, plan, accepted, nonconforming, in_gap, notes)
        clean = accepted and not in_gap and inspected_on in (Severity.NORMAL, Severity.REDUCED)
        _apply_skip_lot(new, policy, clean, notes)
    if notes:
        new.last_change = "; ".join(notes)
    return new


def resume_after_corrective_action(state: SwitchingState) -> SwitchingState:
    """Leave discontinued inspection once the supplier's corrective action is agreed."""
    if state.severity is not Severity.DISCONTINUED:
        raise ValueError(f"inspection is {state.severity}, not discontinued: nothing to resume")
    new = state.model_copy(deep=True)
    _switch(new, Severity.TIGHTENED, "corrective action agreed; inspection resumes on tightened")
    return new


def _in_gap(plan: SamplePlan, accepted: bool, nonconforming: int | None) -> bool:
    """Check the count against the decision; True when accepted above Ac (reduced gap)."""
    if nonconforming is None:
        return False
    if nonconforming < 0:
        raise ValueError(f"nonconforming count cannot be negative, got {nonconforming}")
    if accepted != (nonconforming < plan.reject_number):
        verdict = "accepted" if accepted else "not accepted"
        raise ValueError(
            f"{nonconforming} nonconforming with Ac {plan.accept_number} Re "
            f"{plan.reject_number} contradicts a lot reported {verdict}"
        )
    return accepted and nonconforming > plan.accept_number


def _switch(state: SwitchingState, to: Severity, why: str) -> str:
    note = f"{state.severity} -> {to}: {why}"
    state.severity = to
    state.recent_outcomes = []
    state.consecutive_accepted = 0
    state.switching_score = 0
    state.normal_run = []
    state.reduced_check = ""
    if to is Severity.TIGHTENED:
        state.rejected_on_tightened = 0
    state.last_change = note
    return note


def _apply_switching(
    new: SwitchingState,
    policy: SamplingPolicy,
    plan: SamplePlan,
    accepted: bool,
    nonconforming: int | None,
    in_gap: bool,
    notes: list[str],
) -> None:
    new.recent_outcomes = [*new.recent_outcomes, accepted][-TIGHTEN_WINDOW:]
    new.consecutive_accepted = new.consecutive_accepted + 1 if accepted else 0
    if new.severity is Severity.NORMAL:
        if new.recent_outcomes.count(False) >= TIGHTEN_REJECTIONS:
            why = f"{TIGHTEN_REJECTIONS} of the last {len(new.recent_outcomes)} lots not accepted"
            notes.append(_switch(new, Severity.TIGHTENED, why))
            return
        if policy.reduced_rule == ReducedRule.ISO_SWITCHING_SCORE:
            _iso_normal_to_reduced(new, policy, plan, accepted, nonconforming, notes)
        else:
            _z14_normal_to_reduced(new, policy, plan, accepted, nonconforming, notes)
    elif new.severity is Severity.TIGHTENED:
        if not accepted:
            new.rejected_on_tightened += 1
            if new.rejected_on_tightened >= DISCONTINUE_REJECTIONS:
                why = f"{new.rejected_on_tightened} lots not accepted on tightened inspection"
                notes.append(_switch(new, Severity.DISCONTINUED, why))
        elif new.consecutive_accepted >= RELAX_ACCEPTED:
            why = f"{RELAX_ACCEPTED} consecutive lots accepted"
            notes.append(_switch(new, Severity.NORMAL, why))
    elif new.severity is Severity.REDUCED:
        if not accepted:
            notes.append(_switch(new, Severity.NORMAL, "a lot was not accepted"))
        elif in_gap:
            why = f"{nonconforming} nonconforming exceeded Ac {plan.accept_number}"
            notes.append(_switch(new, Severity.NORMAL, why))
        elif not new.production_steady:
            notes.append(_switch(new, Severity.NORMAL, "production is no longer steady"))


def _iso_normal_to_reduced(
    new: SwitchingState,
    policy: SamplingPolicy,
    plan: SamplePlan,
    accepted: bool,
    nonconforming: int | None,
    notes: list[str],
) -> None:
    new.switching_score = _score(new.switching_score, plan, accepted, nonconforming)
    if new.switching_score >= REDUCED_SCORE and new.production_steady and policy.allow_reduced:
        why = f"switching score reached {new.switching_score} (>= {REDUCED_SCORE})"
        notes.append(_switch(new, Severity.REDUCED, why))


def _z14_normal_to_reduced(
    new: SwitchingState,
    policy: SamplingPolicy,
    plan: SamplePlan,
    accepted: bool,
    nonconforming: int | None,
    notes: list[str],
) -> None:
    """Z1.4 8.3.3 a-d: 10 accepted lots, Table VIII, steady production, approval."""
    if not accepted:
        new.normal_run = []
        new.reduced_check = "a lot was not accepted: the run of 10 accepted lots starts again"
        return
    lot = LotCount(sample_size=plan.sample_size, nonconforming=nonconforming)
    new.normal_run = [*new.normal_run, lot][-RUN_KEPT:]
    qualified, why = limit_numbers_met(new.normal_run, policy)
    if qualified and not new.production_steady:
        qualified, why = False, why + "; but production is not steady"
    if qualified and not policy.allow_reduced:
        qualified, why = False, why + "; but reduced inspection is not approved"
    new.reduced_check = why
    if qualified:
        notes.append(_switch(new, Severity.REDUCED, why))


def limit_numbers_met(run: list[LotCount], policy: SamplingPolicy) -> tuple[bool, str]:
    """Z1.4 8.3.3 a and b over a run of lots accepted on normal: met, and why (or why not)."""
    if len(run) < REDUCED_LOTS:
        return False, f"{len(run)} of {REDUCED_LOTS} consecutive lots accepted on normal inspection"
    units = found = 0
    for lots in range(REDUCED_LOTS, len(run) + 1):
        window = run[-lots:]
        if any(lot.nonconforming is None for lot in window):
            return False, (
                f"a nonconforming count among the last {lots} lots is unknown: "
                "Table VIII cannot be checked"
            )
        units = sum(lot.sample_size for lot in window)
        found = sum(lot.nonconforming or 0 for lot in window)
        answer = limit_number(units, policy.aql)
        if answer.limit is None and answer.too_few_units:
            continue  # Table VIII's note: use more of the most recent lots
        if answer.limit is None:
            return False, f"Table VIII has no limit number for {units} units at AQL {policy.aql}"
        counted = (
            f"{lots} consecutive lots accepted on normal inspection, {found} nonconforming in "
            f"{units} sample units"
        )
        table = f"limit number {answer.limit} (Table VIII, {answer.row}, AQL {policy.aql})"
        if found <= answer.limit:
            return True, f"{counted} <= {table}"
        return False, f"{counted} > {table}"
    return False, (
        f"{units} sample units from the last {len(run)} accepted lots are too few for "
        f"AQL {policy.aql} in Table VIII: more lots are needed"
    )


def _score(score: int, plan: SamplePlan, accepted: bool, nonconforming: int | None) -> int:
    if not accepted:
        return 0
    if plan.accept_number < 2:
        return score + 2
    if nonconforming is None:
        return score + 3  # simplification: no count, so assume it passed the tighter AQL
    tighter = tighter_accept_number(plan.accept_number)
    return score + 3 if nonconforming <= tighter else 0


def _after_skipped(new: SwitchingState, accepted: bool, notes: list[str]) -> None:
    if accepted:
        new.clean_lots += 1
        new.skipped_since_inspection += 1
        return
    _end_skip_lot(new, "a skipped lot was not accepted", notes)


def _apply_skip_lot(
    new: SwitchingState, policy: SamplingPolicy, clean: bool, notes: list[str]
) -> None:
    skip = policy.skip_lot
    if not clean:
        _end_skip_lot(new, "a lot was not accepted cleanly", notes)
        return
    new.clean_lots += 1
    new.skipped_since_inspection = 0
    if skip is None:
        new.skip_lot_active = False
    elif not new.skip_lot_active and new.clean_lots >= skip.clean_lots:
        new.skip_lot_active = True
        notes.append(
            f"skip-lot: {new.clean_lots} consecutive accepted lots; "
            f"inspecting 1 in {skip.inspect_one_in}"
        )


def _end_skip_lot(new: SwitchingState, why: str, notes: list[str]) -> None:
    if new.skip_lot_active:
        notes.append(f"skip-lot ended: {why}")
    new.skip_lot_active = False
    new.clean_lots = 0
    new.skipped_since_inspection = 0
