"""The certificate of analysis as a self-contained HTML document.

Written by hand with html.escape rather than a template engine: one small document with no
logic beyond a table, and no extra dependency for plants to vet.
"""

from datetime import UTC
from html import escape
from typing import TYPE_CHECKING

from canonical.events import LabResult

if TYPE_CHECKING:
    from activities.release import CertificateData

STYLE = (
    "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
    "width:100%}td,th{border:1px solid #999;padding:4px 8px;text-align:left}"
    ".pass{color:#060}.fail{color:#a00}.sig{margin-top:2em;border:1px solid #333;padding:1em}"
)


def _spec(result: LabResult) -> str:
    low, high = result.lower_limit, result.upper_limit
    if low is not None and high is not None:
        return f"{low} – {high}"
    if high is not None:
        return f"≤ {high}"
    if low is not None:
        return f"≥ {low}"
    return "conforms"


def _row(cells: list[str], css: str = "") -> str:
    attr = f' class="{css}"' if css else ""
    return "<tr>" + "".join(f"<td{attr}>{escape(c)}</td>" for c in cells) + "</tr>"


def render_certificate(data: "CertificateData") -> str:
    results = "".join(
        _row(
            [
                r.test_id,
                r.description,
                _spec(r),
                str(r.value) if r.value is not None else r.text,
                r.unit,
                "pass" if r.passed else "FAIL",
            ],
            "pass" if r.passed else "fail",
        )
        for r in data.results
    )
    checks = "".join(
        _row([name, "pass" if ok else "FAIL"], "pass" if ok else "fail")
        for name, ok in sorted(data.packaging_checks.items())
    )
    sig = data.signature
    lab = (
        f"<h2>Laboratory results (sample {escape(data.lab_sample_id)})</h2><table><tr><th>Test</th>"
        f"<th>Description</th><th>Specification</th><th>Result</th><th>Unit</th><th>Verdict</th>"
        f"</tr>{results}</table>"
        if data.results
        else "<p>No laboratory testing is specified for this item.</p>"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Certificate of analysis {escape(data.certificate_id)}</title>
<style>{STYLE}</style></head><body>
<h1>Certificate of analysis</h1>
<table>
<tr><th>Certificate</th><td>{escape(data.certificate_id)}</td></tr>
<tr><th>Item</th><td>{escape(data.item_id)}</td></tr>
<tr><th>Lot</th><td>{escape(data.lot_id)}</td></tr>
<tr><th>Quantity</th><td>{escape(data.quantity)} {escape(data.unit)}</td></tr>
<tr><th>Production order</th><td>{escape(data.order_id or "-")}</td></tr>
<tr><th>Plant</th><td>{escape(data.plant)}</td></tr>
</table>
{lab}
<h2>Packaging and labelling verification</h2>
<table><tr><th>Check</th><th>Verdict</th></tr>{checks}</table>
<h2>Conclusion</h2>
<p>The lot conforms to its specification and is released for shipment.</p>
<div class="sig"><strong>Electronic signature</strong><br>
Signed by {escape(sig.printed_name or sig.signer)} ({escape(sig.signer)}, \
{escape(sig.role.value)})<br>
Signed at {escape(sig.signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"))}<br>
Meaning: {escape(sig.statement or sig.meaning.value)}<br>
Reason: {escape(sig.reason)}<br>
Record digest: <code>{escape(sig.record_digest or "-")}</code></div>
<p>Issued {escape(data.issued_at.isoformat())} · correlation id {escape(data.correlation_id)}</p>
</body></html>
"""
