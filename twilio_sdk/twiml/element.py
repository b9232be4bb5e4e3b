"""The generic TwiML element: building, nesting checks, reading and XML output.

One :class:`Element` class serves every dialect; builder methods such as ``response.dial()``
or ``dial.number()`` are looked up in the element's :class:`~twilio_sdk.twiml.dialect.Dialect`
table, and the nesting rules come from the same table.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element as ETElement

    from twilio_sdk.twiml.dialect import Dialect, Kind

__all__ = [
    "Element",
    "GenericElement",
    "TwiMLError",
    "TwiMLNestingError",
    "attribute_name",
    "format_value",
]

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

# Python keyword arguments that cannot be spelled as the attribute they stand for.
_SPECIAL_NAMES = {
    "from_": "from",
    "for_": "for",
    "break_": "break",
    "xml_lang": "xml:lang",
    "interpret_as": "interpret-as",
}


class TwiMLError(ValueError):
    """TwiML that cannot be built or parsed."""


class TwiMLNestingError(TwiMLError, AttributeError):
    """An element placed where TwiML does not allow it (also an ``AttributeError``)."""


@functools.lru_cache(maxsize=1024)
def attribute_name(name: str) -> str:
    """Map a Python keyword to its TwiML attribute: ``num_digits`` -> ``numDigits``."""
    special = _SPECIAL_NAMES.get(name)
    if special is not None:
        return special
    if "_" not in name:
        return name
    joined = "".join(part.title() for part in name.split("_"))
    if not joined:
        raise TwiMLError(f"{name!r} is not a usable attribute name")
    return joined[0].lower() + joined[1:]


def format_value(value: Any) -> str:
    """Render an attribute value: booleans as ``true``/``false``, lists space-separated."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (list, tuple)):
        return " ".join(format_value(item) for item in value)
    return str(value)


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attr(text: str) -> str:
    text = _escape_text(text).replace('"', "&quot;")
    return text.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")


