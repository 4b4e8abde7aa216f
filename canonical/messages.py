"""The envelope every canonical message carries."""

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from canonical.enums import SourceSystem
from canonical.identifiers import EventId, PlantId

SCHEMA_VERSION = "1.0"


class CanonicalModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


class Envelope(CanonicalModel):
    """Metadata that makes a message traceable end to end."""

    schema_version: str = SCHEMA_VERSION
    correlation_id: EventId
    source_system: SourceSystem
    plant: PlantId = Field(description="Canonical plant id")
    occurred_at: AwareDatetime
