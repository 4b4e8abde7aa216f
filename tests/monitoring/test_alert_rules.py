"""Alert configuration is checked at load (an error names the field), and each rule fires on
the backlog figures it names: past its limit, never at or below it."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from canonical.plant_config import ConfigError, load_settings
from monitoring.alert_rules import PlantRules, evaluate, load_alerts_config
from monitoring.backlog import Failures, PlantBacklog
from monitoring.visibility import Figure
from workflows.alerts_messages import Rule

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def figure(count: int, age: timedelta | None = None) -> Figure:
    since = NOW - age if age is not None else None
    return Figure(count=count, oldest_since=since)


def backlog(**figures: Figure) -> PlantBacklog:
    empty = Figure()
    base = {
        name: figures.get(name, empty)
        for name in (
            "orders_not_dispatched",
            "lots_on_hold",
            "dispositions_overdue",
            "steps_parked",
            "receipts_awaiting_inspection",
            "releases_pending_checkpoints",
        )
    }
    waiting = {
        k.removeprefix("waiting_"): v for k, v in figures.items() if k.startswith("waiting_")
    }
    return PlantBacklog(
        plant="P100", as_of=NOW, waiting_on=waiting, failures_24h=Failures(), **base
    )


def test_the_bundled_rules_load_against_the_bundled_plants() -> None:
    config = load_alerts_config(settings=load_settings())
    assert set(config.plants) == {"P100", "P200"}
    assert config.plants["P100"].hold_older_than == timedelta(hours=4)
    assert not config.delivery.webhook and not config.delivery.email


def test_bad_configuration_is_refused_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "alerts.toml"
    path.write_text('[plants.P100]\nhold_older_than = "four hours"\n')
    with pytest.raises(ConfigError, match=r"plants\.P100\.hold_older_than"):
        load_alerts_config(path)
    path.write_text('[plants.P100]\nhold_older = "PT4H"\n')
    with pytest.raises(ConfigError, match=r"plants\.P100\.hold_older"):
        load_alerts_config(path)
    path.write_text('[plants.P999]\nhold_older_than = "PT4H"\n')
    with pytest.raises(ConfigError, match="P999"):
        load_alerts_config(path, settings=load_settings())


def test_secrets_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "alerts.toml"
    path.write_text(
        '[delivery]\nsmtp_host = "mail.plant.example"\nmail_to = ["qa@plant.example"]\n'
    )
    monkeypatch.setenv("PLANTFLOW_ALERT_WEBHOOK_URL", "https://hooks.example/T0/B0/x")
    monkeypatch.setenv("PLANTFLOW_SMTP_PASSWORD", "s3cret")
    delivery = load_alerts_config(path).delivery
    assert delivery.webhook and delivery.email
    assert delivery.smtp_password.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(delivery) and "hooks.example" not in repr(delivery)


def test_each_rule_fires_only_past_its_limit() -> None:
    rules = PlantRules(
        hold_older_than=timedelta(hours=4),
        disposition_overdue=True,
        not_dispatched_after=timedelta(minutes=30),
        parked_older_than=timedelta(hours=1),
        backlog_above=2,
        backlog_older_than=timedelta(minutes=30),
    )
    at_limits = backlog(
        lots_on_hold=figure(3, timedelta(hours=4)),
        orders_not_dispatched=figure(1, timedelta(minutes=30)),
        steps_parked=figure(1, timedelta(hours=1)),
        waiting_ERP=figure(2, timedelta(minutes=30)),
    )
    assert evaluate(at_limits, rules, NOW) == []
    past = backlog(
        lots_on_hold=figure(3, timedelta(hours=5)),
        dispositions_overdue=figure(1, timedelta(hours=9)),
        orders_not_dispatched=figure(1, timedelta(minutes=31)),
        steps_parked=figure(1, timedelta(hours=2)),
        waiting_ERP=figure(3, timedelta(minutes=45)),
        waiting_MES=figure(1, timedelta(minutes=5)),
    )
    found = {f.key: f for f in evaluate(past, rules, NOW)}
    assert set(found) == {
        "P100:hold_older_than",
        "P100:disposition_overdue",
        "P100:not_dispatched_after",
        "P100:parked_older_than",
        "P100:backlog_above:ERP",
        "P100:backlog_older_than:ERP",
    }
    hold = found["P100:hold_older_than"]
    assert hold.rule is Rule.HOLD_OLDER_THAN and hold.count == 3
    assert hold.message == "plant P100: 3 lot(s) on hold, the oldest for 5h (limit 4h)"
    assert evaluate(past, PlantRules(), NOW) == []  # every rule off
