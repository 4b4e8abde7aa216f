"""Optimistic locking as SAP Gateway does it for updatable entities: each carries an ETag
(``__metadata.etag``); an update must send it back in ``If-Match`` (``*`` to overwrite
whatever is there). Without one the answer is 428, with a stale one 412, and nothing
changes."""

import hashlib
import json

from fastapi import Request

from refsystems.erp.errors import ErpError
from refsystems.erp.schemas.base import ODataEntity

PRECONDITION_REQUIRED = "/IWBEP/CM_MGW_RT/PRECONDITION_REQUIRED"
PRECONDITION_FAILED = "/IWBEP/CM_MGW_RT/PRECONDITION_FAILED"


def etag_of(entity: ODataEntity) -> str:
    """A weak ETag over the entity's values: it changes whenever one of them does."""
    values = json.dumps(entity.model_dump(mode="json"), sort_keys=True, default=str)
    return f"W/\"'{hashlib.sha256(values.encode()).hexdigest()[:20]}'\""


def require_match(request: Request, current: ODataEntity) -> None:
    """Refuse an update whose If-Match is missing (428) or not the current ETag (412)."""
    sent = request.headers.get("if-match")
    if not sent:
        raise ErpError(
            PRECONDITION_REQUIRED,
            f"{current.ENTITY_SET} carries an ETag: send it in If-Match (or '*')",
            428,
        )
    tags = {tag.strip() for tag in sent.split(",")}
    if "*" not in tags and etag_of(current) not in tags:
        raise ErpError(
            PRECONDITION_FAILED,
            f"{current.ENTITY_SET}{current.key_predicate()} was changed since it was read: "
            "read it again",
            412,
        )
