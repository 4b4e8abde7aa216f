"""Process 2: supplier receipt inspection, one saga per received lot."""


def workflow_id(plant: str, item_id: str, lot_id: str) -> str:
    """The received lot is the business key: a repeated receipt event finds this saga."""
    return f"receipt-inspection-{plant}-{item_id}-{lot_id}"
