"""Sampling configuration: each quality agreement's AQL, level and skip-lot, as data.

``config/sampling.toml`` (``PLANTFLOW_SAMPLING_CONFIG`` to override) has a complete
``[defaults]`` policy and optional layers ``[items.<item>]``, ``[suppliers.<supplier>]`` and
``[[policies]]`` (one supplier + item pair each). The most specific layer wins field by field:
defaults < item < supplier < (supplier, item). ``skip_lot = false`` switches off a skip-lot
inherited from a broader layer. The file is validated at load, so a wrong AQL is refused
before any receipt is planned.
"""

import os
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from canonical.plant_config import ConfigError
from canonical.sampling.policy import (
    ReducedRule,
    SamplingPolicy,
    SkipLotPolicy,
    parse_aql,
    parse_level,
)

DEFAULT_SAMPLING_CONFIG = Path(__file__).resolve().parents[2] / "config" / "sampling.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PolicyLayer(_Strict):
    """Part of a policy: only the fields a layer sets override the broader layers."""

    aql: Decimal | None = None
    inspection_level: str | None = None
    allow_reduced: bool | None = None
    reduced_rule: ReducedRule | None = None
    skip_lot: SkipLotPolicy | None = None

    _aql = field_validator("aql", mode="before")(parse_aql)
    _level = field_validator("inspection_level")(parse_level)

    @field_validator("skip_lot", mode="before")
    @classmethod
    def _false_switches_off(cls, value: object) -> object:
        """``skip_lot = false`` overrides a broader layer's skip-lot with none."""
        if value is False:
            return None
        if value is True:
            raise ValueError("use false, or a table { clean_lots = N, inspect_one_in = k }")
        return value


class PairPolicy(PolicyLayer):
    supplier: str = Field(min_length=1)
    item: str = Field(min_length=1)


class SamplingConfig(_Strict):
    defaults: SamplingPolicy
    items: dict[str, PolicyLayer] = Field(default_factory=dict)
    suppliers: dict[str, PolicyLayer] = Field(default_factory=dict)
    policies: list[PairPolicy] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_policy_per_pair(self) -> Self:
        seen: set[tuple[str, str]] = set()
        for index, pair in enumerate(self.policies):
            key = (pair.supplier, pair.item)
            if key in seen:
                raise ValueError(
                    f"policies.{index}: a second policy for supplier {pair.supplier!r} "
                    f"and item {pair.item!r}"
                )
            seen.add(key)
        return self

    def policy_for(self, supplier: str, item: str) -> SamplingPolicy:
        """The policy for lots of ``item`` from ``supplier``: the layers merged."""
        merged = self.defaults.model_dump()
        pair = next((p for p in self.policies if (p.supplier, p.item) == (supplier, item)), None)
        for layer in (self.items.get(item), self.suppliers.get(supplier), pair):
            if layer is not None:
                merged.update(layer.model_dump(exclude_unset=True, exclude={"supplier", "item"}))
        return SamplingPolicy.model_validate(merged)


def parse_sampling_config(data: dict, source: str = "<sampling config>") -> SamplingConfig:
    try:
        return SamplingConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_describe(err) for err in exc.errors())
        raise ConfigError(f"{source}: {problems}") from None


def _describe(err: ErrorDetails) -> str:
    """``items.RM-200.aql: AQL 1.2 is not a Z1.4 AQL...``: where, then what."""
    where = ".".join(str(part) for part in err["loc"])
    what = str(err["msg"]).removeprefix("Value error, ")
    return f"{where}: {what}" if where else what


def load_sampling_config(path: str | Path | None = None) -> SamplingConfig:
    """Read and validate the sampling configuration file."""
    path = Path(path or os.environ.get("PLANTFLOW_SAMPLING_CONFIG") or DEFAULT_SAMPLING_CONFIG)
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"sampling configuration file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_sampling_config(data, str(path))
