"""The OData V2 protocol surface: envelopes, query options, key predicates, parameters.

Only what S/4HANA clients (our adapter, pyodata) use against this subset: ``$filter``
(filters.py), ``$orderby``, ``$top``, ``$skip``, ``$select``, ``$expand``,
``$inlinecount=allpages``, ``/$count``, service documents and ``$metadata``.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import TypeAdapter
from sqlalchemy import Boolean, ColumnElement, String, TypeDecorator, false, func
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from refsystems.erp import SERVICE_ROOT
from refsystems.erp.batch import run_batch
from refsystems.erp.errors import ErpError, bad_request
from refsystems.erp.etags import etag_of
from refsystems.erp.filters import Filter, parse_filter
from refsystems.erp.s4.properties import (
    metadata_with_tables,
    properties,
    table,
    with_initial_values,
)
from refsystems.erp.schemas.entities import ODataEntity

METADATA_DIR = Path(__file__).resolve().parent / "metadata"
_LITERAL = re.compile(r"^(?:[A-Za-z]+)?'((?:[^']|'')*)'$")
_KEY_PAIR = re.compile(r"\s*(\w+)\s*=\s*((?:\w+)?'(?:[^']|'')*'|[^,']+?)\s*(?:,|$)")

Expander = Callable[[ODataEntity, str], Sequence[ODataEntity]]


def literal(text: str) -> str:
    """``'10''00'`` -> ``10'00``; ``datetime'2026-01-01'`` -> ``2026-01-01``; bare stays."""
    text = text.strip()
    match = _LITERAL.match(text)
    return match.group(1).replace("''", "'") if match else text


def parse_key(raw: str, names: tuple[str, ...], entity_set: str) -> dict[str, str]:
    """A key predicate's inside (``'1000001'`` or ``A='1',B='2'``) as ``{name: value}``."""
    if len(names) == 1 and not re.match(r"^\s*\w+\s*=", raw):
        return {names[0]: literal(raw)}
    values: dict[str, str] = {}
    pos = 0
    while pos < len(raw):
        match = _KEY_PAIR.match(raw, pos)
        if not match or match.end() == pos:
            raise bad_request(f"Invalid key predicate for {entity_set}: ({raw})")
        values[match.group(1)] = literal(match.group(2))
        pos = match.end()
    if set(values) != set(names):
        raise bad_request(f"Key of {entity_set} is ({', '.join(names)}); got ({raw})")
    return values


def _order(value: str | None) -> list[tuple[str, bool]]:
    """``$orderby=A desc,B`` -> ``[("A", True), ("B", False)]``."""
    order = []
    for part in _names(value):
        name, _, direction = part.partition(" ")
        if direction.strip().lower() not in ("", "asc", "desc"):
            raise ErpError("/IWBEP/CM_MGW_RT/022", f"Invalid $orderby '{part}'")
        order.append((name, direction.strip().lower() == "desc"))
    return order


def _sort_key(value: Any) -> tuple[int, Any]:
    """Nulls first; Edm.Decimal strings as numbers."""
    if value is None:
        return (0, "")
    try:
        return (1, Decimal(str(value)))
    except InvalidOperation:
        return (2, str(value))


