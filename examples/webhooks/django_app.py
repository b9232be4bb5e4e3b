"""An inbound-webhook Django app in one file: signed requests only, answered with TwiML.

Run: ``TWILIO_AUTH_TOKEN=... python examples/webhooks/django_app.py runserver``. Behind one proxy or
tunnel set ``TRUST_PROXY=1`` so the public URL is rebuilt from ``X-Forwarded-*``. The decorator
also exempts the views from CSRF checks: the signature is their protection.
"""

from __future__ import annotations

import os
import sys

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "example-only-not-secret"),
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver").split(","),
        MIDDLEWARE=["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"],
    )

from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

from twilio_sdk.twiml import MessagingResponse, VoiceResponse  # noqa: E402
from twilio_sdk.webhooks.django import validate_twilio_request  # noqa: E402

TRUST_PROXY = int(os.environ.get("TRUST_PROXY", "0"))


def twiml(document: object) -> HttpResponse:
    return HttpResponse(str(document), content_type="text/xml")


@validate_twilio_request(trust_forwarded=TRUST_PROXY)
def sms(request: HttpRequest) -> HttpResponse:
    reply = MessagingResponse()
    reply.message(f"You said: {request.POST.get('Body', '')}")
    return twiml(reply)


@validate_twilio_request(trust_forwarded=TRUST_PROXY)
def voice(request: HttpRequest) -> HttpResponse:
    response = VoiceResponse()
    response.say("Thanks for calling.", voice="alice")
    response.hangup()
    return twiml(response)


urlpatterns = [path("sms", sms), path("voice", voice)]

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
