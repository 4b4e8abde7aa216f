"""Adapter for the bundled reference QMS (configuration kind ``reference-qms``)."""

from adapters.qms_reference.adapter import ReferenceQmsAdapter
from adapters.qms_reference.events import INFORMATIONAL_EVENT_TYPES, parse_qms_event

__all__ = ["INFORMATIONAL_EVENT_TYPES", "ReferenceQmsAdapter", "parse_qms_event"]
