"""LIMS webhooks -> canonical events, for the gateway.

``parse_lims_event(payload, event_type, settings)``: event_type is the X-Event-Type header.
``Sample.Authorized`` -> ``LabResultsAuthorized``: plant from ``sample.site`` (the plant whose
``lims_site`` it is), item from ``sample.material``, lot from ``sample.batch``, ``passed``
from ``sample.outcome``, one ``LabResult`` per test (limits from the spec, pass/fail, analyst),
``authorized_by`` from ``sample.authorized_by``; correlation id, event id and time from
``correlation_id``, ``event_id``, ``event_time``. Test units (pH, mPa.s, cfu/g) are the
analyses' own and pass unchanged.

Anything missing, malformed, unmapped or inconsistent raises ``EventRejected(field, message)``
with the dotted payload path (e.g. ``sample.tests.2.result`` for a test without a result,
``sample.outcome`` when it contradicts the tests); an unsupported type names
``X-Event-Type``. The types in ``INFORMATIONAL_EVENT_TYPES`` are sent by the LIMS but signal
nothing a saga waits for: a gateway may acknowledge and drop them.
"""

from typing import Any

from pydantic import ValidationError

from adapters.errors import EventRejected
from adapters.lims_reference.wire import SampleEvent, lab_result
from canonical.enums import SourceSystem
from canonical.events import LabResultsAuthorized
from canonical.plant_config import ConfigError, Settings

TYPE_FIELD = "X-Event-Type"
SAMPLE_AUTHORIZED = "Sample.Authorized"
INFORMATIONAL_EVENT_TYPES = frozenset({"Sample.Registered", "Sample.Cancelled"})


def _validated(payload: Any) -> SampleEvent:
    try:
        return SampleEvent.model_validate(payload)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "payload"
        raise EventRejected(field, error["msg"]) from None


def parse_lims_event(
    payload: dict[str, Any], event_type: str, settings: Settings
) -> LabResultsAuthorized:
    """Translate one LIMS webhook into the lab checkpoint's canonical answer."""
    if event_type != SAMPLE_AUTHORIZED:
        hint = (
            " (informational: nothing to act on)" if event_type in INFORMATIONAL_EVENT_TYPES else ""
        )
        raise EventRejected(
            TYPE_FIELD,
            f"unsupported LIMS event type {event_type!r}{hint}; known: {SAMPLE_AUTHORIZED!r}",
        )
    event = _validated(payload)
    if event.event_type is not None and event.event_type != event_type:
        raise EventRejected("event_type", f"{event.event_type!r} does not match {event_type!r}")
    sample = event.sample
    try:
        plant = settings.plant_by_lims_site(sample.site)
    except ConfigError as exc:
        raise EventRejected("sample.site", str(exc)) from None
    try:
        plant.check_lot(sample.batch)
    except ConfigError as exc:
        raise EventRejected("sample.batch", str(exc)) from None
    if sample.status != "authorized":
        raise EventRejected("sample.status", f"an authorisation event for a {sample.status} sample")
    if not sample.authorized_by:
        raise EventRejected("sample.authorized_by", "authorised results name their reviewer")
    if not sample.tests:
        raise EventRejected("sample.tests", "an authorised sample has at least one test")
    results = []
    for index, test in enumerate(sample.tests):
        if test.result is None:
            raise EventRejected(
                f"sample.tests.{index}.result", f"test {test.test_code} has no result"
            )
        results.append(lab_result(test, test.result))
    passed = all(r.passed for r in results)
    if sample.outcome != ("pass" if passed else "fail"):
        raise EventRejected(
            "sample.outcome",
            f"{sample.outcome!r} contradicts the tests ({'all' if passed else 'not all'} passed)",
        )
    try:
        return LabResultsAuthorized(
            correlation_id=event.correlation_id,
            source_system=SourceSystem.LIMS,
            plant=plant.plant_id,
            occurred_at=event.event_time,
            event_id=event.event_id,
            item_id=sample.material,
            lot_id=sample.batch,
            sample_id=sample.sample_id,
            passed=passed,
            results=results,
            authorized_by=sample.authorized_by,
        )
    except ValidationError as exc:  # a canonical rule the dialect model did not check
        raise EventRejected("payload", str(exc)) from None
