"""Which checkpoints release a finished lot, per item: data in config/release.toml.

``PLANTFLOW_RELEASE_CONFIG`` overrides the file. Validated at load; an error names the field.
"""

import os
import tomllib
from datetime import timedelta
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from canonical.plant_config import ConfigError

DEFAULT_RELEASE_CONFIG = Path(__file__).resolve().parent.parent / "config" / "release.toml"


class Checkpoint(StrEnum):
    LAB = "lab"
    PACKAGING = "packaging"
    APPROVAL = "approval"


class ReleasePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    checkpoints: list[Checkpoint] = Field(min_length=1)
    deadlines: dict[Checkpoint, timedelta] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _approval_is_last_word(self) -> "ReleasePolicy":
        if Checkpoint.APPROVAL not in self.checkpoints:
            raise ValueError("every release needs the 'approval' checkpoint (a signed decision)")
        return self

    def deadline(self, checkpoint: Checkpoint) -> timedelta:
        return self.deadlines.get(checkpoint, timedelta(hours=24))


class ReleaseConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    defaults: ReleasePolicy
    items: dict[str, ReleasePolicy] = Field(default_factory=dict)

    def policy_for(self, item_id: str) -> ReleasePolicy:
        item = self.items.get(item_id)
        if item is None:
            return self.defaults
        deadlines = {**self.defaults.deadlines, **item.deadlines}
        return ReleasePolicy(checkpoints=item.checkpoints, deadlines=deadlines)


def load_release_config(path: str | Path | None = None) -> ReleaseConfig:
    path = Path(path or os.environ.get("PLANTFLOW_RELEASE_CONFIG") or DEFAULT_RELEASE_CONFIG)
    try:
        data = tomllib.loads(path.read_text())
        return ReleaseConfig.model_validate(data)
    except FileNotFoundError:
        raise ConfigError(f"release configuration {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"{path}: {problems}") from None