class Element:
    """A TwiML element: ``name``, ``attrs`` (TwiML names), text ``value``, child ``verbs``.

    Builder methods (``response.say(...)``, ``dial.number(...)``) come from the dialect table
    and append the new child, returning it. ``str(element)`` is the XML with a declaration.
    """

    __slots__ = ("name", "value", "attrs", "verbs", "tail")

    kind: ClassVar[Kind | None] = None
    dialect: ClassVar[Dialect | None] = None

    name: str
    value: Any
    attrs: dict[str, Any]
    verbs: list[Element]
    tail: str | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        k = type(self).kind
        if k is None:
            raise TypeError("Element is abstract; use a dialect class or GenericElement")
        text, attrs = k.bind(args, kwargs)
        self._setup(k.tag, text, attrs)

    def _setup(self, name: str, value: Any, attrs: dict[str, Any]) -> None:
        self.name = name
        self.value = value
        self.attrs = attrs
        self.verbs = []
        self.tail = None

    @classmethod
    def _make(cls, name: str, value: Any, attrs: dict[str, Any]) -> Element:
        element = cls.__new__(cls)
        element._setup(name, value, attrs)
        return element

    # -- building ------------------------------------------------------------------

    def __getattr__(self, method: str) -> Callable[..., Element]:
        k, dialect = type(self).kind, type(self).dialect
        if method.startswith("__") or k is None or dialect is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {method!r}")
        child = dialect.child_by_method(k, method)
        if child is not None:
            return functools.partial(self._build, child)
        if method in dialect.methods:
            tag = next(c.tag for c in dialect.kinds.values() if c.method == method and c.name != "Response")
            raise dialect.nesting_error(self.name, tag)
        raise AttributeError(f"<{self.name}> has no builder method {method!r}")

    def __dir__(self) -> list[str]:
        names = list(super().__dir__())
        k, dialect = type(self).kind, type(self).dialect
        if k is not None and dialect is not None:
            names += [dialect.kinds[c].method for c in k.children]
        return names

    def _build(self, child: Kind, *args: Any, **kwargs: Any) -> Element:
        assert self.dialect is not None
        element = self.dialect.element_class(child.name)(*args, **kwargs)
        self.verbs.append(element)
        return element

    def _check_child(self, child: Element) -> None:
        k, dialect = type(self).kind, type(self).dialect
        if k is None or dialect is None:
            return
        if dialect.child_by_tag(k, child.name) is not None:
            return
        if child.kind is None and child.name not in dialect.tags:
            return  # an element this library does not know: allowed anywhere, as officially
        raise dialect.nesting_error(self.name, child.name)

    def append(self, verb: Element) -> Element:
        """Add ``verb`` as the last child; return ``self``."""
        if not isinstance(verb, Element):
            raise TypeError(f"can only append TwiML elements, not {type(verb).__name__}")
        self._check_child(verb)
        self.verbs.append(verb)
        return self

    def nest(self, verb: Element) -> Element:
        """Add ``verb`` as the last child; return ``verb``."""
        self.append(verb)
        return verb

    def add_child(self, name: str, value: Any = None, **kwargs: Any) -> Element:
        """Add an arbitrary element; a tag the dialect knows must still be allowed here."""
        attrs = {attribute_name(key): v for key, v in kwargs.items() if v is not None}
        k, dialect = type(self).kind, type(self).dialect
        child_kind = dialect.child_by_tag(k, name) if k is not None and dialect is not None else None
        if child_kind is not None and dialect is not None:
            element = dialect.element_class(child_kind.name)._make(name, value, attrs)
        else:
            element = GenericElement._make(name, value, attrs)
        return self.nest(element)

    def __enter__(self) -> Element:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    # -- reading -------------------------------------------------------------------

    @property
    def children(self) -> list[Element]:
        return self.verbs

    @property
    def text(self) -> str:
        """The element's own text ('' when there is none)."""
        return "" if self.value is None else str(self.value)

    def get(self, attribute: str, default: Any = None) -> Any:
        """An attribute by its TwiML name (``"numDigits"``)."""
        return self.attrs.get(attribute, default)

    def find(self, name: str) -> Element | None:
        """The first direct child named ``name``."""
        return next((child for child in self.verbs if child.name == name), None)

    def find_all(self, name: str) -> list[Element]:
        """Every direct child named ``name``."""
        return [child for child in self.verbs if child.name == name]

    def iter(self) -> Iterator[Element]:
        """This element and all descendants, depth first."""
        yield self
        for child in self.verbs:
            yield from child.iter()

    # -- output --------------------------------------------------------------------

    def _write(self, out: list[str]) -> None:
        out.append("<" + self.name)
        for key in sorted(self.attrs):
            value = self.attrs[key]
            if value is not None:
                out.append(f' {key}="{_escape_attr(format_value(value))}"')
        text = None if self.value is None or self.value == "" else str(self.value)
        if text is None and not self.verbs:
            out.append(" />")
        else:
            out.append(">")
            if text is not None:
                out.append(_escape_text(text))
            for child in self.verbs:
                child._write(out)
            out.append(f"</{self.name}>")
        if self.tail:
            out.append(_escape_text(self.tail))

    def to_xml(self, xml_declaration: bool = True) -> str:
        """The element as TwiML text."""
        out = [XML_DECLARATION] if xml_declaration else []
        self._write(out)
        return "".join(out)

    def __str__(self) -> str:
        return self.to_xml()

    def __repr__(self) -> str:
        attrs = "".join(f" {key}={value!r}" for key, value in self.attrs.items())
        text = f" value={self.value!r}" if self.value not in (None, "") else ""
        return f"<{self.name}{attrs}{text} children={len(self.verbs)}>"

    def xml(self) -> ETElement:
        """The element as an ``xml.etree.ElementTree.Element`` (as the official package offers)."""
        from xml.etree.ElementTree import Element as ETElement
        from xml.etree.ElementTree import SubElement

        def convert(node: Element, into: ETElement | None) -> ETElement:
            attrib = {key: format_value(v) for key, v in sorted(node.attrs.items()) if v is not None}
            et = ETElement(node.name, attrib) if into is None else SubElement(into, node.name, attrib)
            et.text = None if node.value is None or node.value == "" else str(node.value)
            et.tail = node.tail
            for child in node.verbs:
                convert(child, et)
            return et

        return convert(self, None)


class GenericElement(Element):
    """An element the tables do not describe (``add_child`` with an unknown tag)."""

    __slots__ = ()

    def __init__(self, name: str, value: Any = None, **kwargs: Any) -> None:
        attrs = {attribute_name(key): v for key, v in kwargs.items() if v is not None}
        self._setup(name, value, attrs)
