"""The SAP S/4HANA adapter (OData V2): ErpPort in adapter.py, webhook parser in events.py."""
