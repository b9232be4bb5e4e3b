"""TwiML built with ours equals the official package's output for the same calls."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.twiml import TwiML as OfficialTwiML
from twilio.twiml import fax_response as official_fax
from twilio.twiml import messaging_response as official_messaging
from twilio.twiml import voice_response as official_voice

from twilio_sdk.twiml import FaxResponse, MessagingResponse, VoiceResponse, fax, messaging, voice
from twilio_sdk.twiml.dialect import Dialect, Kind

CASES = [
    (voice.VOICE, VoiceResponse, official_voice.VoiceResponse, official_voice, voice),
    (
        messaging.MESSAGING,
        MessagingResponse,
        official_messaging.MessagingResponse,
        official_messaging,
        messaging,
    ),
    (fax.FAX, FaxResponse, official_fax.FaxResponse, official_fax, fax),
]


def paths(dialect: Dialect) -> Iterator[tuple[Kind, ...]]:
    """One path of kinds from the root to every (parent, child) pair in the table."""
    first: dict[str, tuple[Kind, ...]] = {"Response": ()}
    queue = ["Response"]
    while queue:
        parent = dialect.kinds[queue.pop(0)]
        for child_name in parent.children:
            child = dialect.kinds[child_name]
            path = (*first[parent.name], child)
            yield path
            if child.name not in first:
                first[child.name] = path
                queue.append(child.name)


def all_paths() -> list[Any]:
    return [
        pytest.param(dialect, ours, theirs, path, id=f"{dialect.name}:" + "/".join(k.name for k in path))
        for dialect, ours, theirs, _, _ in CASES
        for path in paths(dialect)
    ]


def sample_value(index: int, name: str) -> Any:
    """A deterministic mix of strings, integers and booleans."""
    return [f"v-{name}&<\"'>", index, True, False, f"https://example.com/{name}?a=1&b=2"][index % 5]


def build(root: Any, path: tuple[Kind, ...], last_args: tuple[Any, ...], last_kwargs: dict[str, Any]) -> Any:
    node = root
    for kind in path[:-1]:
        node = getattr(node, kind.method)(*(["x"] if kind.required else []))
    getattr(node, path[-1].method)(*last_args, **last_kwargs)
    return root


@pytest.mark.parametrize(("dialect", "ours", "theirs", "path"), all_paths())
def test_every_element_with_every_attribute_matches(dialect, ours, theirs, path) -> None:
    leaf = path[-1]
    kwargs = {name: sample_value(i, name) for i, name in enumerate(leaf.params)}
    if leaf.text:
        kwargs[leaf.text] = "text & <more>"
    assert str(build(ours(), path, (), kwargs)) == str(build(theirs(), path, (), kwargs))


@pytest.mark.parametrize(("dialect", "ours", "theirs", "path"), all_paths())
def test_positional_arguments_match(dialect, ours, theirs, path) -> None:
    leaf = path[-1]
    args = tuple(f"p{i}" for i in range(len(leaf.params)))
    assert str(build(ours(), path, args, {})) == str(build(theirs(), path, args, {}))


@pytest.mark.parametrize(("dialect", "ours", "theirs", "path"), all_paths())
def test_extra_keywords_pass_through_like_official(dialect, ours, theirs, path) -> None:
    kwargs = {"custom_attr_name": "1", "anotherOne": 2, "from_": "+1555", "xml_lang": "fr"}
    required = ("req",) if path[-1].required else ()
    assert str(build(ours(), path, required, kwargs)) == str(build(theirs(), path, required, kwargs))


def official_methods(cls: type) -> dict[str, type]:
    """Builder methods of an official class -> the class each returns."""
    found = {}
    for name, fn in vars(cls).items():
        if callable(fn) and (not name.startswith("_") or name == "break_"):
            params = [
                p for p in inspect.signature(fn).parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD
            ]
            child = fn(_blank(cls), *["x"] * (len(params) - 1))
            found[name] = type(child)
    return found


def _blank(cls: type) -> Any:
    obj = cls.__new__(cls)
    OfficialTwiML.__init__(obj)
    return obj


@pytest.mark.parametrize(
    ("dialect", "official_module"), [(c[0], c[3]) for c in CASES], ids=lambda v: getattr(v, "name", "")
)
def test_table_covers_every_official_class_and_method(dialect: Dialect, official_module: Any) -> None:
    classes = {
        name: cls
        for name, cls in vars(official_module).items()
        if isinstance(cls, type)
        and issubclass(cls, OfficialTwiML)
        and cls.__module__ == official_module.__name__
    }
    ours = {k.name for k in dialect.kinds.values()} - {"Response"}
    root_name = next(n for n in classes if n.endswith("Response"))
    assert ours == set(classes) - {root_name}
    for name, cls in classes.items():
        kind = dialect.root if name == root_name else dialect.kinds[name]
        methods = official_methods(cls)
        assert {dialect.kinds[c].method for c in kind.children} == set(methods), name
        for method, child_cls in methods.items():
            child = dialect.child_by_method(kind, method)
            assert child is not None and child.name == child_cls.__name__, (name, method)
            sig = inspect.signature(getattr(cls, method))
            names = [p.name for p in sig.parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD][1:]
            assert list(child.params) == names, (name, method)


@pytest.mark.parametrize(("dialect", "official_module", "our_module"), [(c[0], c[3], c[4]) for c in CASES])
def test_standalone_classes_match(dialect: Dialect, official_module: Any, our_module: Any) -> None:
    for kind in dialect.kinds.values():
        if kind.name == "Response":
            continue
        theirs_cls = getattr(official_module, kind.name)
        ours_cls = getattr(our_module, kind.name)
        kwargs: dict[str, Any] = {"some_attr": True}
        if kind.text:
            kwargs[kind.text] = "t"
        assert str(ours_cls(**kwargs)) == str(theirs_cls(**kwargs)), kind.name
        assert ours_cls.__name__ == kind.name


def test_nested_document_with_append_and_context_managers() -> None:
    def make(mod_response: Any, mod: Any) -> str:
        response = mod_response()
        gather = mod.Gather(action="/menu", num_digits=1, barge_in=True)
        with gather as g:
            say = g.say("Press one", voice="Polly.Joanna", language="en-US")
            say.break_(strength="x-strong", time="100ms")
            emphasis = say.emphasis("really", level="strong")
            emphasis.say_as("123", interpret_as="cardinal")
            p = say.p("paragraph")
            s = p.s("sentence")
            s.w("word", role="amazon:VB")
            g.pause(length=2)
        response.append(gather)
        dial = response.nest(mod.Dial(caller_id="+15550001111", record="record-from-answer", timeout=20))
        client = dial.client()
        client.identity("alice")
        client.parameter(name="k", value="v")
        sip = dial.sip("sip:a@example.com", username="u")
        sip.uri("sip:b@example.com", priority=1)
        sip.headers().header(name="X-A", value="1")
        connect = response.connect(action="/after")
        relay = connect.conversation_relay(url="wss://r", welcome_greeting="hi", dtmf_detection=True)
        relay.language(code="fr-FR", tts_provider="google")
        start = response.start()
        start.stream(url="wss://s", track="both_tracks").parameter(name="a", value="b")
        start.transcription(status_callback_url="/t").config(name="c", value="d")
        pay = response.pay(charge_amount="10.00", valid_card_types="visa amex")
        pay.prompt(for_="payment-card-number", attempt=1).say("Card number")
        response.refer(action="/r").sip("sip:c@example.com")
        response.enqueue(workflow_sid="WW1").task('{"a": 1}', priority=5)
        response.hangup().parameter(name="reason", value="done")
        return str(response)

    assert make(VoiceResponse, voice) == make(official_voice.VoiceResponse, official_voice)


def test_messaging_and_fax_documents_match() -> None:
    ours, theirs = MessagingResponse(), official_messaging.MessagingResponse()
    for response in (ours, theirs):
        message = response.message("hello", to="+1555", from_="+1666", action="/s")
        message.media("https://x/i.png")
        message.body("more")
        response.redirect("/next", method="POST")
    assert str(ours) == str(theirs)
    assert ours.to_xml(xml_declaration=False) == theirs.to_xml(xml_declaration=False)
    assert str(FaxResponse().receive(action="/r", store_media=False)) == str(
        official_fax.FaxResponse().receive(action="/r", store_media=False)
    )


# Text and attribute values that are valid XML characters (the official output is not
# parseable for the rest either, so there is nothing to agree on).
xml_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"),
    max_size=30,
).filter(lambda s: all(c in "\t\n\r" or ord(c) >= 0x20 for c in s))
attr_values = st.one_of(xml_text, st.integers(-(10**6), 10**6), st.booleans())
kwarg_names = st.from_regex(r"[a-z][a-z0-9]{0,6}(_[a-z0-9]{1,5}){0,3}", fullmatch=True)

VOICE_PATHS = list(paths(voice.VOICE))


@settings(deadline=None)
@given(
    path=st.sampled_from(VOICE_PATHS),
    text=xml_text.filter(bool),
    attrs=st.dictionaries(kwarg_names, attr_values, max_size=5),
)
def test_hypothesis_values_match_official(path: tuple[Kind, ...], text: str, attrs: dict[str, Any]) -> None:
    leaf = path[-1]
    kwargs = {k: v for k, v in attrs.items() if k != leaf.text}
    if leaf.text:
        kwargs[leaf.text] = text
    assert str(build(VoiceResponse(), path, (), kwargs)) == str(
        build(official_voice.VoiceResponse(), path, (), kwargs)
    )
