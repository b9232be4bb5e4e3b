"""TwiML parser: round trips, dialect detection, nesting validation and error locations."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.twiml.test_official_parity import CASES, build, paths, sample_value, xml_text
from twilio_mock.hypothesis_profiles import max_examples
from twilio_sdk.twiml import FaxResponse, MessagingResponse, TwiMLParseError, VoiceResponse, parse
from twilio_sdk.twiml import voice as voice_module


@pytest.mark.parametrize(
    ("dialect", "ours", "path"),
    [
        pytest.param(c[0], c[1], p, id=f"{c[0].name}:" + "/".join(k.name for k in p))
        for c in CASES
        for p in paths(c[0])
    ],
)
def test_round_trip_of_every_element(dialect, ours, path) -> None:
    leaf = path[-1]
    kwargs = {name: sample_value(i, name) for i, name in enumerate(leaf.params)}
    if leaf.text:
        kwargs[leaf.text] = "some <text>"
    built = build(ours(), path, (), kwargs)
    parsed = parse(str(built), dialect.name, strict=True)
    assert type(parsed) is ours
    if dialect.name != "messaging" or path[0].name != "Redirect":  # <Redirect> alone reads as voice
        assert type(parse(str(built))) is ours
    assert parsed.to_xml() == built.to_xml()
    node = parsed
    for kind in path:
        node = node.verbs[-1]
        assert type(node).kind is dialect.kinds[kind.name]


def test_pretty_printed_document() -> None:
    text = """<?xml version="1.0" encoding="UTF-8"?>
    <Response>
        <Gather action="/menu" numDigits="1">
            <Say voice="alice">Press one</Say>
        </Gather>
        <Redirect method="POST">/again</Redirect>
    </Response>
    """
    tree = parse(text)
    assert isinstance(tree, VoiceResponse)
    gather, redirect = tree.verbs
    assert isinstance(gather, voice_module.Gather)
    assert gather.attrs == {"action": "/menu", "numDigits": "1"}
    assert gather.verbs[0].text == "Press one"
    assert redirect.text == "/again" and redirect.get("method") == "POST"
    assert tree.to_xml(False) == (
        '<Response><Gather action="/menu" numDigits="1"><Say voice="alice">Press one</Say></Gather>'
        '<Redirect method="POST">/again</Redirect></Response>'
    )


def test_ssml_mixed_content_keeps_tails() -> None:
    text = '<Response><Say>Hello <break time="1s"/> world &amp; <emphasis>you</emphasis>!</Say></Response>'
    tree = parse(text)
    say = tree.verbs[0]
    assert say.text == "Hello "
    assert [c.name for c in say.verbs] == ["break", "emphasis"]
    assert say.verbs[0].tail == " world & "
    assert say.verbs[1].tail == "!"
    assert tree.to_xml(False) == text.replace('<break time="1s"/>', '<break time="1s" />')


def test_dialect_detection_and_explicit_dialect() -> None:
    assert isinstance(parse("<Response><Message>hi</Message></Response>"), MessagingResponse)
    assert isinstance(parse("<Response><Receive/></Response>"), FaxResponse)
    assert isinstance(parse("<Response/>"), VoiceResponse)
    assert isinstance(parse("<Response><Redirect>/x</Redirect></Response>"), VoiceResponse)
    assert isinstance(parse("<Response><Redirect>/x</Redirect></Response>", "messaging"), MessagingResponse)
    with pytest.raises(TwiMLParseError, match=r"unknown element <Say> inside <Response> \(messaging TwiML\)"):
        parse("<Response><Say>hi</Say></Response>", dialect="messaging")


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("<Response><Say>hi</Response>", "not well-formed XML: mismatched tag", 1, 20),
        ("<Say>hi</Say>", "root element must be <Response>", 1, 1),
        (
            "<Response><Number>+1</Number></Response>",
            "<Number> is not allowed inside <Response>; it goes inside <Dial>",
            1,
            11,
        ),
        ("<Response>\n<Say><Dial/></Say></Response>", "<Dial> is not allowed inside <Say>", 2, 6),
        ("<Response><Dial><Foo/></Dial></Response>", "unknown element <Foo> inside <Dial>", 1, 17),
        (
            "<Response><Message><Body>x</Body><Say/></Message></Response>",
            "unknown element <Say> inside <Message> \\(messaging TwiML\\)",
            1,
            34,
        ),
        ("", "not well-formed", 1, 1),
    ],
)
def test_errors_name_the_problem_and_place(text: str, message: str, line: int, column: int) -> None:
    with pytest.raises(TwiMLParseError, match=message) as info:
        parse(text)
    assert (info.value.line, info.value.column) == (line, column)


def test_doctype_and_entities_are_rejected() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        "<Response><Say>&b;</Say></Response>"
    )
    with pytest.raises(TwiMLParseError, match="DOCTYPE"):
        parse(bomb)


def test_strict_mode_checks_attributes_and_text() -> None:
    loose = parse('<Response><Say colour="red">hi</Say><Hangup>bye</Hangup></Response>')
    assert loose.verbs[0].get("colour") == "red"
    assert loose.verbs[1].text == "bye"
    with pytest.raises(TwiMLParseError, match="<Say> has unknown attribute"):
        parse('<Response><Say colour="red">hi</Say></Response>', strict=True)
    with pytest.raises(TwiMLParseError, match="<Hangup> does not take text"):
        parse("<Response><Hangup>bye</Hangup></Response>", strict=True)
    with pytest.raises(TwiMLParseError, match="<Response> does not take text"):
        parse("<Response>oops</Response>", strict=True)


def test_bytes_with_declared_encoding() -> None:
    text = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>héllo</Say></Response>'.encode()
    assert parse(text).verbs[0].text == "héllo"


@settings(deadline=None)
@given(text=xml_text.filter(lambda s: s.strip() != ""), attr=xml_text)
def test_round_trip_of_arbitrary_text_and_attribute_values(text: str, attr: str) -> None:
    response = VoiceResponse()
    response.say(text, voice=attr)
    parsed = parse(response.to_xml())
    assert parsed.verbs[0].attrs == {"voice": attr}
    # expat normalises CR/CRLF line ends in text, as every XML parser must
    assert parsed.verbs[0].text == text.replace("\r\n", "\n").replace("\r", "\n")


@settings(max_examples=max_examples(0.5), deadline=None)
@given(
    names=st.lists(
        st.sampled_from(["Say", "Play", "Pause", "Dial", "Number", "Gather", "Message", "Hangup"]), max_size=5
    )
)
def test_top_level_validation_matches_the_table(names: list[str]) -> None:
    body = "".join(f"<{n}>x</{n}>" for n in names)
    allowed = {"Say", "Play", "Pause", "Dial", "Gather", "Hangup"}
    if set(names) <= allowed:
        assert [v.name for v in parse(f"<Response>{body}</Response>", "voice").verbs] == names
    else:
        with pytest.raises(TwiMLParseError):
            parse(f"<Response>{body}</Response>", "voice")


@st.composite
def _documents(draw: st.DrawFn) -> tuple[str, type, Any, Any]:
    """A whole document of any dialect: several branches of the nesting table on one root,
    each leaf with generated text and attributes, built alike with ours and the official
    package."""
    from tests.twiml.test_official_parity import attr_values, kwarg_names

    dialect, ours, theirs, _official_module, _module = draw(st.sampled_from(CASES))
    mine, official = ours(), theirs()
    for path in draw(st.lists(st.sampled_from(list(paths(dialect))), min_size=1, max_size=6)):
        leaf = path[-1]
        attrs = draw(st.dictionaries(kwarg_names, attr_values, max_size=3))
        kwargs = {k: v for k, v in attrs.items() if k != leaf.text and k not in leaf.params}
        kwargs.update({name: draw(attr_values) for name in leaf.params if draw(st.booleans())})
        if leaf.text:
            kwargs[leaf.text] = draw(xml_text.filter(lambda s: s.strip() != ""))
        build(mine, path, (), kwargs)
        build(official, path, (), kwargs)
    return dialect.name, ours, mine, official


@settings(max_examples=max_examples(), deadline=None)
@given(_documents())
def test_whole_documents_render_as_the_official_package_and_parse_back(
    case: tuple[str, type, Any, Any],
) -> None:
    dialect, ours, mine, official = case
    xml = mine.to_xml()
    assert xml == official.to_xml()
    parsed = parse(xml, dialect)
    # A raw CR in text reaches any XML parser as LF (attributes carry it escaped).
    assert type(parsed) is ours and parsed.to_xml() == xml.replace("\r\n", "\n").replace("\r", "\n")
