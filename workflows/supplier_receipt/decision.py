"""From the results tally to an accept/reject decision, by the lot's sample plan. Pure."""

from decimal import Decimal

from canonical.commands import SamplePlan
from canonical.quality import InspectionResult
from workflows.supplier_receipt.messages import Decision, ReceiptDecision, Tally


def computed_decision(
    plan: SamplePlan, tally: Tally, characteristics: list[str], quantity: Decimal
) -> ReceiptDecision | None:
    """Reject as soon as the defectives reach the reject number; accept once the whole sample
    is inspected below it (on reduced inspection a count between Ac and Re still accepts the
    lot, and the supplier's record switches back to normal). None while results are missing."""
    defective = tally.defective()
    inspected = tally.inspected(characteristics)
    basis = (
        f"{defective} defective in {inspected} of {plan.sample_size} samples "
        f"({plan.severity}, code {plan.code_letter}, AQL {plan.aql}: "
        f"accept {plan.accept_number}, reject {plan.reject_number})"
    )
    if defective >= plan.reject_number:
        return ReceiptDecision(
            decision=Decision.REJECT,
            accepted_quantity=Decimal(0),
            rejected_quantity=quantity,
            basis=basis,
        )
    if inspected >= plan.sample_size:
        return ReceiptDecision(
            decision=Decision.ACCEPT,
            accepted_quantity=quantity,
            rejected_quantity=Decimal(0),
            basis=basis,
        )
    return None


def record_result(
    tally: Tally, event_id: str, sample_id: str, characteristic: str, passed: bool
) -> bool:
    """Add one result; False if this delivery was seen before (QMS may send it twice)."""
    if event_id in tally.event_ids:
        tally.duplicates += 1
        return False
    tally.event_ids.append(event_id)
    tally.results.setdefault(sample_id, {})[characteristic] = passed
    return True


def verified_tally(tally: Tally, recorded: list[InspectionResult]) -> list[str]:
    """Replace the reported results with those QMS holds for the lot (the system of record);
    returns what was reported but not confirmed, to be recorded as refused."""
    truth: dict[str, dict[str, bool]] = {}
    for result in recorded:
        truth.setdefault(result.sample_id, {})[result.characteristic_id] = result.passed
    refused = []
    for sample, results in tally.results.items():
        for characteristic, passed in results.items():
            held = truth.get(sample, {}).get(characteristic)
            verdict = "pass" if passed else "FAIL"
            if held is None:
                refused.append(f"{characteristic} sample {sample} ({verdict}): QMS has no result")
            elif held != passed:
                qms_verdict = "pass" if held else "FAIL"
                refused.append(
                    f"{characteristic} sample {sample} ({verdict}): QMS records {qms_verdict}"
                )
    tally.results = truth
    return refused
