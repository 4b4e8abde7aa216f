"""Log lines carry the workflow id, activity, attempt and correlation id as fields, in text or
JSON, instead of Temporal's raw dict of activity info."""

import json
import logging

import pytest
from temporalio import activity, workflow

from runtime.logs import CORRELATION_ID, ContextFilter, setup_logging

ACTIVITY_INFO = {
    "activity_id": "7",
    "activity_type": "erp.post_goods_issue",
    "attempt": 3,
    "namespace": "default",
    "task_queue": "plantflow-sagas",
    "workflow_id": "production-order-P100-3123456",
    "workflow_run_id": "r1",
    "workflow_type": "ProductionOrderWorkflow",
}


def record(message: str) -> logging.LogRecord:
    """A record as Temporal's activity logger makes it (its info in the extra)."""
    made = logging.LogRecord("temporalio.activity", logging.WARNING, "x", 1, message, (), None)
    made.temporal_activity = ACTIVITY_INFO
    return made


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_line_carries_its_saga_and_attempt(
    log_format: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANTFLOW_LOG_FORMAT", log_format)
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        setup_logging("plantflow-worker")
        handler = root.handlers[0]
        token = CORRELATION_ID.set("evt-42")
        try:
            line = record("erp unavailable (attempt 3 of erp.post_goods_issue): timeout")
            assert handler.filter(line)  # runs the context filter on the record
            text = handler.format(line)
        finally:
            CORRELATION_ID.reset(token)
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    assert "\n" not in text and "{'activity_id'" not in text
    if log_format == "text":
        assert text.endswith(
            "erp unavailable (attempt 3 of erp.post_goods_issue): timeout "
            "[workflow_id=production-order-P100-3123456 activity=erp.post_goods_issue "
            "attempt=3 correlation_id=evt-42]"
        )
    else:
        fields = json.loads(text)
        assert fields["workflow_id"] == "production-order-P100-3123456"
        assert fields["activity"] == "erp.post_goods_issue" and fields["attempt"] == 3
        assert fields["correlation_id"] == "evt-42" and fields["service"] == "plantflow-worker"
        assert fields["level"] == "WARNING"
    # Temporal's loggers no longer append their info dict to the message.
    assert activity.logger.activity_info_on_message is False
    assert workflow.logger.workflow_info_on_message is False


def test_the_filter_leaves_other_lines_plain() -> None:
    line = logging.LogRecord("uvicorn", logging.INFO, "x", 1, "started", (), None)
    assert ContextFilter().filter(line)
    assert line.workflow_id == "" and line.activity == ""  # type: ignore[attr-defined]