def _names(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@dataclass
class QueryOptions:
    filter: Filter | None = None
    orderby: list[tuple[str, bool]] = field(default_factory=list)  # (property, descending)
    top: int | None = None
    skip: int = 0
    select: list[str] = field(default_factory=list)
    expand: list[str] = field(default_factory=list)
    inlinecount: bool = False


def query_options(
    filter_: Annotated[str | None, Query(alias="$filter")] = None,
    orderby: Annotated[str | None, Query(alias="$orderby")] = None,
    top: Annotated[int | None, Query(alias="$top", ge=0)] = None,
    skip: Annotated[int, Query(alias="$skip", ge=0)] = 0,
    select: Annotated[str | None, Query(alias="$select")] = None,
    expand: Annotated[str | None, Query(alias="$expand")] = None,
    inlinecount: Annotated[str | None, Query(alias="$inlinecount")] = None,
    format_: Annotated[str | None, Query(alias="$format")] = None,
) -> QueryOptions:
    if format_ not in (None, "json"):
        raise ErpError("/IWBEP/CM_MGW_RT/022", "Only $format=json is served")
    if inlinecount not in (None, "allpages", "none"):
        raise ErpError("/IWBEP/CM_MGW_RT/022", f"Invalid $inlinecount '{inlinecount}'")
    return QueryOptions(
        filter=parse_filter(filter_) if filter_ else None,
        orderby=_order(orderby),
        top=top,
        skip=skip,
        select=_names(select),
        expand=_names(expand),
        inlinecount=inlinecount == "allpages",
    )


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def entity_json(
    request: Request,
    entity: ODataEntity,
    opts: QueryOptions | None = None,
    expander: Expander | None = None,
) -> dict[str, Any]:
    """One entity as SAP writes it: ``__metadata``, properties, deferred or expanded links."""
    opts = opts or QueryOptions()
    uri = f"{base_url(request)}{SERVICE_ROOT}/{entity.SERVICE}/{entity.ENTITY_SET}"
    uri += entity.key_predicate()
    body: dict[str, Any] = {
        "__metadata": {"id": uri, "uri": uri, "type": f"{entity.SERVICE}.{entity.ENTITY_SET}Type"}
    }
    if entity.ETAG:
        body["__metadata"]["etag"] = etag_of(entity)
    data = entity_data(entity)
    body.update({k: v for k, v in data.items() if not opts.select or k in opts.select})
    for nav in entity.NAVIGATION:
        if nav in opts.expand and expander is not None:
            children = [entity_json(request, child) for child in expander(entity, nav)]
            body[nav] = {"results": children}
        elif not opts.select:
            body[nav] = {"__deferred": {"uri": f"{uri}/{nav}"}}
    return body


def _check_names(kind: type[ODataEntity], opts: QueryOptions) -> None:
    props = set(kind.model_fields) | {p.name for p in properties(kind.SERVICE, kind.ENTITY_SET)}
    filtered = sorted(opts.filter.names) if opts.filter else []
    for name in filtered + opts.select + [name for name, _ in opts.orderby]:
        if name not in props:
            raise bad_request(f"Property '{name}' not found in type '{kind.ENTITY_SET}Type'")
    for nav in opts.expand:
        if nav not in kind.NAVIGATION:
            raise bad_request(f"Navigation property '{nav}' not found in '{kind.ENTITY_SET}Type'")


def select_rows(
    kind: type[ODataEntity], rows: Sequence[ODataEntity], opts: QueryOptions
) -> tuple[list[ODataEntity], int]:
    """Apply $filter, then $skip/$top; also returns the count before paging."""
    _check_names(kind, opts)
    matches = opts.filter.matches if opts.filter else None
    matching = [row for row in rows if matches is None or matches(entity_data(row))]
    for name, descending in reversed(opts.orderby):  # stable sorts, last key first
        matching.sort(key=lambda row: _sort_key(entity_data(row)[name]), reverse=descending)
    end = None if opts.top is None else opts.skip + opts.top
    return matching[opts.skip : end], len(matching)


@cache
def _json_value(kind: type[ODataEntity], name: str) -> TypeAdapter[Any]:
    """How the entity writes one property in JSON (a Flag's True is "X")."""
    info = kind.model_fields[name]
    annotation: Any = info.annotation
    if not info.metadata:
        return TypeAdapter(annotation)
    return TypeAdapter(Annotated[annotation, *info.metadata])  # type: ignore[arg-type]


def _sql_condition(
    kind: type[ODataEntity], table: Any, name: str, value: Any
) -> ColumnElement[bool] | None:
    """``name eq value`` as SQL, when it means the same there as in Python: a string column
    against a string, or a boolean column (a Flag) against what its JSON would be. None: the
    condition is checked in Python (computed properties, decimals, dates)."""
    column = table.__table__.columns.get(name)
    if column is None:
        return None
    as_json = _json_value(kind, name)
    stored = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(stored, String) and isinstance(value, str):
        if as_json.dump_python("probe", mode="json") != "probe":
            return None
        comparison: ColumnElement[bool] = column == value
        return comparison
    if isinstance(stored, Boolean):
        matching = [b for b in (True, False) if as_json.dump_python(b, mode="json") == value]
        if not matching:
            return false()
        if len(matching) == 1:
            comparison = column == matching[0]
            return comparison
    return None


def sql_page(
    kind: type[ODataEntity],
    statement: SelectOfScalar[Any],
    opts: QueryOptions,
    session: Session,
    need_count: bool,
) -> tuple[list[ODataEntity], int]:
    """$filter, $skip, $top and the count done by the database, so a read costs what its
    result costs, not what the table holds. The filter's top-level ``eq`` terms narrow the rows
    in SQL; whatever SQL cannot say the same way (other operators, computed properties,
    decimals, dates, $orderby) is then checked in Python on the narrowed rows."""
    _check_names(kind, opts)
    table = statement.column_descriptions[0]["entity"]
    in_python = bool(opts.orderby) or (opts.filter is not None and not opts.filter.only_equalities)
    for name, value in opts.filter.equalities if opts.filter else ():
        condition = _sql_condition(kind, table, name, value)
        if condition is None:
            in_python = True
        else:
            statement = statement.where(condition)
    if in_python:
        rows = [kind.model_validate(row) for row in session.exec(statement)]
        return select_rows(kind, rows, opts)
    count = -1
    if need_count:
        counting = select(func.count()).select_from(statement.order_by(None).subquery())
        count = session.exec(counting).one()
    statement = statement.offset(opts.skip)
    if opts.top is not None:
        statement = statement.limit(opts.top)
    return [kind.model_validate(row) for row in session.exec(statement)], count


def collection(
    request: Request,
    kind: type[ODataEntity],
    rows: Sequence[ODataEntity],
    opts: QueryOptions,
    expander: Expander | None = None,
) -> dict[str, Any]:
    page, count = select_rows(kind, rows, opts)
    return page_json(request, page, count, opts, expander)


def page_json(
    request: Request,
    page: Sequence[ODataEntity],
    count: int,
    opts: QueryOptions,
    expander: Expander | None = None,
) -> dict[str, Any]:
    result: dict[str, Any] = {"results": [entity_json(request, r, opts, expander) for r in page]}
    if opts.inlinecount:
        result["__count"] = str(count)
    return {"d": result}


def single(
    request: Request,
    kind: type[ODataEntity],
    entity: ODataEntity,
    opts: QueryOptions | None = None,
    expander: Expander | None = None,
) -> dict[str, Any]:
    opts = opts or QueryOptions()
    _check_names(kind, opts)
    return {"d": entity_json(request, entity, opts, expander)}


def count_response(
    kind: type[ODataEntity], rows: Sequence[ODataEntity], opts: QueryOptions
) -> Response:
    _, count = select_rows(kind, rows, QueryOptions(filter=opts.filter))
    return Response(str(count), media_type="text/plain")


def function_param(request: Request, name: str) -> str:
    """A function import parameter: ``?ManufacturingOrder='1000001'``."""
    raw = request.query_params.get(name)
    if raw is None or not literal(raw):
        raise bad_request(f"Function import parameter '{name}' is missing")
    return literal(raw)


def datetime_param(request: Request, name: str) -> datetime | None:
    """An optional ``Edm.DateTime`` parameter: ``?PostingDate=datetime'2026-03-01T00:00:00'``."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return datetime.fromisoformat(literal(raw))
    except ValueError:
        raise bad_request(f"Function import parameter '{name}' is not an Edm.DateTime") from None


@cache
def _metadata_xml(service: str) -> bytes:
    return metadata_with_tables(service, (METADATA_DIR / f"{service}.xml").read_bytes())


def entity_data(entity: ODataEntity) -> dict[str, Any]:
    """The entity's properties as JSON values: S/4HANA's every property where the service
    has a property table (initial values where the reference ERP keeps nothing)."""
    data = entity.model_dump(mode="json")
    return with_initial_values(entity.SERVICE, entity.ENTITY_SET, data)


def service_router(service: str, entity_sets: list[str]) -> APIRouter:
    """A router for one service root, with its service document and ``$metadata``."""
    router = APIRouter(prefix=f"{SERVICE_ROOT}/{service}", tags=[service])
    # S/4's other entity sets of the service are served empty (entity_sets.add_unkept_sets).
    every_set = entity_sets + [name for name in table(service) if name not in entity_sets]

    @router.get("/")
    def service_document() -> dict[str, Any]:
        return {"d": {"EntitySets": every_set}}

    @router.get("/$metadata")
    def metadata() -> Response:
        return Response(_metadata_xml(service), media_type="application/xml")

    @router.post("/$batch", status_code=202)
    async def batch(request: Request) -> Response:
        """Reads and change sets in one multipart/mixed request (batch.py)."""
        return await run_batch(request, service)

    return router
