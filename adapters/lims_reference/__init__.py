"""Adapter for the bundled reference LIMS (configuration kind ``reference-lims``)."""

from adapters.lims_reference.adapter import ReferenceLimsAdapter
from adapters.lims_reference.events import INFORMATIONAL_EVENT_TYPES, parse_lims_event

__all__ = ["INFORMATIONAL_EVENT_TYPES", "ReferenceLimsAdapter", "parse_lims_event"]
