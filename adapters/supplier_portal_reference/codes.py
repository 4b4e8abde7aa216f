"""Code tables between the canonical model and the reference supplier portal's dialect."""

SYSTEM = "supplier-portal"

UNIT_TO_PORTAL = {"EA": "H87", "KG": "KGM"}
"""Canonical unit -> the portal's UN/ECE Recommendation 20 code. The portal serves every
plant alike, so this is a fixed code table between two standards, not a plant mapping."""

REFUSALS = frozenset(
    {
        "UnknownSupplier",
        "DuplicateScar",
        "DuplicateOutcome",
        "InvalidOutcome",
        "ScarClosed",
        "ResponseMissing",
        "ValidationFailed",
    }
)
"""Portal error codes that are also the canonical codes (the portal names them as we do)."""

EVENT_TYPES = frozenset({"scar.created", "scar.responded", "scorecard.updated"})
"""What the portal's webhooks send. No saga waits on them: a gateway acknowledges them as
informational (they have no canonical event model)."""
