"""OpenTelemetry: spans from the gateway, the workflows, activities and every HTTP call.

Export is off unless the standard variables ask for it: ``OTEL_TRACES_EXPORTER=otlp``
(with ``OTEL_EXPORTER_OTLP_ENDPOINT``) or ``OTEL_TRACES_EXPORTER=console``.
``OTEL_SERVICE_NAME`` names the process.
"""

import os

from opentelemetry import trace
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
)

from runtime.logs import set_correlation

CORRELATION_ATTRIBUTE = "plantflow.correlation_id"
_provider: TracerProvider | None = None


def setup_tracing(default_service: str) -> TracerProvider:
    """Install the tracer provider once per process and instrument httpx.

    Returns the provider, so an embedder (or a test) can add its own span processor.
    """
    global _provider
    if _provider is not None:
        return _provider
    service = os.environ.get("OTEL_SERVICE_NAME", default_service)
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    exporters = os.environ.get("OTEL_TRACES_EXPORTER", "none")
    for name in (e.strip() for e in exporters.split(",")):
        if name == "console":
            provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
        elif name == "otlp":
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    HTTPXClientInstrumentor().instrument()
    _provider = provider
    return provider


def tag_correlation(correlation_id: str) -> None:
    """Stamp the current span so one id finds a trigger's whole trace, and the task's log
    lines with it."""
    if correlation_id:
        trace.get_current_span().set_attribute(CORRELATION_ATTRIBUTE, correlation_id)
        set_correlation(correlation_id)
