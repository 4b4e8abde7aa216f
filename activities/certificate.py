"""The certificate of analysis as a self-contained HTML document.

Written by hand with html.escape rather than a template engine: one small document with no
logic beyond a table, and no extra dependency for plants to vet. ``render_certificate`` builds
the whole document (add new sections there). It states every nonconformance found while the
lot was made, with its disposition and signature, and says "The lot conforms to its
specification" only when it does: no failing result or check, no nonconformance left
undecided, used as is or otherwise released without a passing re-inspection.
"""

from datetime import UTC
from html import escape
from typing import TYPE_CHECKING

from canonical.enums import Disposition
from canonical.events import LabResult
from canonical.quality import LotDeviation

if TYPE_CHECKING:
    from activities.release import CertificateData

STYLE = (
    "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
    "width:100%}td,th{border:1px solid #999;padding:4px 8px;text-align:left}"
    ".pass{color:#060}.fail{color:#a00}.sig{margin-top:2em;border:1px solid #333;padding:1em}"
    ".deviation{border:2px solid #a00;padding:.5em 1em}"
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


def _decision(deviation: LotDeviation) -> str:
    if deviation.disposition is None:
        return "no disposition recorded"
    decision = deviation.disposition.value.replace("_", " ")
    if deviation.disposition is Disposition.REWORK:
        decision += (
            ", re-inspection passed" if deviation.reinspection_passed else ", not re-inspected"
        )
    return decision


def _deviations(data: "CertificateData") -> str:
    if not data.deviations_known:
        return (
            "<p>This lot was not made under a plantflow production order: nonconformances "
            "raised where it was made are not known here. Consult the QMS.</p>"
        )
    if not data.deviations:
        return "<p>No nonconformance was raised while this lot was made.</p>"
    rows = "".join(
        _row(
            [
                d.nonconformance_id,
                d.description or f"{d.characteristic_id} {d.measured_value}",
                _decision(d),
                f"{d.signature.signer} ({d.signature.role.value}), "
                f"{d.signature.signed_at.isoformat()}"
                if d.signature
                else "-",
                d.signature.reason if d.signature else "",
            ],
            "pass" if d.resolved else "fail",
        )
        for d in data.deviations
    )
    return (
        '<table class="deviation"><tr><th>Nonconformance</th><th>Finding</th><th>Decision</th>'
        f"<th>Signed by</th><th>Reason</th></tr>{rows}</table>"
    )


def conclusion(data: "CertificateData") -> tuple[bool, str]:
    """Whether the lot conforms to its specification, and the certificate's conclusion."""
    failed = [r.test_id for r in data.results if not r.passed]
    failed += [name for name, ok in sorted(data.packaging_checks.items()) if not ok]
    used_as_is = [d for d in data.deviations if d.disposition is Disposition.USE_AS_IS]
    unresolved = [
        d for d in data.deviations if d.disposition is not Disposition.USE_AS_IS and not d.resolved
    ]
    reasons = []
    if failed:
        reasons.append(f"failing results: {', '.join(failed)}")
    for d in used_as_is:
        signer = d.signature.signer if d.signature else "unknown"
        reasons.append(
            f"nonconformance {d.nonconformance_id} used as is, decided by {signer}"
            + (f" ({d.signature.reason})" if d.signature else "")
        )
    for d in unresolved:
        reasons.append(f"nonconformance {d.nonconformance_id}: {_decision(d)}")
    if reasons:
        return False, (
            "The lot does not conform to its specification. It is released for shipment with "
            "these deviations: " + "; ".join(reasons) + "."
        )
    if not data.deviations_known:
        return False, (
            "The results and checks above meet their specification. Conformance of the lot "
            "also depends on its production record, which is not known here."
        )
    if data.deviations:
        numbers = ", ".join(d.nonconformance_id for d in data.deviations)
        return True, (
            "The lot conforms to its specification after rework and re-inspection "
            f"(nonconformance {numbers}) and is released for shipment."
        )
    return True, "The lot conforms to its specification and is released for shipment."


def render_certificate(data: "CertificateData") -> str:
    """The whole certificate: header, results, checks, deviations, conclusion, signature."""
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
    conforms, statement = conclusion(data)
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
<h2>Deviations and nonconformances</h2>
{_deviations(data)}
<h2>Conclusion</h2>
<p class="{"pass" if conforms else "fail"}">{escape(statement)}</p>
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
