"""How a system call failed, classified so the activity layer can decide to retry or not."""


class AdapterError(Exception):
    def __init__(self, system: str, message: str):
        super().__init__(f"{system}: {message}")
        self.system = system
        self.message = message


class SystemUnavailable(AdapterError):
    """Timeouts, connection errors, 5xx and 429: retry later (after ``retry_after`` if given)."""

    def __init__(self, system: str, message: str, retry_after: float | None = None):
        super().__init__(system, message)
        self.retry_after = retry_after


class BusinessRefusal(AdapterError):
    """The system understood the request and said no. Retrying the same request won't help.

    ``code`` is a stable, canonical error type (e.g. ``LotBlocked``); ``reason`` is the
    system's own words.
    """

    def __init__(self, system: str, code: str, reason: str, status_code: int | None = None):
        super().__init__(system, f"{code}: {reason}")
        self.code = code
        self.reason = reason
        self.status_code = status_code


class NotFound(BusinessRefusal):
    def __init__(self, system: str, reason: str):
        super().__init__(system, "NotFound", reason, 404)


class EventRejected(ValueError):
    """An inbound event (webhook) is malformed or cannot be mapped; ``field`` names the culprit."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
