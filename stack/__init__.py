"""Starts the embedded stack: Temporal dev server, reference systems, gateway, worker."""
