"""TwiML builders: naming, rendering, nesting rules and errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from twilio_sdk.twiml import (
    FaxResponse,
    GenericElement,
    MessagingResponse,
    TwiMLError,
    TwiMLNestingError,
    VoiceResponse,
    attribute_name,
)
from twilio_sdk.twiml import messaging as messaging_module
from twilio_sdk.twiml import voice as voice_module

DECL = '<?xml version="1.0" encoding="UTF-8"?>'


def test_official_readme_usage() -> None:
    response = VoiceResponse()
    response.say("hi", voice="alice")
    dial = response.dial(caller_id="+15550001111")
    dial.number("+15550002222")
    assert str(response) == (
        DECL + '<Response><Say voice="alice">hi</Say>'
        '<Dial callerId="+15550001111"><Number>+15550002222</Number></Dial></Response>'
    )
    assert response.to_xml(xml_declaration=True) == str(response)
    assert response.to_xml(xml_declaration=False) == str(response)[len(DECL) :]


def test_messaging_example_from_the_reference() -> None:
    response = MessagingResponse()
    message = response.message("hello", to="+1555", from_="+1666", action="/s")
    message.media("https://x/i.png")
    response.redirect("/next")
    assert response.to_xml(xml_declaration=False) == (
        '<Response><Message action="/s" from="+1666" to="+1555">hello<Media>https://x/i.png</Media>'
        "</Message><Redirect>/next</Redirect></Response>"
    )


def test_fax_receive() -> None:
    response = FaxResponse()
    response.receive(action="/fax", media_type="application/pdf", page_size="letter", store_media=True)
    assert response.to_xml(False) == (
        '<Response><Receive action="/fax" mediaType="application/pdf" pageSize="letter" storeMedia="true" />'
        "</Response>"
    )


@pytest.mark.parametrize(
    ("keyword", "attribute"),
    [
        ("num_digits", "numDigits"),
        ("status_callback_event", "statusCallbackEvent"),
        ("finish_on_key", "finishOnKey"),
        ("from_", "from"),
        ("for_", "for"),
        ("break_", "break"),
        ("xml_lang", "xml:lang"),
        ("interpret_as", "interpret-as"),
        ("speechTimeout", "speechTimeout"),
        ("Capital_word", "capitalWord"),
        ("trailing_", "trailing"),
    ],
)
def test_attribute_names(keyword: str, attribute: str) -> None:
    assert attribute_name(keyword) == attribute


def test_unusable_attribute_name_is_a_clear_error() -> None:
    with pytest.raises(TwiMLError, match="not a usable attribute name"):
        VoiceResponse().say("x", __=1)


def test_rendering_rules() -> None:
    response = VoiceResponse()
    gather = response.gather(num_digits=1, barge_in=False, action="/g", timeout=5, hints=None)
    gather.say("1 < 2 & 3 > 2", voice='a"b')
    response.hangup()
    response.pause()
    assert response.to_xml(False) == (
        '<Response><Gather action="/g" bargeIn="false" numDigits="1" timeout="5">'
        '<Say voice="a&quot;b">1 &lt; 2 &amp; 3 &gt; 2</Say></Gather><Hangup /><Pause /></Response>'
    )


def test_empty_text_renders_self_closing_and_numbers_render_as_text() -> None:
    response = VoiceResponse()
    response.say("")
    response.play(None)
    response.say(42)  # the official package cannot serialise this
    assert response.to_xml(False) == "<Response><Say /><Play /><Say>42</Say></Response>"


def test_list_values_are_space_separated() -> None:
    response = VoiceResponse()
    response.dial().number("+1555", status_callback_event=["initiated", "answered"])
    assert 'statusCallbackEvent="initiated answered"' in str(response)


def test_ssml_under_say() -> None:
    response = VoiceResponse()
    say = response.say("Hello")
    say.break_(strength="strong", time="1s")
    say.say_as("12345", interpret_as="telephone")
    say.lang("Bonjour", xml_lang="fr-FR")
    say.phoneme("tomato", alphabet="ipa", ph="təˈmeɪtoʊ")
    assert response.to_xml(False) == (
        '<Response><Say>Hello<break strength="strong" time="1s" /><say-as interpret-as="telephone">12345'
        '</say-as><lang xml:lang="fr-FR">Bonjour</lang><phoneme alphabet="ipa" ph="təˈmeɪtoʊ">tomato</phoneme>'
        "</Say></Response>"
    )


def test_builder_returns_child_and_context_manager_yields_it() -> None:
    response = VoiceResponse()
    with response.gather(input="speech dtmf") as gather:
        gather.say("Speak")
    assert response.verbs == [gather]
    assert gather.name == "Gather" and gather.attrs == {"input": "speech dtmf"}
    assert isinstance(gather, voice_module.Gather)


def test_standalone_classes_and_append_nest() -> None:
    response = VoiceResponse()
    dial = voice_module.Dial(caller_id="+1")
    assert response.append(dial) is response
    number = dial.nest(voice_module.Number("+2", send_digits="ww1"))
    assert number.value == "+2"
    assert (
        response.to_xml(False)
        == '<Response><Dial callerId="+1"><Number sendDigits="ww1">+2</Number></Dial></Response>'
    )


def test_positional_parameters_follow_official_order() -> None:
    response = VoiceResponse()
    response.say("hi", "alice", 2, "en-GB")
    assert (
        response.to_xml(False) == '<Response><Say language="en-GB" loop="2" voice="alice">hi</Say></Response>'
    )


def test_argument_errors() -> None:
    response = VoiceResponse()
    with pytest.raises(TypeError, match="missing required argument 'phone_number'"):
        response.dial().number()
    with pytest.raises(TypeError, match="at most 4 positional"):
        response.say("a", "b", "c", "d", "e")
    with pytest.raises(TypeError, match="multiple values for argument 'message'"):
        response.say("a", message="b")
    with pytest.raises(TypeError, match="abstract"):
        from twilio_sdk.twiml import Element

        Element()


def test_invalid_nesting_via_builder_method() -> None:
    say = VoiceResponse().say("x")
    with pytest.raises(TwiMLNestingError, match=r"<Dial> is not allowed inside <Say>.*<Say> takes <break>"):
        say.dial()
    with pytest.raises(AttributeError):  # also an AttributeError, like the official package
        say.dial()
    with pytest.raises(
        TwiMLNestingError, match=r"<Number> is not allowed inside <Response>; it goes inside <Dial>"
    ):
        VoiceResponse().number("+1555")
    assert not hasattr(say, "dial")


def test_invalid_nesting_via_append_and_add_child() -> None:
    response = VoiceResponse()
    with pytest.raises(TwiMLNestingError, match="<Number> is not allowed inside <Response>"):
        response.append(voice_module.Number("+1"))
    with pytest.raises(TwiMLNestingError, match="<Number> is not allowed inside <Response>"):
        response.add_child("Number", "+1")
    with pytest.raises(TwiMLNestingError, match="<Dial> is not allowed inside <Say>"):
        response.say("x").append(voice_module.Dial())
    with pytest.raises(TwiMLNestingError, match="<Message> is not allowed inside <Response>"):
        response.append(messaging_module.Message("hi"))
    with pytest.raises(TypeError):
        response.append("<Say/>")  # type: ignore[arg-type]
    assert response.to_xml(False) == "<Response><Say>x</Say></Response>"


def test_unknown_method_is_a_plain_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no builder method 'dail'") as info:
        VoiceResponse().dail()
    assert not isinstance(info.value, TwiMLError)
    with pytest.raises(AttributeError):
        voice_module.NoSuchVerb  # noqa: B018


def test_add_child() -> None:
    response = VoiceResponse()
    custom = response.add_child("Custom", "value", some_attr=True, other=None)
    assert isinstance(custom, GenericElement)
    custom.add_child("Inner", nested_thing=1)
    known = response.add_child("Say", "hi", voice="alice")
    known.break_(time="1s")  # a known tag gets the real class and its builders
    assert response.to_xml(False) == (
        '<Response><Custom someAttr="true">value<Inner nestedThing="1" /></Custom>'
        '<Say voice="alice">hi<break time="1s" /></Say></Response>'
    )


def test_root_attributes_and_repr_and_dir() -> None:
    response = VoiceResponse(foo_bar="x")
    say = response.say("hi", voice="alice")
    assert response.to_xml(False) == '<Response fooBar="x"><Say voice="alice">hi</Say></Response>'
    assert repr(say) == "<Say voice='alice' value='hi' children=0>"
    assert {"say", "dial", "gather", "append", "to_xml"} <= set(dir(response))


def test_xml_gives_an_elementtree_element() -> None:
    response = VoiceResponse()
    response.say("hi", loop=2).break_(time="1s")
    tree = response.xml()
    assert isinstance(tree, ET.Element)
    assert ET.tostring(tree, encoding="unicode") == response.to_xml(False)


def test_reading_helpers() -> None:
    response = VoiceResponse()
    gather = response.gather(num_digits=2)
    gather.say("a")
    gather.play("https://x/a.mp3")
    response.say("b")
    assert response.find("Gather") is gather
    assert response.find("Dial") is None
    assert [e.text for e in response.find_all("Say")] == ["b"]
    assert [e.name for e in response.iter()] == ["Response", "Gather", "Say", "Play", "Say"]
    assert gather.get("numDigits") == 2 and gather.get("missing", "d") == "d"
    assert gather.children is gather.verbs
