"""What a saga answers a trigger (the update of update-with-start): only what the gateway
needs to answer its sender, not the whole state. The answer is stored in the saga's history
with the update, so its size is paid by every trigger."""

from pydantic import BaseModel, Field


class TriggerAnswer(BaseModel):
    triggers_received: int = Field(description="Triggers this saga has received, this one too")
    refusal: str = Field(default="", description="The system of record's refusal, if any")
    reason: str = Field(default="", description="Why the saga refused or stopped, if it did")
