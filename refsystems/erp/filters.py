"""OData V2 ``$filter`` as SAP Gateway takes it: ``eq ne gt ge lt le``, ``and or not``,
parentheses, ``startswith``, ``endswith``, ``substringof`` (alone or compared with
``true``/``false``), and string, number, Boolean, ``null`` and ``datetime'...'`` literals.

Hand-written (a small recursive-descent parser) because no maintained Python package parses
OData V2 filters for a server; anything else is refused with SAP's code for an unsupported
query option.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from refsystems.erp.errors import ErpError

UNSUPPORTED = "/IWBEP/CM_MGW_RT/022"
_TOKEN = re.compile(
    r"\s*(?:(?P<str>(?:datetime|guid)?'(?:[^']|'')*')|(?P<punct>[(),])|(?P<word>[^\s(),']+))"
)
_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}
FUNCTIONS = {"startswith", "endswith", "substringof"}

Data = dict[str, Any]
Predicate = Callable[[Data], bool]


@dataclass(frozen=True)
class Filter:
    names: frozenset[str]
    matches: Predicate
    # ``name eq literal`` terms every match must satisfy (the top-level conjunction's), so a
    # database can narrow the rows first; ``only_equalities``: they are the whole filter.
    equalities: tuple[tuple[str, Any], ...] = ()
    only_equalities: bool = False


@dataclass(frozen=True)
class _Equality:
    """A ``name eq literal`` comparison that also says what it compares."""

    name: str
    expected: Any
    check: Predicate

    def __call__(self, data: Data) -> bool:
        return self.check(data)


@dataclass(frozen=True)
class _AllOf:
    terms: tuple[Predicate, ...]

    def __call__(self, data: Data) -> bool:
        return all(term(data) for term in self.terms)


def parse_filter(text: str) -> Filter:
    parser = _Parser(_tokens(text), text)
    predicate = parser.expression()
    if parser.pos != len(parser.tokens):
        parser.fail()
    terms = predicate.terms if isinstance(predicate, _AllOf) else (predicate,)
    equalities = tuple((t.name, t.expected) for t in terms if isinstance(t, _Equality))
    return Filter(frozenset(parser.names), predicate, equalities, len(equalities) == len(terms))


def _tokens(text: str) -> list[str]:
    tokens, pos = [], 0
    while pos < len(text.rstrip()):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ErpError(UNSUPPORTED, f"Invalid $filter at '{text[pos:]}'")
        tokens.append(match.group(match.lastgroup or "word"))
        pos = match.end()
    return tokens


def _value(token: str) -> Any:
    """A literal's value: str, bool, None, Decimal or an aware datetime."""
    if token.startswith("datetime'"):
        try:
            return datetime.fromisoformat(token[9:-1]).replace(tzinfo=UTC)
        except ValueError:
            raise ErpError(UNSUPPORTED, f"Invalid datetime literal {token}") from None
    if token.startswith("guid'"):
        return token[5:-1].lower()
    if token.startswith("'"):
        return token[1:-1].replace("''", "'")
    lowered = token.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    try:
        return Decimal(token.rstrip("mMdDfFlL"))
    except InvalidOperation:
        raise ErpError(UNSUPPORTED, f"Invalid literal '{token}' in $filter") from None


def _comparable(actual: Any, expected: Any) -> tuple[Any, Any]:
    """The property's JSON value in the literal's type (Edm.Decimal strings as numbers,
    ``/Date(ms)/`` as datetimes), so both sides compare."""
    if isinstance(expected, bool) or expected is None or actual is None:
        return actual, expected
    if isinstance(expected, Decimal):
        try:
            return Decimal(str(actual)), expected
        except InvalidOperation:
            return str(actual), str(expected)
    if isinstance(expected, datetime):
        match = _DATE.match(str(actual))
        when = datetime.fromtimestamp(int(match.group(1)) / 1000, UTC) if match else None
        return when, expected
    return str(actual), expected


def _compare(name: str, op: str, expected: Any) -> Predicate:
    def check(data: Data) -> bool:
        actual, wanted = _comparable(data.get(name), expected)
        if op in ("eq", "ne"):
            return COMPARISONS[op](actual, wanted)
        if actual is None or wanted is None:
            return False
        try:
            return COMPARISONS[op](actual, wanted)
        except TypeError:
            return False

    return check


class _Parser:
    def __init__(self, tokens: list[str], text: str):
        self.tokens, self.text, self.pos = tokens, text, 0
        self.names: set[str] = set()

    def fail(self) -> None:
        rest = " ".join(self.tokens[self.pos :]) or "the end"
        raise ErpError(UNSUPPORTED, f"Unsupported $filter at '{rest}' in '{self.text}'")

    def peek(self) -> str:
        return self.tokens[self.pos].lower() if self.pos < len(self.tokens) else ""

    def take(self, expected: str | None = None) -> str:
        if self.pos >= len(self.tokens) or (expected and self.peek() != expected):
            self.fail()
        self.pos += 1
        return self.tokens[self.pos - 1]

    def expression(self) -> Predicate:
        terms = [self.conjunction()]
        while self.peek() == "or":
            self.take()
            terms.append(self.conjunction())
        return terms[0] if len(terms) == 1 else lambda d: any(t(d) for t in terms)

    def conjunction(self) -> Predicate:
        terms = [self.negation()]
        while self.peek() == "and":
            self.take()
            terms.append(self.negation())
        return terms[0] if len(terms) == 1 else _AllOf(tuple(terms))

    def negation(self) -> Predicate:
        if self.peek() == "not":
            self.take()
            inner = self.negation()
            return lambda d: not inner(d)
        return self.primary()

    def primary(self) -> Predicate:
        if self.peek() == "(":
            self.take()
            inner = self.expression()
            self.take(")")
            return inner
        if self.peek() in FUNCTIONS:
            return self.function()
        name = self.take()
        if not re.fullmatch(r"[A-Za-z_]\w*", name) or self.peek() not in COMPARISONS:
            self.pos -= 1
            self.fail()
        self.names.add(name)
        op = self.take().lower()
        expected = _value(self.take())
        check = _compare(name, op, expected)
        return _Equality(name, expected, check) if op == "eq" else check

    def function(self) -> Predicate:
        function = self.take().lower()
        self.take("(")
        first = self.take()
        self.take(",")
        second = self.take()
        self.take(")")
        name, text = (second, first) if function == "substringof" else (first, second)
        self.names.add(name)
        needle = str(_value(text))
        tests: dict[str, Callable[[str], bool]] = {
            "startswith": lambda value: value.startswith(needle),
            "endswith": lambda value: value.endswith(needle),
            "substringof": lambda value: needle in value,
        }
        test = tests[function]

        def call(data: Data) -> bool:
            return test(str(data.get(name) or ""))

        if self.peek() in ("eq", "ne"):
            negate = self.take().lower() == "ne"
            wanted = _value(self.take())
            if not isinstance(wanted, bool):
                self.fail()
            return lambda d: (call(d) == wanted) != negate
        return call
