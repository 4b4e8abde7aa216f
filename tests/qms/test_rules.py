"""The QMS's rules as plain functions: no server needed."""

from decimal import Decimal

import pytest

from refsystems.qms.errors import QmsError
from refsystems.qms.rules import (
    ensure_disposition_allowed,
    ensure_open_for_results,
    result_unit,
    status_after_result,
    usage_quantities,
    valuate,
)

LOW, HIGH = Decimal("49.0"), Decimal("51.5")


@pytest.mark.parametrize(
    ("value", "valuation"),
    [("49.0", "A"), ("51.5", "A"), ("50", "A"), ("48.99", "R"), ("51.51", "R")],
)
def test_limits_are_inclusive(value: str, valuation: str) -> None:
    assert valuate(Decimal(value), LOW, HIGH) == valuation


def test_one_sided_limits() -> None:
    assert valuate(Decimal("-5"), None, HIGH) == "A"
    assert valuate(Decimal("99"), LOW, None) == "A"
    assert valuate(Decimal("1"), LOW, None) == "R"


def test_result_unit_defaults_to_the_characteristic_and_refuses_another() -> None:
    assert result_unit("", "g", "FILL_WT") == "g"
    with pytest.raises(QmsError) as refused:
        result_unit("KG", "g", "FILL_WT")
    assert refused.value.code == "UnitMismatch"


def test_lot_status_is_rrec_once_every_characteristic_has_a_result() -> None:
    assert status_after_result({"VISC", "FILL_WT"}, {"VISC"}) == "INSP"
    assert status_after_result({"VISC", "FILL_WT"}, {"VISC", "FILL_WT"}) == "RREC"


@pytest.mark.parametrize(
    ("status", "signer", "role", "code"),
    [
        ("NOCO", "qa.lee", "QA-MGR", "NotificationClosed"),
        ("OSNO", "op.nguyen", "QA-ENG", "SegregationOfDuties"),
        ("OSNO", "sup.king", "PROD-SUP", "NotAuthorized"),
    ],
)
def test_disposition_refusals(status: str, signer: str, role: str, code: str) -> None:
    with pytest.raises(QmsError) as refused:
        ensure_disposition_allowed("QN1", status, "op.nguyen", signer, role)
    assert refused.value.code == code


def test_usage_quantities_default_to_the_whole_lot() -> None:
    lot = Decimal(1000)
    assert usage_quantities("A", lot, None, None) == (lot, 0)
    assert usage_quantities("R", lot, Decimal(0), Decimal(0)) == (0, lot)
    assert usage_quantities("A", lot, Decimal(990), Decimal(10)) == (990, 10)


def test_receipt_lot_quantities_may_split_but_not_exceed_the_lot() -> None:
    lot = Decimal(10000)
    assert usage_quantities("R", lot, Decimal(9800), Decimal(200), "01") == (9800, 200)
    assert usage_quantities("A", lot, Decimal(9000), None, "01") == (9000, 0)
    with pytest.raises(QmsError) as refused:
        usage_quantities("A", lot, Decimal(9000), Decimal("1000.5"), "01")
    assert refused.value.code == "QuantityExceeded"
    assert usage_quantities("A", lot, Decimal(10200), None, "03") == (10200, 0)


def test_results_refused_on_decided_cancelled_and_skip_lots() -> None:
    ensure_open_for_results("890000000001", "INSP")
    for status, skip, code in [
        ("UD", True, "LotDecided"),
        ("LTCA", False, "LotCancelled"),
        ("CRTD", True, "LotSkipped"),
    ]:
        with pytest.raises(QmsError) as refused:
            ensure_open_for_results("890000000001", status, skip)
        assert refused.value.code == code
