"""Adapter for the bundled reference MES (ISA-95 / B2MML-like dialect)."""

from adapters.mes_reference.adapter import ReferenceMesAdapter
from adapters.mes_reference.events import INFORMATIONAL_EVENT_TYPES, parse_mes_event

__all__ = ["INFORMATIONAL_EVENT_TYPES", "ReferenceMesAdapter", "parse_mes_event"]
