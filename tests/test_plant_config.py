from datetime import timedelta
from decimal import Decimal

import pytest

from canonical.plant_config import (
    ADAPTER_KINDS,
    DEFAULT_CONFIG,
    ConfigError,
    from_canonical,
    load_settings,
    parse_settings,
    to_canonical,
)


def test_bundled_config_loads_and_maps_plants() -> None:
    settings = load_settings()
    assert settings.plant_by_erp_code("1010").plant_id == "P100"
    assert settings.plant_by_mes_site("RIVERSIDE").plant_id == "P200"
    p100 = settings.plant("P100")
    assert p100.mes_segment("0020") == "SEG-FILL"
    assert p100.erp_operation("SEG-PACK") == "0030"


def test_units_convert_both_ways() -> None:
    mes_units = load_settings().systems["mes-a"].units
    assert to_canonical(Decimal("2500"), "g", mes_units) == (Decimal("2.5000"), "KG")
    assert from_canonical(Decimal("2.5"), "KG", mes_units) == (Decimal("2500"), "g")
    assert to_canonical(Decimal("3"), "PC", mes_units) == (Decimal("3"), "EA")


def test_unknown_unit_and_operation_are_refused_with_a_hint() -> None:
    settings = load_settings()
    with pytest.raises(ConfigError, match="no unit conversion for system unit 'LB'"):
        to_canonical(Decimal(1), "LB", settings.erp.units)
    with pytest.raises(ConfigError, match=r"add it under \[plants.P100.operation_codes\]"):
        settings.plant("P100").mes_segment("0099")
    with pytest.raises(ConfigError, match="unknown plant 'P999'"):
        settings.plant("P999")


def _raw() -> dict:
    return load_settings().model_dump(mode="json")


def test_plant_referring_to_missing_system_is_refused() -> None:
    data = _raw()
    data["plants"]["P100"]["mes"] = "mes-z"
    with pytest.raises(ConfigError, match="plants.P100.mes: system 'mes-z' is not defined"):
        parse_settings(data)


def test_bad_field_is_named() -> None:
    data = _raw()
    data["plants"]["P100"]["erp_plant"] = "10"
    with pytest.raises(ConfigError, match=r"plants\.P100\.erp_plant"):
        parse_settings(data)
    data = _raw()
    data["systems"]["mes-a"]["units"][0]["factor"] = "-1"
    with pytest.raises(ConfigError, match=r"systems\.mes-a\.units\.0\.factor"):
        parse_settings(data)


def test_missing_and_malformed_files_say_so(tmp_path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[erp\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(bad)


def test_outage_budgets_per_system_fall_back_to_the_default() -> None:
    raw = _raw()
    raw["outage_budget"] = "PT12H"
    raw["systems"]["qms-central"]["outage_budget"] = "P2D"
    budgets = parse_settings(raw).outage_budgets("P100")
    assert budgets["erp"] == timedelta(hours=24)  # set on [erp] in the bundled file
    assert budgets["qms"] == timedelta(days=2)
    assert budgets["mes"] == budgets["lims"] == budgets["supplier-portal"] == timedelta(hours=12)


@pytest.mark.parametrize("value", ["PT0S", "-PT1H", "soon"])
def test_a_wrong_outage_budget_is_refused_at_load(value: str) -> None:
    raw = _raw()
    raw["erp"]["outage_budget"] = value
    with pytest.raises(ConfigError, match="erp.outage_budget"):
        parse_settings(raw)


def _file_with(tmp_path, old: str, new: str):
    """The bundled plant file with one change, as a plant engineer would edit it."""
    text = DEFAULT_CONFIG.read_text()
    assert old in text
    path = tmp_path / "plants.toml"
    path.write_text(text.replace(old, new, 1))
    return path


def test_an_unknown_adapter_kind_is_refused_with_file_key_and_allowed_kinds(tmp_path) -> None:
    path = _file_with(tmp_path, 'kind = "reference-mes"', 'kind = "siemens-opcenter"')
    with pytest.raises(ConfigError) as refused:
        load_settings(path)
    assert str(refused.value) == (
        f"{path}: systems.mes-a.kind: unknown adapter kind 'siemens-opcenter'; "
        "allowed: reference-lims, reference-mes, reference-qms"
    )
    path = _file_with(tmp_path, 'kind = "sap-odata"', 'kind = "sap-rfc"')
    refusal = "erp.kind: unknown adapter kind 'sap-rfc'; allowed: sap-odata"
    with pytest.raises(ConfigError, match=refusal):
        load_settings(path)


def test_a_plant_pointing_at_a_system_of_another_role_is_refused(tmp_path) -> None:
    path = _file_with(tmp_path, 'mes = "mes-a"', 'mes = "qms-central"')
    with pytest.raises(ConfigError) as refused:
        load_settings(path)
    assert str(refused.value) == (
        f"{path}: plants.P100.mes: system 'qms-central' is of kind 'reference-qms', which is not "
        "a MES; allowed: reference-mes"
    )


def test_a_plant_pointing_at_a_missing_system_names_the_defined_ones(tmp_path) -> None:
    path = _file_with(tmp_path, 'lims = "lims-central"', 'lims = "lims-north"')
    with pytest.raises(ConfigError) as refused:
        load_settings(path)
    assert str(refused.value) == (
        f"{path}: plants.P100.lims: system 'lims-north' is not defined under [systems]; "
        "defined: lims-central, mes-a, qms-central"
    )


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        (
            'outage_budget = "PT24H"\n\n[erp]',
            'outage_budget = "24 hours"\n\n[erp]',
            "outage_budget",
        ),
        (
            'disposition_deadline = "PT8H"',
            'disposition_deadline = "8h"',
            "plants.P100.timeouts.disposition_deadline",
        ),
    ],
)
def test_an_unparseable_duration_is_refused_with_the_format_to_write(
    tmp_path, old: str, new: str, key: str
) -> None:
    path = _file_with(tmp_path, old, new)
    value = new.split('"')[1]
    with pytest.raises(ConfigError) as refused:
        load_settings(path)
    assert str(refused.value) == (
        f"{path}: {key}: not a duration: {value!r}; write an ISO 8601 duration such as "
        "'PT30M', 'PT24H' or 'P2D'"
    )


def test_the_registry_serves_exactly_the_kinds_the_configuration_allows() -> None:
    from adapters import registry

    assert tuple(registry.ERP_KINDS) == ADAPTER_KINDS["erp"]
    assert tuple(registry.MES_KINDS) == ADAPTER_KINDS["mes"]
    assert tuple(registry.QMS_KINDS) == ADAPTER_KINDS["qms"]
    assert tuple(registry.LIMS_KINDS) == ADAPTER_KINDS["lims"]
    assert tuple(registry.PORTAL_KINDS) == ADAPTER_KINDS["supplier_portal"]
