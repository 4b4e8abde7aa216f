"""Z1.4 switching rules: normal, tightened, reduced, discontinued; ISO 2859-1's switching score
as a configured option (Z1.4's own normal -> reduced rule: test_sampling_reduced.py)."""

from decimal import Decimal

import pytest

from canonical.sampling import (
    SamplingPolicy,
    Severity,
    SwitchingState,
    after_outcome,
    plan_for,
    resume_after_corrective_action,
)

RM200 = SamplingPolicy(aql="1.0", inspection_level="II")  # lot 1000 -> J: 80, Ac 2 Re 3
ISO = SamplingPolicy(aql="1.0", allow_reduced=True, reduced_rule="iso2859-1-switching-score")
LOT = 1000


def run(state: SwitchingState, outcomes: str, policy: SamplingPolicy = RM200) -> SwitchingState:
    """Plan and decide one lot per character: A accepted, R not accepted."""
    for outcome in outcomes:
        plan = plan_for(state, policy, LOT)
        state = after_outcome(state, policy, plan, outcome == "A")
    return state


def test_inspection_starts_normal() -> None:
    plan = plan_for(SwitchingState(), RM200, LOT)
    assert (plan.severity, plan.code_letter, plan.sample_size) == ("normal", "J", 80)
    assert (plan.accept_number, plan.reject_number, plan.skipped) == (2, 3, False)


def test_two_rejections_within_five_lots_tighten() -> None:
    state = run(SwitchingState(), "RAAA")
    assert state.severity is Severity.NORMAL
    state = run(state, "R")
    assert state.severity is Severity.TIGHTENED
    assert "2 of the last 5 lots not accepted" in state.last_change
    plan = plan_for(state, RM200, LOT)
    assert (plan.severity, plan.sample_size, plan.accept_number, plan.reject_number) == (
        "tightened",
        80,
        1,
        2,
    )


def test_two_consecutive_rejections_tighten_at_once() -> None:
    assert run(SwitchingState(), "RR").severity is Severity.TIGHTENED


def test_rejections_six_lots_apart_do_not_tighten() -> None:
    state = run(SwitchingState(), "RAAAAR")
    assert state.severity is Severity.NORMAL
    assert state.recent_outcomes == [True, True, True, True, False]


def test_five_accepted_on_tightened_restore_normal() -> None:
    tightened = run(SwitchingState(), "RR")
    assert run(tightened, "AAAA").severity is Severity.TIGHTENED
    assert run(tightened, "AAAARAAAA").severity is Severity.TIGHTENED  # the run restarts
    back = run(tightened, "AAAAA")
    assert back.severity is Severity.NORMAL
    assert back.switching_score == 0 and back.recent_outcomes == []
    assert "5 consecutive lots accepted" in back.last_change


def test_iso_option_switching_score_of_30_reduces_inspection() -> None:
    state = run(SwitchingState(), "A" * 9, ISO)  # Ac 2: +3 a lot
    assert (state.severity, state.switching_score) == (Severity.NORMAL, 27)
    state = run(state, "A", ISO)
    assert state.severity is Severity.REDUCED
    assert "normal -> reduced: switching score reached 30" in state.last_change
    plan = plan_for(state, RM200, LOT)
    assert (plan.severity, plan.sample_size, plan.accept_number, plan.reject_number) == (
        "reduced",
        32,
        1,
        3,
    )


def test_iso_option_switching_score_counts_two_for_acceptance_number_0_or_1() -> None:
    pk300 = ISO.model_copy(update={"aql": Decimal("0.65")})  # J at 0.65: 80, Ac 1 Re 2
    state = run(SwitchingState(), "A" * 14, pk300)
    assert (state.severity, state.switching_score) == (Severity.NORMAL, 28)
    assert run(state, "A", pk300).severity is Severity.REDUCED


def test_iso_option_switching_score_resets_when_the_tighter_aql_would_have_failed() -> None:
    state = SwitchingState(switching_score=27)
    plan = plan_for(state, ISO, LOT)  # Ac 2; one step tighter (0.65) the Ac is 1
    passed = after_outcome(state, ISO, plan, accepted=True, nonconforming=1)
    assert passed.severity is Severity.REDUCED
    failed = after_outcome(state, ISO, plan, accepted=True, nonconforming=2)
    assert (failed.severity, failed.switching_score) == (Severity.NORMAL, 0)


