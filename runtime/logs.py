"""Log lines a person and a log store can both read: each carries the workflow id, the
activity and its attempt, the trigger's correlation id and the trace id, when known.

``PLANTFLOW_LOG_FORMAT=json`` writes one JSON object per line (for the deployment's log
store); ``text`` (default) writes ``time LEVEL logger message [workflow_id=... ...]``.
``PLANTFLOW_LOG_LEVEL`` (INFO) sets the level.
"""

import logging
import os
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

from opentelemetry import trace
from pythonjsonlogger.json import JsonFormatter
from temporalio import activity, workflow
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)

CORRELATION_ID: ContextVar[str] = ContextVar("plantflow_correlation_id", default="")
CONTEXT_FIELDS = ("workflow_id", "activity", "attempt", "correlation_id", "trace_id")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class ContextFilter(logging.Filter):
    """Copies Temporal's ``temporal_activity`` / ``temporal_workflow`` extras, the correlation
    id and the current trace id onto each record as plain fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        activity_info: Mapping[str, Any] = getattr(record, "temporal_activity", None) or {}
        workflow_info: Mapping[str, Any] = getattr(record, "temporal_workflow", None) or {}
        record.workflow_id = activity_info.get("workflow_id") or workflow_info.get(
            "workflow_id", ""
        )
        record.activity = activity_info.get("activity_type", "")
        record.attempt = activity_info.get("attempt", "")
        record.correlation_id = CORRELATION_ID.get()
        span = trace.get_current_span().get_span_context()
        record.trace_id = format(span.trace_id, "032x") if span.is_valid else ""
        return True


class TextFormatter(logging.Formatter):
    """The message, then only the context fields that are set."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        context = " ".join(
            f"{name}={getattr(record, name)}"
            for name in CONTEXT_FIELDS
            if getattr(record, name, "") not in ("", None)
        )
        return f"{line} [{context}]" if context else line


def setup_logging(service: str, level: str | None = None) -> None:
    """Configure the root logger for a process (worker, gateway, the demo); ``level``
    overrides PLANTFLOW_LOG_LEVEL."""
    json_lines = os.environ.get("PLANTFLOW_LOG_FORMAT", "text").lower() == "json"
    handler = logging.StreamHandler()
    handler.addFilter(ContextFilter())
    if json_lines:
        handler.setFormatter(
            JsonFormatter(
                ["asctime", "levelname", "name", "message", *CONTEXT_FIELDS],
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                static_fields={"service": service},
            )
        )
    else:
        handler.setFormatter(TextFormatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel((level or os.environ.get("PLANTFLOW_LOG_LEVEL", "INFO")).upper())
    # The fields above carry what Temporal's loggers would append as a raw dict.
    activity.logger.activity_info_on_message = False
    workflow.logger.workflow_info_on_message = False


def set_correlation(correlation_id: str) -> None:
    """The correlation id of what this task handles, for its log lines."""
    if correlation_id:
        CORRELATION_ID.set(correlation_id)


class CorrelationInterceptor(Interceptor):
    """Each activity's log lines carry the correlation id its input names."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _CorrelatedActivity(next)


class _CorrelatedActivity(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        found = (str(getattr(arg, "correlation_id", "") or "") for arg in input.args)
        token = CORRELATION_ID.set(next((c for c in found if c), ""))
        try:
            return await super().execute_activity(input)
        finally:
            CORRELATION_ID.reset(token)
