"""A record returned by Twilio: attribute access by JSON field, dates parsed on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_sdk.serialize import DATE_TYPES, parse_date

if TYPE_CHECKING:
    from twilio_sdk.resource import Context, Version


class Instance:
    """One resource record. ``inst.from_`` reads the ``from`` field; ``to_dict()`` gives
    the JSON as received; ``fetch``/``update``/``delete`` and child lists go through the
    instance's context."""

    __slots__ = ("_version", "_key", "_data", "_path", "_cache")

    def __init__(self, version: Version, key: str, data: dict[str, Any], path: str | None) -> None:
        self._version = version
        self._key = key
        self._data = data
        self._path = path
        self._cache: dict[str, Any] | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        field = name[:-1] if name.endswith("_") and name[:-1] in self._data else name
        data = self._data
        if field in data:
            fields = self._version.spec.resource(self._key).fields
            kind = fields.get(field)
            value = data[field]
            if kind in DATE_TYPES and isinstance(value, str):
                cache = self._cache
                if cache is None:
                    cache = self._cache = {}
                if field not in cache:
                    cache[field] = parse_date(value, kind)
                return cache[field]
            return value
        res = self._version.spec.resource(self._key)
        if field in res.fields:
            return None
        return getattr(self._context, name)

    @property
    def _context(self) -> Context:
        from twilio_sdk.resource import Context

        if self._path is None:
            raise AttributeError(f"{self._label} has no instance path to act on")
        return Context(self._version, self._key, self._path, self._label)

    @property
    def _label(self) -> str:
        res = self._version.spec.resource(self._key)
        return f"{self._version.domain._name}.{self._version.name}.{res.mount}"

    def to_dict(self) -> dict[str, Any]:
        """The record as Twilio sent it (plain JSON values)."""
        return dict(self._data)

    @property
    def properties(self) -> dict[str, Any]:
        return self._data

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Instance) and other._key == self._key and other._data == self._data

    def __hash__(self) -> int:
        return hash((self._key, self._data.get("sid")))

    def __dir__(self) -> list[str]:
        from twilio_sdk.naming import attr_name

        res = self._version.spec.resource(self._key)
        names = {attr_name(f) for f in [*res.fields, *self._data]}
        if self._path is not None:
            names.update(self._context.__dir__())
        return sorted(names | {"to_dict", "properties"})

    def __repr__(self) -> str:
        shown = {k: self._data[k] for k in ("sid", "status") if self._data.get(k) is not None}
        if not shown:
            shown = dict(list(self._data.items())[:3])
        inner = " ".join(f"{k}={v}" for k, v in shown.items())
        return f"<twilio_sdk {self._label} {inner}>"
