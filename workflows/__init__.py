"""Workflows: deterministic process logic only. No I/O is imported here."""

TASK_QUEUE = "plantflow-sagas"
