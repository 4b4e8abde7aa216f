"""Skip-lot: a clean supplier is inspected 1 lot in k; any lot not accepted ends it."""

from canonical.sampling import (
    SamplingPolicy,
    Severity,
    SkipLotPolicy,
    SwitchingState,
    after_outcome,
    load_sampling_config,
    plan_for,
)

LOT = 1000
CONFIG = load_sampling_config()
CLEAN_SUPPLIER = CONFIG.policy_for("17300001", "RM-200")  # skip after 5 clean lots, 1 in 2


def run(state: SwitchingState, outcomes: str, policy: SamplingPolicy) -> SwitchingState:
    """One lot per character: A accepted, R not accepted (inspected or skipped alike)."""
    for outcome in outcomes:
        plan = plan_for(state, policy, LOT)
        state = after_outcome(state, policy, plan, outcome == "A")
    return state


def test_five_clean_lots_start_skip_lot_one_in_two() -> None:
    state = run(SwitchingState(), "AAAA", CLEAN_SUPPLIER)
    assert not state.skip_lot_active and not plan_for(state, CLEAN_SUPPLIER, LOT).skipped
    state = run(state, "A", CLEAN_SUPPLIER)
    assert state.skip_lot_active
    assert state.last_change == "skip-lot: 5 consecutive accepted lots; inspecting 1 in 2"

    skipped = plan_for(state, CLEAN_SUPPLIER, LOT)
    assert (skipped.skipped, skipped.severity, skipped.sample_size) == (True, "skip", 0)
    assert skipped.reason == "skip-lot: 5 consecutive accepted lots; inspecting 1 in 2"

    state = after_outcome(state, CLEAN_SUPPLIER, skipped, accepted=True)
    inspected = plan_for(state, CLEAN_SUPPLIER, LOT)
    assert (inspected.skipped, inspected.severity, inspected.sample_size) == (False, "normal", 80)
    assert "skip-lot: this is the 1 lot in 2 inspected" in inspected.reason

    state = after_outcome(state, CLEAN_SUPPLIER, inspected, accepted=True)
    again = plan_for(state, CLEAN_SUPPLIER, LOT)
    assert again.skipped and again.reason.startswith("skip-lot: 7 consecutive accepted lots")


def test_one_in_three_skips_two_lots_between_inspections() -> None:
    policy = SamplingPolicy(aql="1.0", skip_lot=SkipLotPolicy(clean_lots=3, inspect_one_in=3))
    state = run(SwitchingState(), "AAA", policy)
    pattern = ""
    for _ in range(6):
        plan = plan_for(state, policy, LOT)
        pattern += "s" if plan.skipped else "i"
        state = after_outcome(state, policy, plan, accepted=True)
    assert pattern == "ssissi"


def test_a_skipped_lot_does_not_move_the_switching_rules() -> None:
    state = run(SwitchingState(), "AAAAA", CLEAN_SUPPLIER)
    plan = plan_for(state, CLEAN_SUPPLIER, LOT)
    after = after_outcome(state, CLEAN_SUPPLIER, plan, accepted=True)
    assert plan.skipped
    assert (after.severity, after.switching_score, after.recent_outcomes) == (
        state.severity,
        state.switching_score,
        state.recent_outcomes,
    )
    assert after.clean_lots == state.clean_lots + 1


def test_a_rejected_inspected_lot_ends_skip_lot() -> None:
    state = run(SwitchingState(), "AAAAA" + "A", CLEAN_SUPPLIER)  # qualified, one lot skipped
    plan = plan_for(state, CLEAN_SUPPLIER, LOT)
    assert not plan.skipped
    state = after_outcome(state, CLEAN_SUPPLIER, plan, accepted=False)
    assert (state.skip_lot_active, state.clean_lots) == (False, 0)
    assert "skip-lot ended" in state.last_change
    assert not plan_for(state, CLEAN_SUPPLIER, LOT).skipped
    assert run(state, "AAAA", CLEAN_SUPPLIER).skip_lot_active is False  # needs 5 again
    assert run(state, "AAAAA", CLEAN_SUPPLIER).skip_lot_active is True


def test_a_skipped_lot_found_bad_ends_skip_lot_without_tightening() -> None:
    state = run(SwitchingState(), "AAAAA", CLEAN_SUPPLIER)
    plan = plan_for(state, CLEAN_SUPPLIER, LOT)
    after = after_outcome(state, CLEAN_SUPPLIER, plan, accepted=False)
    assert plan.skipped and not after.skip_lot_active and after.clean_lots == 0
    assert after.severity is Severity.NORMAL and after.recent_outcomes == state.recent_outcomes


def test_supplier_without_skip_lot_is_always_inspected() -> None:
    policy = CONFIG.policy_for("17300002", "RM-200")
    state = SwitchingState()
    for _ in range(12):
        plan = plan_for(state, policy, LOT)
        assert not plan.skipped
        state = after_outcome(state, policy, plan, accepted=True)
    assert state.clean_lots == 12 and not state.skip_lot_active


def test_lots_on_tightened_do_not_count_towards_skip_lot() -> None:
    tightened = run(SwitchingState(), "RR", CLEAN_SUPPLIER)
    state = run(tightened, "AAAAA", CLEAN_SUPPLIER)  # back to normal, but those were tightened
    assert (state.severity, state.clean_lots, state.skip_lot_active) == (
        Severity.NORMAL,
        0,
        False,
    )
    assert run(state, "AAAAA", CLEAN_SUPPLIER).skip_lot_active


def test_skip_lot_on_reduced_inspects_on_the_reduced_plan() -> None:
    reduced = SwitchingState(severity=Severity.REDUCED)
    state = run(reduced, "AAAAAA", CLEAN_SUPPLIER)  # 5 qualify, the 6th is skipped
    plan = plan_for(state, CLEAN_SUPPLIER, LOT)
    assert (plan.severity, plan.sample_size, plan.skipped) == ("reduced", 32, False)
