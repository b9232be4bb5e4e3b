"""The model-checking state machine, run for messages and calls (2010-04-01), Verify services
(v2), Conversations and Sync services (v1), each through our SDK and through the official package."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from twilio_mock.hypothesis_profiles import max_examples
from twilio_mock.state_machine import TEXT, Draw, Params, TwilioStateMachine

FROM = "+15017122661"  # every account owns it
TO = st.integers(0, 9999).map(lambda n: f"+1555867{n:04d}")
RUNS = settings(
    max_examples=max_examples(0.3),
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


class Messages(TwilioStateMachine):
    path = "messages"
    # twilio-facts.md, Messages: accepted -> queued -> sending -> sent -> delivered | undelivered | failed
    stages = {
        "accepted": 0,
        "queued": 1,
        "sending": 2,
        "sent": 3,
        "delivered": 4,
        "undelivered": 4,
        "failed": 4,
    }

    def create_params(self, draw: Draw) -> Params:
        return {"to": draw(TO), "from_": FROM, "body": draw(TEXT)}

    def update_params(self, draw: Draw, current: Any) -> Params | None:
        return {"body": ""}  # redaction (twilio-facts.md, Messages: Update)

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def rewrite_a_body(self, data: st.DataObject) -> None:
        """A body can be redacted, never rewritten: refused, and the model stays as it is."""
        sid = data.draw(st.sampled_from(list(self.model)), label="sid")
        try:
            self.resource()(sid).update(body=data.draw(TEXT.filter(bool), label="body"))
        except Exception as exc:  # either SDK's REST error
            assert (getattr(exc, "status", None), getattr(exc, "code", None)) == (400, 20001), exc
        else:
            raise AssertionError(f"{sid}: a new body was accepted")
        self.check(self.resource()(sid).fetch(), sid)

    def invalid_create(self, draw: Draw) -> tuple[Params, int] | None:
        # twilio-facts.md error table: 21604 no To, 21602 no body, 21211 a bad To
        return draw(
            st.sampled_from(
                [
                    ({"to": "", "from_": FROM, "body": "hi"}, 21604),
                    ({"to": "+15558675310", "from_": FROM}, 21602),
                    ({"to": "not a number", "from_": FROM, "body": "hi"}, 21211),
                ]
            )
        )


class Calls(TwilioStateMachine):
    path = "calls"
    stages = {
        "queued": 0,
        "ringing": 2,
        "in-progress": 3,
        **dict.fromkeys(["completed", "busy", "failed", "no-answer", "canceled"], 4),
    }

    def create_params(self, draw: Draw) -> Params:
        return {"to": draw(TO), "from_": FROM, "twiml": "<Response><Say>hi</Say></Response>"}

    def expected(self, params: Params) -> Params:
        return {k: v for k, v in params.items() if k != "twiml"}  # TwiML is not echoed

    def update_params(self, draw: Draw, current: Any) -> Params | None:
        # twilio-facts.md, Calls: Status=canceled for queued/ringing calls, completed hangs up
        if current.status in ("queued", "ringing"):
            return {"status": draw(st.sampled_from(["canceled", "completed"]))}
        return {"status": "completed"} if current.status == "in-progress" else None


class VerifyServices(TwilioStateMachine):
    path = "verify.v2.services"
    newest_first = False

    def create_params(self, draw: Draw) -> Params:
        return {"friendly_name": draw(TEXT)}

    def update_params(self, draw: Draw, current: Any) -> Params | None:
        return {"friendly_name": draw(TEXT)}


class Conversations(TwilioStateMachine):
    path = "conversations.v1.conversations"
    newest_first = False

    def create_params(self, draw: Draw) -> Params:
        return {"friendly_name": draw(TEXT)}

    def update_params(self, draw: Draw, current: Any) -> Params | None:
        return {"friendly_name": draw(TEXT)}


class SyncServices(TwilioStateMachine):
    """A v1 resource with no behaviour of its own: the mock's generic CRUD from the description."""

    path = "sync.v1.services"
    newest_first = False

    def create_params(self, draw: Draw) -> Params:
        return {"friendly_name": draw(TEXT)}

    def update_params(self, draw: Draw, current: Any) -> Params | None:
        return {"friendly_name": draw(TEXT), "acl_enabled": draw(st.booleans())}


MACHINES = [Messages, Calls, VerifyServices, Conversations, SyncServices]


@pytest.mark.parametrize("sdk", ["twilio_sdk", "twilio"])
@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.__name__)
def test_the_mock_matches_the_model(machine: type[TwilioStateMachine], sdk: str) -> None:
    bound = type(f"{machine.__name__}_{sdk}", (machine,), {"sdk": sdk})
    bound.TestCase.settings = RUNS
    bound.TestCase().runTest()


class WrongOrder(VerifyServices):
    """A model that expects v2 lists newest first: the machine must catch it."""

    newest_first = True


def test_the_machine_catches_a_wrong_order() -> None:
    WrongOrder.TestCase.settings = settings(
        RUNS, max_examples=max_examples(0.5), derandomize=True, phases=[Phase.generate]
    )
    with pytest.raises(AssertionError, match="the model has|a refused create left a record"):
        WrongOrder.TestCase().runTest()


def test_the_machine_is_exported_lazily_from_twilio_mock() -> None:
    import twilio_mock

    assert twilio_mock.TwilioStateMachine is TwilioStateMachine
    assert "TwilioStateMachine" in twilio_mock.__all__


def test_a_machine_must_say_how_to_create_and_which_sdk() -> None:
    class Bare(TwilioStateMachine):
        pass

    Bare.TestCase.settings = settings(RUNS, max_examples=20, phases=[Phase.generate])
    with pytest.raises(NotImplementedError, match="how to create"):
        Bare.TestCase().runTest()

    class Unknown(Messages):
        sdk = "twilio-node"

    Unknown.TestCase.settings = settings(RUNS, max_examples=20, phases=[Phase.generate])
    with pytest.raises(ValueError, match="sdk must be"):
        Unknown.TestCase().runTest()


def notify(client: Any, to: str, name: str) -> str:
    """The user's app: texts ``to`` a greeting and returns the message's SID."""
    return str(client.messages.create(to=to, from_=FROM, body=f"Hello {name}").sid)


class NotifyApp(Messages):
    """A user's machine: their app's own rule next to the inherited ones."""

    @rule(to=TO, name=st.sampled_from(["Ada", "Grace"]))
    def app_notifies(self, to: str, name: str) -> None:
        sid = notify(self.client, to, name)
        self.remember(self.resource()(sid).fetch(), {"to": to, "body": f"Hello {name}"})


class ForgetfulApp(NotifyApp):
    """The same app, but the test forgets to tell the model: the machine must notice."""

    @rule(to=TO)
    def app_notifies(self, to: str, name: str = "Ada") -> None:  # type: ignore[override]
        notify(self.client, to, name)


@pytest.mark.parametrize("sdk", ["twilio_sdk", "twilio"])
def test_a_users_app_rules_run_with_the_inherited_ones(sdk: str) -> None:
    bound = type(f"NotifyApp_{sdk}", (NotifyApp,), {"sdk": sdk})
    bound.TestCase.settings = RUNS
    bound.TestCase().runTest()


def test_a_record_the_model_was_not_told_about_fails_the_list_check() -> None:
    ForgetfulApp.TestCase.settings = settings(
        RUNS, max_examples=max_examples(0.5), derandomize=True, phases=[Phase.generate]
    )
    with pytest.raises(AssertionError, match="the model has|a refused create left a record"):
        ForgetfulApp.TestCase().runTest()
