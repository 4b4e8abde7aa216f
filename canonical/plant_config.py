"""Plant configuration: cross-reference tables that make adding a plant a data change.

Loaded from a TOML file (``config/plants.toml`` by default, ``PLANTFLOW_CONFIG`` to
override) and validated at load, so a wrong mapping is refused before any saga starts.
"""

import os
import re
import tomllib
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationError,
    field_validator,
    model_validator,
)

from canonical.enums import Role
from canonical.identifiers import PlantId

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config" / "plants.toml"

# The adapter kinds each role can name. adapters/registry.py holds one adapter per kind (a
# test keeps the two in step); listed here so a plant file is checked when it is loaded.
ADAPTER_KINDS: dict[str, tuple[str, ...]] = {
    "erp": ("sap-odata",),
    "mes": ("reference-mes",),
    "qms": ("reference-qms",),
    "lims": ("reference-lims",),
    "supplier_portal": ("reference-supplier-portal",),
}
SYSTEM_ROLES = ("mes", "qms", "lims")  # the roles a plant assigns from [systems]
DURATION_HINT = "an ISO 8601 duration such as 'PT30M', 'PT24H' or 'P2D'"


class ConfigError(ValueError):
    """The plant configuration is invalid; the message says where and what to fix."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnitConversion(_Strict):
    """``1 <system unit> = factor <canonical unit>``."""

    system_unit: str
    canonical_unit: str
    factor: Decimal = Field(gt=0)


DEFAULT_OUTAGE_BUDGET = timedelta(hours=24)


def _budget_field() -> Any:
    return Field(
        default=None,
        gt=timedelta(0),
        description="How long a saga waits out this system's outage before parking the step "
        "(ISO 8601, e.g. 'PT24H'); the top-level outage_budget when not set",
    )


class SystemEndpoint(_Strict):
    kind: str = Field(description="Adapter that speaks this system's dialect, e.g. 'reference-mes'")
    base_url: HttpUrl
    units: list[UnitConversion] = Field(default_factory=list)
    outage_budget: timedelta | None = _budget_field()


class Person(_Strict):
    user_id: str
    name: str
    roles: list[Role]


class SagaTimeouts(_Strict):
    mes_acknowledgement: timedelta = timedelta(minutes=30)
    disposition_deadline: timedelta = timedelta(hours=24)
    inspection_deadline: timedelta = Field(
        default=timedelta(hours=48),
        description="Receipt inspection: results and decision due this long after receipt",
    )


class Limits(_Strict):
    """Bounds on what a sender may ask for, checked before anything starts."""

    max_quantity: Decimal = Field(
        default=Decimal("1000000000"),
        gt=0,
        description="Largest quantity an event may carry, in its canonical unit",
    )
    max_body_bytes: int = Field(
        default=1_048_576, gt=0, description="Larger request bodies get 413 from the gateway"
    )


class PlantConfig(_Strict):
    plant_id: PlantId
    name: str
    erp_plant: str = Field(min_length=4, max_length=4, description="SAP ProductionPlant code")
    mes: str = Field(description="Key of the MES in [systems] that serves this plant")
    qms: str = Field(description="Key of the QMS in [systems] that serves this plant")
    lims: str | None = Field(default=None, description="Key of the LIMS in [systems], if any")
    mes_site: str
    qms_site: str
    lims_site: str | None = None
    lot_pattern: str = Field(
        default=r"^[A-Z0-9]{1,10}$", description="Regex every ERP batch must match"
    )
    operation_codes: dict[str, str] = Field(
        default_factory=dict, description="ERP operation number -> MES segment id"
    )
    people: list[Person] = Field(default_factory=list)
    timeouts: SagaTimeouts = SagaTimeouts()

    @field_validator("lot_pattern")
    @classmethod
    def _pattern_compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        return pattern

    def check_lot(self, lot_id: str) -> None:
        """A lot (ERP batch) number must match the plant's ``lot_pattern``."""
        if re.fullmatch(self.lot_pattern, lot_id) is None:
            raise ConfigError(
                f"lot {lot_id!r} does not match plant {self.plant_id}'s lot_pattern "
                f"{self.lot_pattern!r}"
            )

    def mes_segment(self, erp_operation: str) -> str:
        try:
            return self.operation_codes[erp_operation]
        except KeyError:
            raise ConfigError(
                f"plant {self.plant_id}: no MES segment for ERP operation {erp_operation!r}; "
                f"add it under [plants.{self.plant_id}.operation_codes]"
            ) from None

    def erp_operation(self, mes_segment: str) -> str:
        for erp_op, segment in self.operation_codes.items():
            if segment == mes_segment:
                return erp_op
        raise ConfigError(
            f"plant {self.plant_id}: MES segment {mes_segment!r} is not mapped to an ERP operation"
        )


class Erp(_Strict):
    base_url: HttpUrl
    kind: str = "sap-odata"
    units: list[UnitConversion] = Field(default_factory=list)
    repeatable_requests: bool = Field(
        default=True,
        description="The SAP Gateway runs repeatable requests (RequestID) once; false: "
        "the adapter finds an earlier posting by its document reference before posting",
    )
    outage_budget: timedelta | None = _budget_field()


class SupplierPortal(_Strict):
    base_url: HttpUrl
    kind: str = "reference-supplier-portal"
    outage_budget: timedelta | None = _budget_field()


