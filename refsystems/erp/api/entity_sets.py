"""Read routes every entity set gets: the collection, ``/$count``, one entity by key, and
its navigation properties as sub-paths (``A_ProductionOrder_2('1')/to_...``)."""

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session
from sqlmodel.sql.expression import SelectOfScalar

from refsystems.erp.deps import Options, SessionDep
from refsystems.erp.errors import bad_request, not_found
from refsystems.erp.odata import (
    Expander,
    QueryOptions,
    collection,
    page_json,
    parse_key,
    select_rows,
    single,
    sql_page,
)
from refsystems.erp.s4.properties import properties, table
from refsystems.erp.schemas.entities import ENTITY_TYPES, ODataEntity

# A loader gives the rows, or better the query for them: then $filter, paging and counting
# run in SQL (indexed), not over every row read into models.
RowLoader = Callable[[Session], Sequence[Any] | SelectOfScalar[Any]]
KeyLoader = Callable[[Session, dict[str, str]], Any]
ExpanderFactory = Callable[[Session], Expander]


def add_entity_set(
    router: APIRouter,
    kind: type[ODataEntity],
    rows: RowLoader,
    one: KeyLoader | None = None,
    expander: ExpanderFactory | None = None,
) -> None:
    name = kind.ENTITY_SET

    def entities(items: Sequence[Any]) -> list[ODataEntity]:
        return [kind.model_validate(item) for item in items]

    def expand_with(session: Session) -> Expander | None:
        """Navigations to S/4 sets the reference ERP keeps nothing in lead to nothing."""
        if not kind.NAVIGATION:
            return None
        inner = expander(session) if expander else None

        def expand(entity: ODataEntity, nav: str) -> Sequence[ODataEntity]:
            if inner is None or kind.NAVIGATION.get(nav) not in ENTITY_TYPES:
                return []
            return inner(entity, nav)

        return expand

    def page(
        session: Session, opts: QueryOptions, need_count: bool
    ) -> tuple[Sequence[ODataEntity], int]:
        source = rows(session)
        if isinstance(source, SelectOfScalar):
            return sql_page(kind, source, opts, session, need_count)
        return select_rows(kind, entities(source), opts)

    @router.get(f"/{name}", summary=f"Read {name}")
    def read_collection(request: Request, session: SessionDep, opts: Options) -> dict[str, Any]:
        found, total = page(session, opts, opts.inlinecount)
        return page_json(request, found, total, opts, expand_with(session))

    @router.get(f"/{name}/$count", summary=f"Count {name}")
    def count(session: SessionDep, opts: Options) -> Response:
        _, total = page(session, QueryOptions(filter=opts.filter), need_count=True)
        return Response(str(total), media_type="text/plain")

    def by_key(session: Session, key: dict[str, str]) -> Any:
        """Every entity is addressable by its key (composite keys too), so every
        ``__metadata.uri`` resolves; sets without a keyed loader are searched."""
        if one is not None:
            return one(session, key)
        source = rows(session)
        found = list(session.exec(source)) if isinstance(source, SelectOfScalar) else source
        for entity in entities(found):
            if all(str(getattr(entity, k)) == v for k, v in key.items()):
                return entity
        raise not_found(name, "(" + ",".join(f"{k}='{v}'" for k, v in key.items()) + ")")

    @router.get(f"/{name}({{key}})", summary=f"Read one {name}")
    def read_one(key: str, request: Request, session: SessionDep, opts: Options) -> dict[str, Any]:
        entity = kind.model_validate(by_key(session, parse_key(key, kind.KEYS, name)))
        return single(request, kind, entity, opts, expand_with(session))

    if not kind.NAVIGATION:
        return

    @router.get(f"/{name}({{key}})/{{nav}}", summary=f"Navigate from {name}")
    def navigate(
        key: str, nav: str, request: Request, session: SessionDep, opts: Options
    ) -> dict[str, Any]:
        if nav not in kind.NAVIGATION:
            raise bad_request(f"Navigation property '{nav}' not found in '{name}Type'")
        entity = kind.model_validate(by_key(session, parse_key(key, kind.KEYS, name)))
        expand = expand_with(session)
        assert expand is not None
        children = expand(entity, nav)
        target = kind.NAVIGATION[nav]
        return collection(request, ENTITY_TYPES.get(target) or UNKEPT[target], children, opts)


# Entity sets of S/4's services the reference ERP keeps no data for, by name.
UNKEPT: dict[str, type[ODataEntity]] = {}


def unkept_kind(service: str, entity_set: str) -> type[ODataEntity]:
    """A model for an S/4 entity set the reference ERP keeps nothing in: its key from the
    property table (every other property is answered from the table as well)."""
    keys = tuple(prop.name for prop in properties(service, entity_set) if prop.key)
    namespace: dict[str, Any] = {
        "__annotations__": dict.fromkeys(keys, str),
        "SERVICE": service,
        "ENTITY_SET": entity_set,
        "KEYS": keys,
    }
    kind: type[ODataEntity] = type(f"{entity_set}Entity", (ODataEntity,), namespace)
    return kind


def add_unkept_sets(router: APIRouter, service: str) -> None:
    """Every entity set S/4 publishes in the service answers, as S/4 does where there is no
    data: an empty collection, a count of 0, and 404 for a key."""
    for entity_set in table(service):
        if entity_set in ENTITY_TYPES:
            continue
        kind = UNKEPT[entity_set] = unkept_kind(service, entity_set)
        add_entity_set(router, kind, rows=lambda _session: [])
