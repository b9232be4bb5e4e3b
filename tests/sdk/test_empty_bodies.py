"""A transport may hand back ``None`` as the body of an empty response (a 204): every
place that reads a body treats it as empty, as the official package does for deletes."""

from __future__ import annotations

from typing import Any

import pytest
from twilio.http import HttpClient as OfficialHttpClient
from twilio.http.response import Response as OfficialResponse
from twilio.rest import Client as OfficialClient

from tests.sdk.recording import Recorder
from twilio_sdk import Client, RestException, TwilioException
from twilio_sdk.http.response import Response

ACCOUNT = "AC" + "a" * 32
SID = "SM" + "1" * 32


class OfficialNone(OfficialHttpClient):
    def __init__(self, status: int) -> None:
        import logging

        super().__init__(logging.getLogger("test"), False)
        self.status = status

    def request(self, *args: Any, **kwargs: Any) -> OfficialResponse:
        return OfficialResponse(self.status, None)  # type: ignore[arg-type]


def ours(status: int, response_class: Any = Response) -> Client:
    return Client(
        ACCOUNT, "t", http_client=Recorder(reply=lambda s: response_class(status, None)), environment={}
    )


@pytest.mark.parametrize("response_class", [Response, OfficialResponse])
def test_delete_with_a_none_body_is_true_like_the_official_package(response_class: Any) -> None:
    official = OfficialClient(ACCOUNT, "t", http_client=OfficialNone(204))
    assert official.messages(SID).delete() is True
    assert ours(204, response_class).messages(SID).delete() is True
    assert ours(204, response_class).verify.v2.services("VA1").delete() is True


@pytest.mark.parametrize("response_class", [Response, OfficialResponse])
def test_an_error_with_a_none_body_keeps_the_status_as_code(response_class: Any) -> None:
    client = ours(503, response_class)
    for call in (lambda: client.messages(SID).fetch(), lambda: client.messages(SID).delete()):
        with pytest.raises(RestException) as info:
            call()
        assert (info.value.status, info.value.code) == (503, 503)
    with pytest.raises(RestException) as page_info:
        client.messages.list()
    assert page_info.value.code == 503 and "Messages.json" in page_info.value.uri


@pytest.mark.parametrize("response_class", [Response, OfficialResponse])
def test_a_page_with_a_none_body_is_a_twilio_exception_naming_the_url(response_class: Any) -> None:
    with pytest.raises(TwilioException, match=r"the page at https://api\.twilio\.com/.*Messages\.json"):
        ours(200, response_class).messages.list()


def test_our_response_reads_a_none_body_as_empty() -> None:
    response = Response(204, None)
    assert response.text == "" and repr(response) == "HTTP 204 "
