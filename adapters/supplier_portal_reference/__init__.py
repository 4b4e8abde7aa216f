"""Adapter for the bundled reference supplier portal (kind ``reference-supplier-portal``)."""

from adapters.supplier_portal_reference.adapter import ReferenceSupplierPortalAdapter
from adapters.supplier_portal_reference.codes import EVENT_TYPES

__all__ = ["EVENT_TYPES", "ReferenceSupplierPortalAdapter"]
