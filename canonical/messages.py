"""The envelope every canonical message carries."""

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from canonical.enums import SourceSystem

SCHEMA_VERSION = "1.0"


class CanonicalModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


class Envelope(CanonicalModel):
    """Metadata that makes a message traceable end to end."""

    schema_version: str = SCHEMA_VERSION
    correlation_id: str = Field(min_length=1, max_length=128)
    source_system: SourceSystem
    plant: str = Field(min_length=1, max_length=16, description="Canonical plant id")
    occurred_at: AwareDatetime
