"""Z1.4 tables: Table I code letters, worked examples, arrows, 100% inspection, refusals.

The named cases are the brief's (lot 1000, level II, AQL 1.0) and the worked examples of the
AQL Inspector's Rule manual; test_sampling_published.py checks every cell.
"""

from decimal import Decimal

import pytest

from canonical.sampling import (
    SamplingPolicy,
    Severity,
    SwitchingState,
    code_letter,
    plan_for,
    single_plan,
    standard_aql,
)
from canonical.sampling.tables import tighter_accept_number


@pytest.mark.parametrize(
    ("lot_size", "level", "letter"),
    [
        (1000, "II", "J"),
        (1000, "I", "G"),
        (1000, "III", "K"),
        (1000, "S-1", "C"),
        (1000, "S-4", "F"),
        (2, "II", "A"),
        (8, "III", "B"),
        (500, "II", "H"),
        (501, "II", "J"),
        (1200, "II", "J"),
        (1201, "II", "K"),
        (10000, "II", "L"),
        (10001, "II", "M"),
        (500000, "II", "P"),
        (500001, "II", "Q"),
        (2_000_000, "III", "R"),
    ],
)
def test_code_letters_follow_table_i(lot_size: int, level: str, letter: str) -> None:
    assert code_letter(lot_size, level) == letter


def test_lot_1000_level_ii_aql_1_on_each_table() -> None:
    assert single_plan("J", "1.0", Severity.NORMAL)[:4] == ("J", 80, 2, 3)
    assert single_plan("J", "1.0", Severity.TIGHTENED)[:4] == ("J", 80, 1, 2)
    assert single_plan("J", "1.0", Severity.REDUCED)[:4] == ("J", 32, 1, 3)


def test_published_worked_examples() -> None:
    # AQL Inspector's Rule manual, example 1: lot 1000, level II, AQL 1.5, normal.
    assert single_plan(code_letter(1000, "II"), "1.5", "normal")[:4] == ("J", 80, 3, 4)
    # Example 2: lot 20, level I, AQL 1.5: B -> arrow -> C -> arrow -> D, n=8, 0/1.
    plan = single_plan(code_letter(20, "I"), "1.5", "normal")
    assert (plan.looked_up, plan.code_letter, plan.sample_size, plan.accept_number) == (
        "B",
        "D",
        8,
        0,
    )
    # Example 3 (ANSI version): reduced, lot 125, level III, AQL 1.0: G -> H, n=20, 0/2.
    assert single_plan(code_letter(125, "III"), "1.0", "reduced")[:4] == ("H", 20, 0, 2)
    # Notes: letter A at AQL 10 uses letter C on normal and reduced, D on tightened.
    assert single_plan("A", "10", "normal").code_letter == "C"
    assert single_plan("A", "10", "reduced").code_letter == "C"
    assert single_plan("A", "10", "tightened")[:4] == ("D", 8, 1, 2)


def test_arrows_change_the_sample_size_both_ways() -> None:
    down = single_plan("H", "0.65", "normal")  # arrow down to J's 1/2
    assert (down.code_letter, down.sample_size, down.accept_number) == ("J", 80, 1)
    up = single_plan("J", "0.25", "normal")  # arrow up to H's 0/1
    assert (up.code_letter, up.sample_size, up.accept_number) == ("H", 50, 0)
    beyond = single_plan("R", "10", "normal")  # bottom right: arrow up to K's 21/22
    assert beyond[:4] == ("K", 125, 21, 22)


def test_small_lots_are_inspected_completely() -> None:
    policy = SamplingPolicy(aql=Decimal("1.0"), inspection_level="II")
    plan = plan_for(SwitchingState(), policy, 10)  # B -> arrow to E, n=13 > 10
    assert (plan.code_letter, plan.sample_size, plan.accept_number) == ("E", 10, 0)
    assert "inspect 100%" in plan.reason
    exact = plan_for(SwitchingState(), SamplingPolicy(aql="6.5"), 2)  # A, n=2 = lot
    assert exact.sample_size == 2 and "inspect 100%" in exact.reason
    assert "100%" not in plan_for(SwitchingState(), policy, 1000).reason


def test_decimal_lot_sizes_round_up_to_whole_units() -> None:
    plan = plan_for(SwitchingState(), SamplingPolicy(aql="1.0"), Decimal("8.2"))
    assert plan.sample_size == 9  # B -> E n=13 > 9 units: all of them


@pytest.mark.parametrize("aql", ["1", "1.00", 1, 1.0, Decimal("1.0")])
def test_equal_aqls_are_the_same_column(aql: object) -> None:
    assert standard_aql(aql) == Decimal("1.0")  # type: ignore[arg-type]


def test_refusals_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="not a Z1.4 AQL"):
        single_plan("J", "1.2", "normal")
    with pytest.raises(ValueError, match="code letter"):
        single_plan("I", "1.0", "normal")
    with pytest.raises(ValueError, match="no Z1.4 table"):
        single_plan("J", "1.0", "skip")
    with pytest.raises(ValueError, match="inspection level"):
        code_letter(100, "IV")
    with pytest.raises(ValueError, match="at least 1"):
        code_letter(0)


def test_tighter_accept_number_steps_back_along_the_row() -> None:
    assert [tighter_accept_number(ac) for ac in (1, 2, 3, 5, 7, 10, 14, 21)] == [
        0,
        1,
        2,
        3,
        5,
        7,
        10,
        14,
    ]
    assert single_plan("J", "0.65", "normal").accept_number == tighter_accept_number(2)
