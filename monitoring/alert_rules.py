"""SLA alert rules per plant (config/alerts.toml) and their evaluation over a plant's backlog.

``PLANTFLOW_ALERTS_CONFIG`` names another file; ``PLANTFLOW_ALERT_WEBHOOK_URL`` and
``PLANTFLOW_SMTP_PASSWORD`` carry the secrets. Validated at load: an error names the field.
"""

import os
import tomllib
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from canonical.plant_config import ConfigError, Settings
from monitoring.backlog import PlantBacklog
from monitoring.visibility import Figure
from workflows.alerts_messages import Finding, Rule
from workflows.outages import human

DEFAULT_ALERTS_CONFIG = Path(__file__).resolve().parent.parent / "config" / "alerts.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlantRules(_Strict):
    hold_older_than: timedelta | None = None
    disposition_overdue: bool = False
    not_dispatched_after: timedelta | None = None
    parked_older_than: timedelta | None = None
    backlog_above: int | None = Field(default=None, ge=0)
    backlog_older_than: timedelta | None = None


class Delivery(_Strict):
    webhook_url: SecretStr = SecretStr("")
    smtp_host: str = ""
    smtp_port: int = Field(default=25, gt=0, lt=65536)
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    mail_from: str = "plantflow@localhost"
    mail_to: list[str] = Field(default_factory=list)
    timeout_seconds: float = Field(default=10, gt=0)

    @property
    def webhook(self) -> bool:
        return bool(self.webhook_url.get_secret_value())

    @property
    def email(self) -> bool:
        return bool(self.smtp_host and self.mail_to)


class AlertsConfig(_Strict):
    check_interval: timedelta = Field(default=timedelta(minutes=1), gt=timedelta(seconds=0))
    delivery: Delivery = Delivery()
    plants: dict[str, PlantRules] = Field(default_factory=dict)

    def check_plants(self, settings: Settings) -> None:
        unknown = sorted(set(self.plants) - set(settings.plants))
        if unknown:
            raise ConfigError(f"alert rules for plants not in the plant configuration: {unknown}")


def parse_alerts_config(data: dict, source: str = "<alerts>") -> AlertsConfig:
    delivery = dict(data.get("delivery") or {})
    for field, variable in (
        ("webhook_url", "PLANTFLOW_ALERT_WEBHOOK_URL"),
        ("smtp_password", "PLANTFLOW_SMTP_PASSWORD"),
    ):
        if os.environ.get(variable):
            delivery[field] = os.environ[variable]
    try:
        return AlertsConfig.model_validate({**data, "delivery": delivery})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"{source}: {problems}") from None


def load_alerts_config(
    path: str | Path | None = None, settings: Settings | None = None
) -> AlertsConfig:
    path = Path(path or os.environ.get("PLANTFLOW_ALERTS_CONFIG") or DEFAULT_ALERTS_CONFIG)
    try:
        config = parse_alerts_config(tomllib.loads(path.read_text()), str(path))
    except FileNotFoundError:
        raise ConfigError(f"alerts configuration {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if settings is not None:
        config.check_plants(settings)
    return config


def _age(figure: Figure, now: datetime) -> timedelta | None:
    return now - figure.oldest_since if figure.oldest_since is not None else None


def _older(figure: Figure, limit: timedelta | None, now: datetime) -> timedelta | None:
    age = _age(figure, now)
    return age if limit is not None and figure.count and age is not None and age > limit else None


def _finding(
    backlog: PlantBacklog, rule: Rule, figure: Figure, message: str, system: str | None = None
) -> Finding:
    key = f"{backlog.plant}:{rule.value}" + (f":{system}" if system else "")
    return Finding(
        key=key,
        plant=backlog.plant,
        rule=rule,
        system=system,
        message=f"plant {backlog.plant}: {message}",
        count=figure.count,
        oldest_since=figure.oldest_since,
    )


def evaluate(backlog: PlantBacklog, rules: PlantRules, now: datetime) -> list[Finding]:
    """The rules whose condition holds in this backlog, measured against ``now``."""
    found: list[Finding] = []
    if age := _older(backlog.lots_on_hold, rules.hold_older_than, now):
        limit = human(rules.hold_older_than or timedelta())
        found.append(
            _finding(
                backlog,
                Rule.HOLD_OLDER_THAN,
                backlog.lots_on_hold,
                f"{backlog.lots_on_hold.count} lot(s) on hold, the oldest for {human(age)} "
                f"(limit {limit})",
            )
        )
    if rules.disposition_overdue and backlog.dispositions_overdue.count:
        found.append(
            _finding(
                backlog,
                Rule.DISPOSITION_OVERDUE,
                backlog.dispositions_overdue,
                f"{backlog.dispositions_overdue.count} disposition(s) overdue",
            )
        )
    if age := _older(backlog.orders_not_dispatched, rules.not_dispatched_after, now):
        limit = human(rules.not_dispatched_after or timedelta())
        found.append(
            _finding(
                backlog,
                Rule.NOT_DISPATCHED_AFTER,
                backlog.orders_not_dispatched,
                f"{backlog.orders_not_dispatched.count} order(s) released but not dispatched "
                f"to MES, the oldest for {human(age)} (limit {limit})",
            )
        )
    if age := _older(backlog.steps_parked, rules.parked_older_than, now):
        systems = ", ".join(backlog.parked_by_system) or "?"
        limit = human(rules.parked_older_than or timedelta())
        found.append(
            _finding(
                backlog,
                Rule.PARKED_OLDER_THAN,
                backlog.steps_parked,
                f"{backlog.steps_parked.count} saga(s) with a step parked for an operator "
                f"({systems}), the oldest for {human(age)} (limit {limit})",
            )
        )
    for system, figure in backlog.waiting_on.items():
        if rules.backlog_above is not None and figure.count > rules.backlog_above:
            found.append(
                _finding(
                    backlog,
                    Rule.BACKLOG_ABOVE,
                    figure,
                    f"{figure.count} saga(s) waiting on {system} (limit {rules.backlog_above})",
                    system,
                )
            )
        if age := _older(figure, rules.backlog_older_than, now):
            limit = human(rules.backlog_older_than or timedelta())
            found.append(
                _finding(
                    backlog,
                    Rule.BACKLOG_OLDER_THAN,
                    figure,
                    f"{figure.count} saga(s) waiting on {system}, the oldest for {human(age)} "
                    f"(limit {limit})",
                    system,
                )
            )
    return found
