"""Exactly-once the SAP way: SAP Gateway's repeatable requests, and the document reference
the adapter falls back on where a plant's gateway does not offer them.

S/4HANA has no ``Idempotency-Key``. A client sends ``RequestID`` (a 32-character GUID) and
``RepeatabilityCreation`` (when the request was first created, an HTTP date); the gateway runs
the request once and answers every repeat with the first outcome, with the response header
``RepeatabilityResult: accepted``. It answers ``rejected`` when it cannot guarantee that (the
creation time is older than it keeps request ids, or the id came with another request) and
``unsupported`` where the service is not set up for repeatable requests.
"""

import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx

REQUEST_ID_HEADER = "RequestID"
CREATION_HEADER = "RepeatabilityCreation"
RESULT_HEADER = "RepeatabilityResult"
ACCEPTED, REJECTED, UNSUPPORTED = "accepted", "rejected", "unsupported"
REJECTED_CODE = "RepeatabilityRejected"
REFERENCE_PREFIX = "PF"
REFERENCE_LENGTH = 16  # ReferenceDocument (XBLNR) is CHAR 16, upper case

# Our own namespace: the same idempotency key gives the same RequestID in every worker.
_NAMESPACE = uuid.UUID("6f1d3c2a-8b4e-5d7f-9a0b-1c2d3e4f5a6b")


def request_id(idempotency_key: str) -> str:
    """The RequestID of one business step: 32 upper-case hex digits, derived (uuid5) from our
    idempotency key, so every retry of the step, in any worker, sends the same id."""
    return uuid.uuid5(_NAMESPACE, idempotency_key).hex.upper()


def document_reference(idempotency_key: str) -> str:
    """What the adapter writes into a document (``ReferenceDocument``, 16 characters) so that
    it can find its earlier posting where the gateway has no repeatable requests."""
    return REFERENCE_PREFIX + request_id(idempotency_key)[: REFERENCE_LENGTH - 2]


def result(response: httpx.Response) -> str:
    return response.headers.get(RESULT_HEADER, "").lower()


class CreationTimes:
    """When each request was first sent, so a retry repeats that time (the gateway refuses
    a request id older than it keeps ids, rather than posting again).

    Kept in memory: after a worker restart a retry sends the time of its new first attempt,
    which is safe as long as the gateway keeps request ids longer than a step is retried.
    """

    def __init__(self, limit: int = 10_000, clock: Callable[[], datetime] | None = None):
        self._first: OrderedDict[str, datetime] = OrderedDict()
        self._limit = limit
        self._clock = clock or (lambda: datetime.now(UTC))

    def headers(self, idempotency_key: str) -> dict[str, str]:
        rid = request_id(idempotency_key)
        first = self._first.get(rid)
        if first is None:
            first = self._clock().replace(microsecond=0)
            self._first[rid] = first
            if len(self._first) > self._limit:
                self._first.popitem(last=False)
        return {REQUEST_ID_HEADER: rid, CREATION_HEADER: format_datetime(first, usegmt=True)}
