"""The certificate of analysis says what happened to the lot: each nonconformance with its
decision and signature, and "conforms" only for a lot that does."""

from datetime import UTC, datetime
from decimal import Decimal

from activities.certificate import conclusion, render_certificate
from activities.release import CertificateData
from canonical.enums import Disposition, Role, SignatureMeaning
from canonical.events import LabResult
from canonical.quality import ElectronicSignature, LotDeviation

AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CONFORMS = "The lot conforms to its specification"


def signed(signer: str, meaning: SignatureMeaning, reason: str) -> ElectronicSignature:
    return ElectronicSignature(
        signer=signer, role=Role.QUALITY_MANAGER, signed_at=AT, meaning=meaning, reason=reason
    )


def nc(decision: Disposition | None, reinspected: bool = False) -> LotDeviation:
    return LotDeviation(
        nonconformance_id="QN10000007",
        characteristic_id="VISC",
        measured_value="15500",
        description="VISC 15500: out of tolerance",
        disposition=decision,
        signature=signed(
            "qa.ortiz", SignatureMeaning.DISPOSITION_APPROVED, "within deviation D-118"
        )
        if decision
        else None,
        reinspection_passed=reinspected,
    )


def certificate(
    deviations: list[LotDeviation], known: bool = True, **changes: object
) -> CertificateData:
    data = CertificateData(
        idempotency_key="k",
        correlation_id="c-1",
        plant="P100",
        certificate_id="COA-FG-1000-B1",
        item_id="FG-1000",
        lot_id="B1",
        quantity="1000",
        unit="KG",
        order_id="1000001",
        lab_sample_id="LS1",
        results=[
            LabResult(test_id="PH", value=Decimal("6.2"), lower_limit=Decimal(5), passed=True)
        ],
        packaging_checks={"LineClearance": True, "LabelMatch": True},
        deviations_known=known,
        deviations=deviations,
        signature=signed("qa.lee", SignatureMeaning.RELEASE_APPROVED, "batch record reviewed"),
        issued_at=AT,
    )
    return data.model_copy(update=changes)


def test_a_clean_lot_conforms() -> None:
    html = render_certificate(certificate([]))
    assert f"{CONFORMS} and is released for shipment." in html
    assert "No nonconformance was raised while this lot was made." in html
    assert conclusion(certificate([]))[0]


def test_use_as_is_under_a_nonconformance_is_stated_and_does_not_conform() -> None:
    data = certificate([nc(Disposition.USE_AS_IS)])
    html = render_certificate(data)
    assert CONFORMS not in html
    assert "The lot does not conform to its specification." in html
    for expected in ("QN10000007", "use as is", "qa.ortiz", "within deviation D-118", "15500"):
        assert expected in html, expected
    assert (
        "with these deviations: nonconformance QN10000007 used as is, decided by qa.ortiz "
        "(within deviation D-118)." in html
    )
    assert not conclusion(data)[0]


def test_a_reworked_lot_shows_its_deviation_and_conforms_only_after_reinspection() -> None:
    reworked = render_certificate(certificate([nc(Disposition.REWORK, reinspected=True)]))
    assert "QN10000007" in reworked and "rework, re-inspection passed" in reworked
    assert f"{CONFORMS} after rework and re-inspection (nonconformance QN10000007)" in reworked
    pending = render_certificate(certificate([nc(Disposition.REWORK)]))
    assert CONFORMS not in pending and "rework, not re-inspected" in pending
    undecided = render_certificate(certificate([nc(None)]))
    assert CONFORMS not in undecided and "no disposition recorded" in undecided


def test_a_failing_check_never_conforms() -> None:
    html = render_certificate(certificate([], packaging_checks={"LineClearance": False}))
    assert CONFORMS not in html and "failing results: LineClearance" in html


def test_a_lot_made_elsewhere_does_not_claim_conformance_it_cannot_know() -> None:
    html = render_certificate(certificate([], known=False))
    assert CONFORMS not in html
    assert "nonconformances raised where it was made are not known here" in html


def test_text_from_people_is_escaped() -> None:
    deviation = nc(Disposition.USE_AS_IS).model_copy(update={"description": "<script>x</script>"})
    html = render_certificate(certificate([deviation]))
    assert "<script>" not in html and "&lt;script&gt;" in html
