"""A resource's response fields, resolved once: attribute name -> (JSON key, converter)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_sdk._serialize import DATE_TYPES, DECIMAL_TYPES, date_parser, decimal_parser
from twilio_sdk.naming import attr_name

if TYPE_CHECKING:
    from collections.abc import Callable

    from twilio_sdk.spec import ResourceSpec

    Converter = Callable[[Any], Any]


class Field:
    """A field read through a descriptor: converted on first read and kept (dates,
    decimals), or read under another name (``from_`` for ``from``). A data descriptor, so
    it wins over the raw JSON value in the instance ``__dict__``."""

    __slots__ = ("name", "key", "convert")

    def __init__(self, name: str, key: str, convert: Converter | None) -> None:
        self.name = name
        self.key = key
        self.convert = convert

    def __get__(self, inst: Any, owner: Any = None) -> Any:
        if inst is None:
            return self
        done = inst._converted
        if done is None:
            done = inst._converted = {}
        elif self.name in done:
            return done[self.name]
        value = inst._data.get(self.key)
        if value is not None and self.convert is not None:
            value = self.convert(value)
        done[self.name] = value
        return value

    def __set__(self, inst: Any, value: Any) -> None:
        if inst._converted is None:
            inst._converted = {}
        inst._converted[self.name] = value


class FieldTable:
    """How instances of one resource read their fields: ``descriptors`` for the fields that
    need converting or renaming, ``declared`` for every field's attribute name."""

    __slots__ = ("descriptors", "declared")

    def __init__(self, fields: dict[str, str]) -> None:
        self.descriptors: dict[str, Field] = {}
        self.declared: frozenset[str] = frozenset(attr_name(key) for key in fields)
        parsers: dict[str, Converter] = {}
        for key, kind in fields.items():
            name = attr_name(key)
            convert = None
            if kind in DATE_TYPES or kind in DECIMAL_TYPES:
                convert = parsers.get(kind)
                if convert is None:
                    convert = parsers[kind] = date_parser(kind) if kind in DATE_TYPES else decimal_parser()
            if convert is not None or name != key:
                self.descriptors[name] = Field(name, key, convert)


_tables: dict[ResourceSpec, FieldTable] = {}


def table(res: ResourceSpec) -> FieldTable:
    """The field table of ``res``, built on first use (a loaded description lives as long
    as the process, so does its table)."""
    found = _tables.get(res)
    if found is None:
        found = _tables[res] = FieldTable(res.fields)
    return found