def test_iso_option_a_rejection_resets_the_switching_score() -> None:
    state = run(SwitchingState(), "AAAAR", ISO)
    assert (state.severity, state.switching_score) == (Severity.NORMAL, 0)


def test_iso_option_reduced_needs_steady_production_and_permission() -> None:
    unsteady = run(SwitchingState(production_steady=False), "A" * 12, ISO)
    assert unsteady.severity is Severity.NORMAL and unsteady.switching_score == 36
    strict = ISO.model_copy(update={"allow_reduced": False})
    assert run(SwitchingState(), "A" * 12, strict).severity is Severity.NORMAL


def test_a_rejection_on_reduced_restores_normal() -> None:
    reduced = SwitchingState(severity=Severity.REDUCED)
    assert run(reduced, "AAAA").severity is Severity.REDUCED
    back = run(reduced, "AAR")
    assert back.severity is Severity.NORMAL
    assert "reduced -> normal: a lot was not accepted" in back.last_change


def test_a_count_in_the_reduced_gap_accepts_but_restores_normal() -> None:
    reduced = SwitchingState(severity=Severity.REDUCED)
    plan = plan_for(reduced, RM200, LOT)  # 32, Ac 1 Re 3
    state = after_outcome(reduced, RM200, plan, accepted=True, nonconforming=2)
    assert state.severity is Severity.NORMAL
    assert "2 nonconforming exceeded Ac 1" in state.last_change
    within = after_outcome(reduced, RM200, plan, accepted=True, nonconforming=1)
    assert within.severity is Severity.REDUCED


def test_unsteady_production_ends_reduced() -> None:
    reduced = SwitchingState(severity=Severity.REDUCED, production_steady=False)
    assert run(reduced, "A").severity is Severity.NORMAL


def test_a_count_that_contradicts_the_decision_is_refused() -> None:
    plan = plan_for(SwitchingState(), RM200, LOT)
    with pytest.raises(ValueError, match="contradicts a lot reported accepted"):
        after_outcome(SwitchingState(), RM200, plan, accepted=True, nonconforming=3)
    with pytest.raises(ValueError, match="contradicts a lot reported not accepted"):
        after_outcome(SwitchingState(), RM200, plan, accepted=False, nonconforming=2)


def test_five_rejections_on_tightened_discontinue() -> None:
    tightened = run(SwitchingState(), "RR")
    state = run(tightened, "RARARR")  # cumulative: 4 not accepted, not consecutive
    assert (state.severity, state.rejected_on_tightened) == (Severity.TIGHTENED, 4)
    state = run(state, "R")
    assert state.severity is Severity.DISCONTINUED
    plan = plan_for(state, RM200, LOT)
    assert (plan.severity, plan.sample_size, plan.accept_number) == ("discontinued", LOT, 0)
    assert "inspection discontinued" in plan.reason and not plan.skipped
    # nothing a lot does moves it; only the supplier's corrective action does
    still = run(state, "AAAAAAAAAA")
    assert still.severity is Severity.DISCONTINUED
    assert (
        still.last_change
        == "tightened -> discontinued: 5 lots not accepted on tightened inspection"
    )
    resumed = resume_after_corrective_action(state)
    assert (resumed.severity, resumed.rejected_on_tightened) == (Severity.TIGHTENED, 0)
    with pytest.raises(ValueError, match="not discontinued"):
        resume_after_corrective_action(resumed)


def test_after_outcome_leaves_the_given_state_unchanged() -> None:
    state = SwitchingState()
    plan = plan_for(state, RM200, LOT)
    new = after_outcome(state, RM200, plan, accepted=False)
    assert state == SwitchingState() and new.lots == 1 and new.recent_outcomes == [False]


def test_state_round_trips_as_json() -> None:
    state = run(SwitchingState(), "RRAA")
    assert SwitchingState.model_validate_json(state.model_dump_json()) == state
    with pytest.raises(ValueError, match="skip is a plan"):
        SwitchingState(severity=Severity.SKIP)
