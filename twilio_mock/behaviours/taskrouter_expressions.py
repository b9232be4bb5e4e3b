"""A documented subset of TaskRouter's expression language (workflow filters, target
expressions, a TaskQueue's ``TargetWorkers``), parsed once and evaluated against attributes.

Supported: ``1==1``; comparisons ``==``, ``!=``, ``>``, ``>=``, ``<``, ``<=`` between an
attribute path (``skills``, ``task.type``, ``worker.languages``), a string (``"x"`` or
``'x'``), a number, ``true``/``false`` or a list (``["a", "b"]``); ``HAS`` / ``CONTAINS``
(a list attribute holds a value), ``IN`` / ``NOT IN`` (a value is in a list); ``AND`` / ``&&``,
``OR`` / ``||`` and parentheses. Anything else is an :class:`ExpressionError` (the API answers
400; Twilio's exact code for a bad expression is unconfirmed). A missing attribute compares
false. Bare paths refer to the expression's default object (the task in a workflow filter, the
worker in ``TargetWorkers`` and target expressions); ``task.`` and ``worker.`` name one.
"""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(
    r"""\s*(?:
    (?P<num>-?\d+(?:\.\d+)?)
    |"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'
    |(?P<op>==|!=|>=|<=|>|<|&&|\|\||\(|\)|\[|\]|,)
    |(?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    )""",
    re.VERBOSE,
)
_COMPARE = ("==", "!=", ">", ">=", "<", "<=", "HAS", "CONTAINS", "IN", "NOT IN")
_MISSING = object()
Node = tuple[Any, ...]


class ExpressionError(ValueError):
    """An expression outside the supported subset."""


def _tokens(text: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ExpressionError(f"cannot read {text[pos:]!r}")
        pos = match.end()
        if match.group("num") is not None:
            number = match.group("num")
            out.append(("value", float(number) if "." in number else int(number)))
        elif match.group("dq") is not None or match.group("sq") is not None:
            out.append(("value", match.group("dq") if match.group("dq") is not None else match.group("sq")))
        elif match.group("op") is not None:
            out.append(("op", match.group("op")))
        else:
            word = match.group("word")
            upper = word.upper()
            if upper in ("AND", "OR", "HAS", "CONTAINS", "IN", "NOT"):
                out.append(("op", upper))
            elif upper in ("TRUE", "FALSE"):
                out.append(("value", upper == "TRUE"))
            else:
                out.append(("path", word))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, Any]:
        token = self.peek()
        if token is None:
            raise ExpressionError("the expression ends too early")
        self.pos += 1
        return token

    def either(self, names: tuple[str, ...], inner: Any, kind: str) -> Node:
        node: Node = inner()
        while (token := self.peek()) is not None and token[0] == "op" and token[1] in names:
            self.pos += 1
            node = (kind, node, inner())
        return node

    def expr(self) -> Node:
        return self.either(("OR", "||"), lambda: self.either(("AND", "&&"), self.compare, "and"), "or")

    def compare(self) -> Node:
        token = self.peek()
        if token == ("op", "("):
            self.pos += 1
            node = self.expr()
            if self.take() != ("op", ")"):
                raise ExpressionError("a ( is not closed")
            return node
        left = self.operand()
        kind, op = self.take()
        if kind == "op" and op == "NOT":
            if self.take() != ("op", "IN"):
                raise ExpressionError("NOT must be followed by IN")
            op = "NOT IN"
        if kind != "op" or op not in _COMPARE:
            raise ExpressionError(f"expected a comparison, found {op!r}")
        return ("cmp", op, left, self.operand())

    def operand(self) -> Node:
        kind, value = self.take()
        if kind in ("value", "path"):
            return (kind, value)
        if (kind, value) == ("op", "["):
            items: list[Any] = []
            while self.peek() != ("op", "]"):
                item_kind, item = self.take()
                if item_kind != "value":
                    raise ExpressionError("a list holds strings, numbers or booleans")
                items.append(item)
                if self.peek() == ("op", ","):
                    self.pos += 1
            self.pos += 1
            return ("value", items)
        raise ExpressionError(f"unexpected {value!r}")


def parse(text: str) -> Node:
    """The expression as a tree; ``ExpressionError`` outside the subset."""
    parser = _Parser(str(text))
    node = parser.expr()
    if parser.peek() is not None:
        raise ExpressionError(f"unexpected {parser.peek()[1]!r}")  # type: ignore[index]
    return node


def _resolve(path: str, scopes: dict[str, dict[str, Any]], default: str) -> Any:
    head, _, rest = path.partition(".")
    if head in scopes and rest:
        value: Any = scopes[head]
        parts = rest.split(".")
    else:
        value, parts = scopes.get(default, {}), path.split(".")
    for part in parts:
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _value(node: Node, scopes: dict[str, dict[str, Any]], default: str) -> Any:
    return _resolve(node[1], scopes, default) if node[0] == "path" else node[1]


def evaluate(node: Node, scopes: dict[str, dict[str, Any]], default: str) -> bool:
    """Whether the attributes in ``scopes`` (``{"task": {...}, "worker": {...}}``) match."""
    if node[0] in ("and", "or"):
        left = evaluate(node[1], scopes, default)
        if node[0] == "and":
            return left and evaluate(node[2], scopes, default)
        return left or evaluate(node[2], scopes, default)
    _cmp, op, left_node, right_node = node
    left, right = _value(left_node, scopes, default), _value(right_node, scopes, default)
    if left is _MISSING or right is _MISSING:
        return False
    try:
        if op == "==":
            return bool(left == right)
        if op == "!=":
            return bool(left != right)
        if op in ("HAS", "CONTAINS"):
            return isinstance(left, (list, str)) and right in left
        if op in ("IN", "NOT IN"):
            inside = isinstance(right, (list, str)) and left in right
            return inside if op == "IN" else not inside
        return bool({">": left > right, ">=": left >= right, "<": left < right, "<=": left <= right}[op])
    except TypeError:  # comparing a number with a string
        return False
