"""Adapter for the bundled reference QMS (configuration kind ``reference-qms``)."""

from adapters.qms_reference.adapter import ReferenceQmsAdapter
from adapters.qms_reference.events import parse_qms_event

__all__ = ["ReferenceQmsAdapter", "parse_qms_event"]
