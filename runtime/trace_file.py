"""Traces in a file a person can open: OTLP/JSON lines, one ``ExportTraceServiceRequest`` per
line (the OpenTelemetry Collector's file format). The demo writes them with ``--trace FILE``.

    python -m runtime.trace_file show FILE              the traces as indented trees
    python -m runtime.trace_file send FILE [--endpoint http://localhost:4318]
                                                        into Jaeger (or any OTLP/HTTP receiver)
"""

import argparse
import base64
import json
import threading
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from google.protobuf.json_format import MessageToDict
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

ID_FIELDS = ("traceId", "spanId", "parentSpanId")


def _hex_ids(node: dict[str, Any]) -> None:
    """OTLP/JSON writes trace and span ids as hex, where protobuf's JSON mapping uses base64."""
    for field in ID_FIELDS:
        if node.get(field):
            node[field] = base64.b64decode(node[field]).hex()


class JsonLinesSpanExporter(SpanExporter):
    """Appends each batch of finished spans to ``path`` as one OTLP/JSON line."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")  # one run per file
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        document = MessageToDict(encode_spans(spans), use_integers_for_enums=True)
        for resource in document.get("resourceSpans", []):
            for scope in resource.get("scopeSpans", []):
                for span in scope.get("spans", []):
                    _hex_ids(span)
                    for link in span.get("links", []):
                        _hex_ids(link)
        with self._lock, self.path.open("a") as out:
            out.write(json.dumps(document, separators=(",", ":")) + "\n")
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        return None


def read_spans(path: Path) -> Iterator[dict[str, Any]]:
    """Every span in the file, with its service name added as ``service``."""
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        for resource in json.loads(line).get("resourceSpans", []):
            attributes = resource.get("resource", {}).get("attributes", [])
            service = next(
                (a["value"].get("stringValue") for a in attributes if a["key"] == "service.name"),
                "",
            )
            for scope in resource.get("scopeSpans", []):
                for span in scope.get("spans", []):
                    yield {**span, "service": service}


def trees(path: Path) -> list[str]:
    """Each trace as lines: its spans indented under their parents, in start order."""
    by_trace: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for span in read_spans(path):
        by_trace[span["traceId"]].append(span)
    lines: list[str] = []
    for trace_id, spans in by_trace.items():
        spans.sort(key=lambda s: int(s["startTimeUnixNano"]))
        ids = {s["spanId"] for s in spans}
        children: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for span in spans:
            parent = span.get("parentSpanId", "")
            children[parent if parent in ids else ""].append(span)
        lines.append(f"trace {trace_id} ({len(spans)} spans)")
        lines += _tree(children, "", 1)
    return lines


def _tree(children: dict[str, list[dict[str, Any]]], parent: str, depth: int) -> list[str]:
    lines = []
    for span in children[parent]:
        took = (int(span["endTimeUnixNano"]) - int(span["startTimeUnixNano"])) / 1e6
        linked = f"  (linked from {len(span['links'])})" if span.get("links") else ""
        lines.append(f"{'  ' * depth}{span['name']}  {took:.0f} ms{linked}")
        lines += _tree(children, span["spanId"], depth + 1)
    return lines


def send(path: Path, endpoint: str) -> int:
    """POST each line to ``endpoint``/v1/traces (OTLP/HTTP JSON); returns the lines sent."""
    import httpx

    sent = 0
    with httpx.Client(timeout=30) as client:
        for line in path.read_text().splitlines():
            if line.strip():
                response = client.post(
                    f"{endpoint.rstrip('/')}/v1/traces",
                    content=line,
                    headers={"Content-Type": "application/json"},
                )
                response.raise_for_status()
                sent += 1
    return sent


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m runtime.trace_file", description=__doc__)
    parser.add_argument("action", choices=["show", "send"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--endpoint", default="http://localhost:4318", help="OTLP/HTTP receiver")
    args = parser.parse_args(argv)
    if not args.file.exists():
        raise SystemExit(f"{args.file} does not exist: run the demo with --trace {args.file}")
    if args.action == "show":
        print("\n".join(trees(args.file)))
        return
    try:
        count = send(args.file, args.endpoint)
    except Exception as exc:  # httpx's errors: one line, what to do
        raise SystemExit(
            f"cannot send to {args.endpoint}: {exc}; is Jaeger (or a collector) listening "
            "for OTLP/HTTP there?"
        ) from None
    print(f"sent {count} batches of spans to {args.endpoint}")


if __name__ == "__main__":
    main()
