"""Process 3: finished goods release, one saga per finished lot."""


def workflow_id(plant: str, item_id: str, lot_id: str) -> str:
    return f"finished-goods-release-{plant}-{item_id}-{lot_id}"
