"""Process 1: production order to quality release."""


def workflow_id(plant: str, order_id: str) -> str:
    """One saga per order: the business key is the id, so a repeated trigger finds it."""
    return f"production-order-{plant}-{order_id}"