class Settings(_Strict):
    outage_budget: timedelta = Field(
        default=DEFAULT_OUTAGE_BUDGET,
        gt=timedelta(0),
        description="Default outage budget of every system that sets none",
    )
    erp: Erp
    supplier_portal: SupplierPortal | None = None
    systems: dict[str, SystemEndpoint]
    plants: dict[str, PlantConfig]
    limits: Limits = Limits()

    @model_validator(mode="after")
    def _kinds_are_known(self) -> Self:
        _check_kind("erp.kind", self.erp.kind, ADAPTER_KINDS["erp"])
        if self.supplier_portal is not None:
            _check_kind(
                "supplier_portal.kind", self.supplier_portal.kind, ADAPTER_KINDS["supplier_portal"]
            )
        any_system = tuple(sorted(k for role in SYSTEM_ROLES for k in ADAPTER_KINDS[role]))
        for key, system in self.systems.items():
            _check_kind(f"systems.{key}.kind", system.kind, any_system)
        return self

    @model_validator(mode="after")
    def _references_resolve(self) -> Self:
        for key, plant in self.plants.items():
            if plant.plant_id != key:
                raise ValueError(f"plants.{key}: plant_id {plant.plant_id!r} must equal its key")
            for role in SYSTEM_ROLES:
                ref = getattr(plant, role)
                if ref is None:
                    continue
                if ref not in self.systems:
                    raise ValueError(
                        f"plants.{key}.{role}: system {ref!r} is not defined under [systems]; "
                        f"defined: {', '.join(sorted(self.systems))}"
                    )
                kind = self.systems[ref].kind
                if kind not in ADAPTER_KINDS[role]:
                    raise ValueError(
                        f"plants.{key}.{role}: system {ref!r} is of kind {kind!r}, which is not "
                        f"a {role.upper()}; allowed: {', '.join(ADAPTER_KINDS[role])}"
                    )
        erp_codes = [p.erp_plant for p in self.plants.values()]
        if len(erp_codes) != len(set(erp_codes)):
            raise ValueError("two plants share one erp_plant code")
        return self

    def plant(self, plant_id: str) -> PlantConfig:
        try:
            return self.plants[plant_id]
        except KeyError:
            raise ConfigError(
                f"unknown plant {plant_id!r}; configured plants: {sorted(self.plants)}"
            ) from None

    def outage_budgets(self, plant_id: str) -> dict[str, timedelta]:
        """Each system's outage budget for one plant, keyed by the adapters' system names."""
        plant = self.plant(plant_id)
        default = self.outage_budget
        budgets = {"erp": self.erp.outage_budget or default}
        for role in ("mes", "qms", "lims"):
            key = getattr(plant, role)
            if key is not None:
                budgets[role] = self.systems[key].outage_budget or default
        if self.supplier_portal is not None:
            budgets["supplier-portal"] = self.supplier_portal.outage_budget or default
        return budgets

    def check_quantity(self, quantity: Decimal, allow_zero: bool = False) -> None:
        """Positive (or zero where allowed), finite and at most ``[limits] max_quantity``."""
        if not quantity.is_finite() or quantity < 0 or (quantity == 0 and not allow_zero):
            kind = "a non-negative" if allow_zero else "a positive"
            raise ConfigError(f"quantity {quantity} must be {kind}, finite number")
        if quantity > self.limits.max_quantity:
            raise ConfigError(
                f"quantity {quantity} exceeds the configured maximum {self.limits.max_quantity} "
                "([limits] max_quantity)"
            )

    def plant_by_erp_code(self, erp_plant: str) -> PlantConfig:
        for plant in self.plants.values():
            if plant.erp_plant == erp_plant:
                return plant
        raise ConfigError(f"no plant is mapped to ERP plant {erp_plant!r}")

    def plant_by_mes_site(self, mes_site: str) -> PlantConfig:
        for plant in self.plants.values():
            if plant.mes_site == mes_site:
                return plant
        raise ConfigError(f"no plant is mapped to MES site {mes_site!r}")

    def plant_by_lims_site(self, lims_site: str) -> PlantConfig:
        for plant in self.plants.values():
            if plant.lims_site == lims_site:
                return plant
        raise ConfigError(f"no plant is mapped to LIMS site {lims_site!r}")

    def plant_by_qms_site(self, qms_site: str) -> PlantConfig:
        for plant in self.plants.values():
            if plant.qms_site == qms_site:
                return plant
        raise ConfigError(f"no plant is mapped to QMS site {qms_site!r}")


def to_canonical(quantity: Decimal, unit: str, table: list[UnitConversion]) -> tuple[Decimal, str]:
    """Convert a system's quantity and unit into the canonical unit."""
    for row in table:
        if row.system_unit == unit:
            return quantity * row.factor, row.canonical_unit
    raise ConfigError(f"no unit conversion for system unit {unit!r}")


def from_canonical(
    quantity: Decimal, unit: str, table: list[UnitConversion]
) -> tuple[Decimal, str]:
    """Convert a canonical quantity into the system's unit (first mapping for that unit wins)."""
    for row in table:
        if row.canonical_unit == unit:
            return quantity / row.factor, row.system_unit
    raise ConfigError(f"no system unit maps to canonical unit {unit!r}")


def _check_kind(key: str, kind: str, allowed: tuple[str, ...]) -> None:
    if kind not in allowed:
        raise ValueError(f"{key}: unknown adapter kind {kind!r}; allowed: {', '.join(allowed)}")


def _problem(error: Any) -> str:
    """One validation error as ``key: what is wrong``, the key in the file's dotted form."""
    key = ".".join(str(p) for p in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"].startswith("time_delta"):
        message = f"not a duration: {error['input']!r}; write {DURATION_HINT}"
    return f"{key}: {message}" if key else message


def parse_settings(data: dict, source: str = "<config>") -> Settings:
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_problem(err) for err in exc.errors())
        raise ConfigError(f"{source}: {problems}") from None


def load_settings(path: str | Path | None = None) -> Settings:
    """Read and validate the plant configuration file."""
    path = Path(path or os.environ.get("PLANTFLOW_CONFIG") or DEFAULT_CONFIG)
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_settings(data, str(path))
