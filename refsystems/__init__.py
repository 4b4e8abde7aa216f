"""Bundled reference systems: small but real ERP, MES and QMS services for demos and tests.

Each speaks its own dialect and keeps its own SQLite database; none knows the canonical model.
"""
