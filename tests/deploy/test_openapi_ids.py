"""Each reference system's OpenAPI document (what `/docs` shows) is built without warnings:
no duplicate operation ids, no method OpenAPI does not know (SAP's MERGE is served, not
documented)."""

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gateway.webhook_auth import new_secret
from refsystems.erp.app import create_app as erp
from refsystems.lims.app import create_app as lims
from refsystems.mes.app import create_app as mes
from refsystems.qms.app import create_app as qms
from refsystems.supplier_portal.app import create_app as portal

OPENAPI_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.mark.parametrize("create", [erp, mes, qms, lims, portal])
def test_the_docs_have_unique_operation_ids(create: Callable[..., Any], tmp_path: Path) -> None:
    app = create(str(tmp_path / "system.db"), "http://127.0.0.1:9/webhooks", new_secret())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # FastAPI warns on a duplicate operation id
        document = app.openapi()
    ids = [
        operation["operationId"]
        for path in document["paths"].values()
        for method, operation in path.items()
        if method in OPENAPI_METHODS
    ]
    assert len(ids) == len(set(ids))
    assert {m for path in document["paths"].values() for m in path} <= OPENAPI_METHODS
