"""TwiML text -> a tree of elements, checked against the dialect's nesting rules.

The tree is made of the same classes the builders use (``VoiceResponse``, ``Say``, ...), so
``parse(str(response)).to_xml() == response.to_xml()``. Attribute values come back as text.
"""

from __future__ import annotations

from typing import Any
from xml.parsers import expat

from twilio_sdk.twiml.dialect import Dialect
from twilio_sdk.twiml.element import Element, GenericElement, TwiMLError
from twilio_sdk.twiml.fax import FAX
from twilio_sdk.twiml.messaging import MESSAGING
from twilio_sdk.twiml.voice import VOICE

__all__ = ["DIALECTS", "TwiMLParseError", "detect_dialect", "parse"]

DIALECTS: dict[str, Dialect] = {d.name: d for d in (VOICE, MESSAGING, FAX)}


class TwiMLParseError(TwiMLError):
    """TwiML that is not well-formed or breaks the nesting rules; ``line``/``column`` locate it."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.line = line
        self.column = column
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(message + where)


def detect_dialect(tags: list[str]) -> Dialect:
    """The first dialect whose ``<Response>`` accepts every one of ``tags`` (voice when none does)."""
    for dialect in DIALECTS.values():
        if all(dialect.child_by_tag(dialect.root, tag) is not None for tag in tags):
            return dialect
    return VOICE


class _Builder:
    def __init__(self, parser: Any, dialect: Dialect | None, strict: bool) -> None:
        self.parser = parser
        self.dialect = dialect
        self.strict = strict
        self.stack: list[Element] = []
        self.root: Element | None = None
        self.texts: list[list[str]] = []  # text pieces for the element on top of the stack

    def fail(self, message: str) -> TwiMLParseError:
        return TwiMLParseError(message, self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.flush()
        if not self.stack:
            if self.root is not None:
                raise self.fail("TwiML has more than one root element")
            if tag != "Response":
                raise self.fail(f"the root element must be <Response>, not <{tag}>")
            element = self._root_element(attrs)
        else:
            element = self._child_element(self.stack[-1], tag, attrs)
            self.stack[-1].verbs.append(element)
        self.stack.append(element)
        self.texts.append([])

    def _root_element(self, attrs: dict[str, str]) -> Element:
        self.root = Element.__new__(Element)  # placeholder until the dialect is known
        self.root._setup("Response", None, dict(attrs))
        return self.root

    def _child_element(self, parent: Element, tag: str, attrs: dict[str, str]) -> Element:
        if parent is self.root and self.dialect is None:
            # Decide the dialect from the first verb: Message -> messaging, Receive -> fax.
            self.dialect = detect_dialect([tag])
        dialect = self.dialect
        assert dialect is not None
        parent_kind = type(parent).kind if parent is not self.root else dialect.root
        if parent_kind is None:
            return GenericElement._make(tag, None, dict(attrs))
        kind = dialect.child_by_tag(parent_kind, tag)
        if kind is None:
            if tag in dialect.tags:
                raise self.fail(str(dialect.nesting_error(parent.name, tag)))
            raise self.fail(f"unknown element <{tag}> inside <{parent.name}> ({dialect.name} TwiML)")
        if self.strict:
            unknown = sorted(set(attrs) - kind.attributes)
            if unknown:
                raise self.fail(f"<{tag}> has unknown attribute(s) {', '.join(unknown)}")
        return dialect.element_class(kind.name)._make(tag, None, dict(attrs))

    def data(self, text: str) -> None:
        self.texts[-1].append(text)

    def flush(self) -> None:
        """Attach pending text to the open element (before children) or to its last child's tail."""
        if not self.stack or not self.texts[-1]:
            return
        text = "".join(self.texts[-1])
        self.texts[-1] = []
        if not text.strip():
            return
        element = self.stack[-1]
        if element.verbs:
            last = element.verbs[-1]
            last.tail = (last.tail or "") + text
        else:
            if self.strict and element.kind is not None and element.kind.text is None:
                raise self.fail(f"<{element.name}> does not take text")
            element.value = (element.value or "") + text

    def end(self, tag: str) -> None:
        self.flush()
        self.stack.pop()
        self.texts.pop()

    def reject_doctype(self, *args: Any) -> None:
        raise self.fail("TwiML may not contain a DOCTYPE or entity declarations")


def parse(text: str | bytes, dialect: str | Dialect | None = None, *, strict: bool = False) -> Element:
    """Parse TwiML into a tree of elements.

    ``dialect`` is ``"voice"``, ``"messaging"`` or ``"fax"``; by default it is chosen from the
    first verb. Unknown or misplaced elements raise :class:`TwiMLParseError`; with
    ``strict=True`` so do undocumented attributes and text where none is taken.
    """
    chosen = DIALECTS[dialect] if isinstance(dialect, str) else dialect
    parser = expat.ParserCreate()
    builder = _Builder(parser, chosen, strict)
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = builder.reject_doctype
    parser.EntityDeclHandler = builder.reject_doctype
    try:
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        raise TwiMLParseError(
            f"TwiML is not well-formed XML: {expat.ErrorString(exc.code)}", exc.lineno, exc.offset + 1
        ) from None
    placeholder = builder.root
    if placeholder is None:
        raise TwiMLParseError("TwiML has no <Response> element")
    final = builder.dialect or VOICE
    root = final.element_class("Response")._make("Response", placeholder.value, placeholder.attrs)
    root.verbs = placeholder.verbs
    if strict and placeholder.value:
        raise TwiMLParseError("<Response> does not take text")
    return root
