"""A supplier's quality record per item: the Z1.4 switching state that plans each receipt."""


def workflow_id(supplier: str, item_id: str) -> str:
    return f"supplier-quality-{supplier}-{item_id}"
