"""Conversations facts as data. twilio-facts.md says nothing about Conversations: every entry
here is **unconfirmed** by it. Field and parameter names follow the API description
(``twilio_sdk/_spec/conversations_v1.json``); error codes were seen on twilio.com error pages
found while writing this (not in twilio-facts.md), titles paraphrased; the rest is memory.
"""

from __future__ import annotations

# code -> (HTTP status, message). Unconfirmed: codes from twilio.com error pages, statuses
# (400 for bad input, 409 for a clash) and wording are this mock's.
ERRORS: dict[int, tuple[int, str]] = {
    50407: (400, "Invalid participant address"),  # a guess: the neighbour of 50408
    50408: (400, "Invalid participant proxy address"),
    50409: (400, "Participant address equals proxy address"),
    50412: (400, "Participant proxy address is empty"),
    50414: (400, "Participant address type does not match proxy address type"),
    50416: (409, "A participant and proxy address pair is already in use"),
    50433: (409, "Participant already exists"),
    50364: (400, "Invalid conversation webhook target"),
    50365: (400, "Invalid conversation webhook filter"),
    # What a REST action answers when a pre-event webhook rejects it (no 2xx): unconfirmed,
    # neither the status nor the code was found in any Twilio text.
    20403: (403, "The action was rejected by the pre-event webhook"),
}

# Pre-event (pre-action) and post-event names accepted in filters (unconfirmed: from memory).
PRE_EVENTS = (
    "onConversationAdd",
    "onConversationUpdate",
    "onConversationRemove",
    "onMessageAdd",
    "onMessageUpdate",
    "onMessageRemove",
    "onParticipantAdd",
    "onParticipantUpdate",
    "onParticipantRemove",
    "onUserUpdate",
)
POST_EVENTS = (
    "onConversationAdded",
    "onConversationUpdated",
    "onConversationRemoved",
    "onConversationStateUpdated",
    "onMessageAdded",
    "onMessageUpdated",
    "onMessageRemoved",
    "onParticipantAdded",
    "onParticipantUpdated",
    "onParticipantRemoved",
    "onDeliveryUpdated",
    "onUserAdded",
    "onUserUpdated",
)

# Which scoped-webhook targets this mock carries out; ``trigger`` and ``studio`` are accepted and
# stored, never fired (not done).
SCOPED_TARGETS = ("webhook", "trigger", "studio")

# Actions made through the REST API fire webhooks only with ``X-Twilio-Webhook-Enabled: true``;
# SMS arriving in a conversation always does (unconfirmed: from memory; the description has
# the header on every action).
REST_NEEDS_HEADER = True

SOURCE_API = "API"  # ``Source`` of an action made through the REST API (unconfirmed)
SOURCE_SMS = "SMS"  # of a message that arrived by SMS (unconfirmed)
DEFAULT_AUTHOR = "system"  # a message created without Author (unconfirmed)
BINDING_SMS = "sms"  # messaging_binding.type of an SMS participant (unconfirmed)

# A message's ``delivery`` summary counts receipts per status; each status is "none", "some"
# or "all" of ``total`` (unconfirmed).
RECEIPT_STATUSES = ("sent", "delivered", "read", "undelivered", "failed")
# The SMS lifecycle's statuses that change a receipt (queued/sending leave it as it is).
RECEIPT_OF_MESSAGE = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "undelivered": "undelivered",
    "failed": "failed",
}
