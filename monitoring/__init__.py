"""What the plant's people see at a glance: backlog figures from Temporal's visibility store,
SLA alerts over them, and Prometheus metrics."""
