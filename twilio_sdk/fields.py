"""A resource's response fields, resolved once: attribute name -> (JSON key, converter)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from twilio_sdk.naming import attr_name
from twilio_sdk.serialize import DATE_TYPES, DECIMAL_TYPES, parse_date, parse_decimal

if TYPE_CHECKING:
    from twilio_sdk.spec import ResourceSpec

Converter = Callable[[Any], Any]


class FieldTable:
    """How an instance of one resource reads its fields.

    ``lookup`` maps every declared field's attribute (``from_`` for ``from``) to its JSON key
    and converter (``None``: the JSON value as is); ``lazy`` are the JSON keys converted on
    first read; ``renamed`` pairs a plain field's JSON key with its different attribute.
    """

    __slots__ = ("lookup", "lazy", "renamed")

    def __init__(self, fields: dict[str, str]) -> None:
        self.lookup: dict[str, tuple[str, Converter | None]] = {}
        lazy: list[str] = []
        renamed: list[tuple[str, str]] = []
        for key, kind in fields.items():
            convert = converter(kind)
            attr = attr_name(key)
            self.lookup[attr] = (key, convert)
            if convert is not None:
                lazy.append(key)
            elif attr != key:
                renamed.append((key, attr))
        self.lazy = tuple(lazy)
        self.renamed = tuple(renamed)


def converter(kind: str) -> Converter | None:
    """The function turning a JSON value of compact type ``kind`` into its Python value."""
    if kind in DATE_TYPES:
        return lambda value: parse_date(value, kind)
    if kind in DECIMAL_TYPES:
        return parse_decimal
    return None


_tables: dict[ResourceSpec, FieldTable] = {}


def table(res: ResourceSpec) -> FieldTable:
    """The field table of ``res``, built on first use (a loaded description lives as long
    as the process, so does its table)."""
    found = _tables.get(res)
    if found is None:
        found = _tables[res] = FieldTable(res.fields)
    return found
