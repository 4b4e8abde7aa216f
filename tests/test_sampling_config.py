"""Sampling configuration: the demo agreements, layering, and refusals that name the field."""

from decimal import Decimal
from pathlib import Path

import pytest

from canonical.plant_config import ConfigError
from canonical.sampling import (
    DEFAULT_SAMPLING_CONFIG,
    SkipLotPolicy,
    load_sampling_config,
    parse_sampling_config,
)

DEFAULTS = {"aql": "1.0", "inspection_level": "II"}


def test_demo_values() -> None:
    config = load_sampling_config()
    rm200 = config.policy_for("17300001", "RM-200")
    assert (rm200.aql, rm200.inspection_level) == (Decimal("1.0"), "II")
    assert rm200.skip_lot == SkipLotPolicy(clean_lots=5, inspect_one_in=2)
    pk300 = config.policy_for("17300002", "PK-300")
    assert (pk300.aql, pk300.inspection_level, pk300.skip_lot) == (Decimal("0.65"), "II", None)
    assert config.policy_for("17300001", "PK-300").skip_lot is not None
    assert config.policy_for("unknown", "unknown").aql == Decimal("1.0")


def test_path_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "sampling.toml"
    path.write_text('[defaults]\naql = "2.5"\ninspection_level = "I"\n')
    monkeypatch.setenv("PLANTFLOW_SAMPLING_CONFIG", str(path))
    assert load_sampling_config().policy_for("x", "y").aql == Decimal("2.5")
    monkeypatch.delenv("PLANTFLOW_SAMPLING_CONFIG")
    assert load_sampling_config().policy_for("x", "PK-300").aql == Decimal("0.65")
    assert DEFAULT_SAMPLING_CONFIG.name == "sampling.toml"


def test_the_most_specific_layer_wins_field_by_field() -> None:
    config = parse_sampling_config(
        {
            "defaults": {**DEFAULTS, "skip_lot": {"clean_lots": 10, "inspect_one_in": 4}},
            "items": {"PK-300": {"aql": 0.65}},
            "suppliers": {"S1": {"inspection_level": "III"}, "S2": {"skip_lot": False}},
            "policies": [{"supplier": "S1", "item": "PK-300", "aql": "0.40"}],
        }
    )
    pair = config.policy_for("S1", "PK-300")
    assert (pair.aql, pair.inspection_level) == (Decimal("0.40"), "III")
    assert pair.skip_lot == SkipLotPolicy(clean_lots=10, inspect_one_in=4)
    supplier_only = config.policy_for("S1", "RM-200")
    assert (supplier_only.aql, supplier_only.inspection_level) == (Decimal("1.0"), "III")
    assert config.policy_for("S2", "PK-300").skip_lot is None
    assert config.policy_for("S3", "PK-300").aql == Decimal("0.65")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "defaults: Field required"),
        ({"defaults": {"aql": "1.2"}}, "defaults.aql: AQL 1.2 is not a Z1.4 AQL"),
        (
            {"defaults": DEFAULTS, "items": {"RM-200": {"inspection_level": "IV"}}},
            "items.RM-200.inspection_level: 'IV' is not one of",
        ),
        (
            {"defaults": DEFAULTS, "items": {"RM-200": {"aql": True}}},
            "items.RM-200.aql: must be a number",
        ),
        (
            {
                "defaults": DEFAULTS,
                "suppliers": {"17300001": {"skip_lot": {"clean_lots": 5, "inspect_one_in": 1}}},
            },
            "suppliers.17300001.skip_lot.inspect_one_in: Input should be greater than or equal",
        ),
        (
            {"defaults": DEFAULTS, "suppliers": {"17300001": {"skip_lot": True}}},
            "suppliers.17300001.skip_lot: use false, or a table",
        ),
        (
            {"defaults": DEFAULTS, "items": {"RM-200": {"level": "II"}}},
            "items.RM-200.level: Extra inputs are not permitted",
        ),
        (
            {"defaults": DEFAULTS, "policies": [{"item": "RM-200", "aql": "1.0"}]},
            "policies.0.supplier: Field required",
        ),
        (
            {
                "defaults": DEFAULTS,
                "policies": [{"supplier": "S1", "item": "X"}, {"supplier": "S1", "item": "X"}],
            },
            "policies.1: a second policy for supplier 'S1' and item 'X'",
        ),
    ],
)
def test_a_bad_configuration_is_refused_naming_the_field(data: dict, message: str) -> None:
    with pytest.raises(ConfigError, match="sampling.toml: ") as refused:
        parse_sampling_config(data, "sampling.toml")
    assert message in str(refused.value)


def test_unreadable_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_sampling_config(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[defaults\naql = 1.0\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_sampling_config(broken)


def test_the_reduced_rule_is_z14_unless_an_agreement_names_iso() -> None:
    demo = load_sampling_config()
    assert demo.policy_for("17300001", "RM-200").reduced_rule == "z1.4"
    assert demo.policy_for("17300001", "RM-200").allow_reduced  # approved for Acme only
    assert not demo.policy_for("17300002", "PK-300").allow_reduced
    config = parse_sampling_config(
        {
            "defaults": DEFAULTS,
            "suppliers": {"S1": {"reduced_rule": "iso2859-1-switching-score"}},
            "items": {"I1": {"allow_reduced": False}},
        }
    )
    assert config.policy_for("S1", "x").reduced_rule == "iso2859-1-switching-score"
    assert config.policy_for("S2", "x").reduced_rule == "z1.4"
    assert not config.policy_for("S2", "I1").allow_reduced
    with pytest.raises(ConfigError, match="suppliers.S1.reduced_rule"):
        parse_sampling_config({"defaults": DEFAULTS, "suppliers": {"S1": {"reduced_rule": "x"}}})
