"""Normal -> reduced as ANSI/ASQ Z1.4 8.3.3 has it (Table VIII), the ISO option, and lots too
small for their sample: 100 % inspection with Ac 0 / Re 1, down to a lot of one unit."""

from decimal import Decimal

import pytest

from canonical.sampling import (
    LotCount,
    SamplingPolicy,
    Severity,
    SwitchingState,
    after_outcome,
    limit_numbers_met,
    plan_for,
)

RM200 = SamplingPolicy(aql="1.0", allow_reduced=True)  # lot 1000 -> J: 80, Ac 2 Re 3
LOT = 1000  # 10 lots of n=80: 800 sample units -> Table VIII 800-1249 at AQL 1.0: limit 4


def accepted_lots(
    state: SwitchingState, counts: list[int], policy: SamplingPolicy = RM200
) -> SwitchingState:
    for found in counts:
        plan = plan_for(state, policy, LOT)
        state = after_outcome(state, policy, plan, accepted=True, nonconforming=found)
    return state


def test_ten_accepted_lots_within_the_limit_number_reduce_inspection() -> None:
    state = accepted_lots(SwitchingState(), [1, 0, 0, 1, 0, 0, 0, 1, 0])
    assert state.severity is Severity.NORMAL
    assert state.reduced_check == "9 of 10 consecutive lots accepted on normal inspection"
    state = accepted_lots(state, [1])  # 4 nonconforming in 800 units: limit 4
    assert state.severity is Severity.REDUCED
    assert state.last_change == (
        "normal -> reduced: 10 consecutive lots accepted on normal inspection, 4 nonconforming "
        "in 800 sample units <= limit number 4 (Table VIII, 800-1249, AQL 1.0)"
    )
    plan = plan_for(state, RM200, LOT)
    assert (plan.severity, plan.sample_size, plan.accept_number, plan.reject_number) == (
        "reduced",
        32,
        1,
        3,
    )
    assert state.switching_score == 0  # the ISO score plays no part


def test_ten_accepted_lots_over_the_limit_number_stay_normal() -> None:
    state = accepted_lots(SwitchingState(), [1, 1, 0, 0, 1, 0, 0, 1, 0, 1])  # 5 > 4
    assert state.severity is Severity.NORMAL
    assert "5 nonconforming in 800 sample units > limit number 4" in state.reduced_check
    # the window slides: once the oldest count leaves it, the last 10 qualify
    state = accepted_lots(state, [0])
    assert state.severity is Severity.REDUCED


def test_iso_score_alone_does_not_reduce_under_z14() -> None:
    # 1 nonconforming in each of 10 lots: 10 in 800 units is over limit number 4, while each
    # lot passes ISO's one-step-tighter Ac 1, so ISO's score reaches 30
    z14 = accepted_lots(SwitchingState(), [1] * 10)
    assert z14.severity is Severity.NORMAL
    iso = RM200.model_copy(update={"reduced_rule": "iso2859-1-switching-score"})
    assert accepted_lots(SwitchingState(), [1] * 10, iso).severity is Severity.REDUCED


def test_a_rejection_restarts_the_run_of_ten() -> None:
    state = accepted_lots(SwitchingState(), [0] * 9)
    plan = plan_for(state, RM200, LOT)
    state = after_outcome(state, RM200, plan, accepted=False, nonconforming=3)
    assert state.normal_run == [] and "starts again" in state.reduced_check
    state = accepted_lots(state, [0] * 9)
    assert state.severity is Severity.NORMAL
    assert accepted_lots(state, [0]).severity is Severity.REDUCED


def test_reduced_needs_steady_production_and_approval() -> None:
    unsteady = accepted_lots(SwitchingState(production_steady=False), [0] * 12)
    assert unsteady.severity is Severity.NORMAL
    assert unsteady.reduced_check.endswith("but production is not steady")
    not_approved = SamplingPolicy(aql="1.0", allow_reduced=False)
    state = accepted_lots(SwitchingState(), [0] * 12, not_approved)
    assert state.severity is Severity.NORMAL
    assert state.reduced_check.endswith("but reduced inspection is not approved")


def test_unknown_counts_block_the_limit_number_check() -> None:
    state = SwitchingState()
    for _ in range(12):
        plan = plan_for(state, RM200, LOT)
        state = after_outcome(state, RM200, plan, accepted=True)
    assert state.severity is Severity.NORMAL
    assert "unknown: Table VIII cannot be checked" in state.reduced_check


def test_more_than_ten_lots_when_ten_have_too_few_sample_units() -> None:
    small = [LotCount(sample_size=13, nonconforming=0)] * 10  # 130 units: "*" at AQL 1.0
    met, why = limit_numbers_met(small, RM200)
    assert not met and "too few for AQL 1.0 in Table VIII: more lots are needed" in why
    met, why = limit_numbers_met([LotCount(sample_size=13, nonconforming=0)] * 16, RM200)
    assert met and "16 consecutive lots" in why and "208 sample units" in why


@pytest.mark.parametrize(
    ("lot_size", "aql", "letter", "sample"),
    [
        (1, "10", "C", 1),  # A at AQL 10 -> arrow to C (n=5, 1/2): capped to the one unit
        (1, "1.0", "E", 1),
        (2, "6.5", "A", 2),  # n=2 equals the lot
        (2, "10", "C", 2),
        (10, "1.0", "E", 10),  # B -> arrow to E, n=13 > 10
        (40, "10", "D", 8),  # not capped: the table's own numbers stay
    ],
)
def test_lots_no_larger_than_their_sample_are_inspected_100_percent_with_ac_0(
    lot_size: int, aql: str, letter: str, sample: int
) -> None:
    plan = plan_for(SwitchingState(), SamplingPolicy(aql=aql), lot_size)
    assert (plan.code_letter, plan.sample_size) == (letter, sample)
    if sample == lot_size:
        assert (plan.accept_number, plan.reject_number) == (0, 1)
        assert f"inspect 100% ({lot_size} units), Ac 0, Re 1" in plan.reason
    else:
        assert (plan.accept_number, plan.reject_number) == (2, 3)


def test_a_one_unit_lot_at_aql_10_found_defective_is_rejected() -> None:
    policy = SamplingPolicy(aql="10")
    plan = plan_for(SwitchingState(), policy, 1)
    assert 1 >= plan.reject_number  # the defective unit reaches Re
    state = after_outcome(SwitchingState(), policy, plan, accepted=False, nonconforming=1)
    assert state.recent_outcomes == [False]
    with pytest.raises(ValueError, match="contradicts a lot reported accepted"):
        after_outcome(SwitchingState(), policy, plan, accepted=True, nonconforming=1)


def test_capped_plans_on_tightened_and_reduced_also_accept_none() -> None:
    tightened = plan_for(SwitchingState(severity=Severity.TIGHTENED), SamplingPolicy(aql="10"), 3)
    assert (tightened.code_letter, tightened.sample_size) == ("D", 3)  # n=8, 1/2 capped
    assert (tightened.accept_number, tightened.reject_number) == (0, 1)
    reduced = plan_for(SwitchingState(severity=Severity.REDUCED), SamplingPolicy(aql="10"), 2)
    assert (reduced.sample_size, reduced.accept_number, reduced.reject_number) == (2, 0, 1)
    fractional = plan_for(SwitchingState(), SamplingPolicy(aql="10"), Decimal("0.4"))
    assert (fractional.sample_size, fractional.accept_number) == (1, 0)
