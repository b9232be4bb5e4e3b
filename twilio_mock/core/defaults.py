"""What exists and what a field holds before anyone sets it: the catalogues that answer
without a create, per-resource values Twilio is known to send, then rules by type. Data, so
behaviour modules can read and extend it (before the first request of that resource:
renderers are built once and cached)."""

from __future__ import annotations

from typing import Any

# Instance path parameters that name an entry of a catalogue Twilio keeps (countries, phone
# numbers, event types...) rather than a record someone created. In collections the API
# cannot create into, an unknown id with one of these names answers with a default entry; an
# unknown SID is a 404.
NATURAL_KEYS = frozenset(
    {
        "Bucket",
        "CountryCode",
        "Day",
        "DestinationNumber",
        "FormType",
        "Id",
        "Identity",
        "IsoCode",
        "IsoCountry",
        "Number",
        "PhoneNumber",
        "ResourceType",
        "SchemaVersion",
        "SipDomain",
        "SipTrunkDomain",
        "Type",
    }
)

# (domain, resource path template) -> field -> value. Strings stay strings where Twilio
# sends strings (``num_segments: "1"``), which is why these are not derived from types.
# Sources: Twilio's API reference pages for each resource (the documented defaults of the
# create parameters); values marked "unconfirmed" are the documented behaviour as remembered,
# not checked against a live response.
RESOURCE_DEFAULTS: dict[tuple[str, str], dict[str, Any]] = {
    ("api", "Accounts"): {"status": "active", "type": "Full"},
    ("api", "Accounts/{AccountSid}/Messages"): {
        "status": "queued",
        "direction": "outbound-api",
        "num_segments": "1",
        "num_media": "0",
        "price_unit": "USD",
    },
    ("api", "Accounts/{AccountSid}/Messages/{MessageSid}/Media"): {"content_type": "image/jpeg"},
    ("api", "Accounts/{AccountSid}/Calls"): {
        "status": "queued",
        "direction": "outbound-api",
        "price_unit": "USD",
        "queue_time": "0",
    },
    ("api", "Accounts/{AccountSid}/IncomingPhoneNumbers"): {
        "status": "in-use",
        "capabilities": {"voice": True, "sms": True, "mms": True, "fax": False},
        "address_requirements": "none",
        "beta": False,
        "origin": "twilio",
        "voice_caller_id_lookup": False,
        "emergency_status": "Inactive",
        "emergency_address_status": "unregistered",
        "voice_receive_mode": "voice",
        "type": "local",
    },
    ("api", "Accounts/{AccountSid}/Queues"): {"current_size": 0, "average_wait_time": 0, "max_size": 100},
    ("verify", "Services"): {
        "code_length": 6,
        "lookup_enabled": False,
        "psd2_enabled": False,
        "skip_sms_to_landlines": False,
        "dtmf_input_required": True,
        "do_not_share_warning_enabled": False,
        "custom_code_enabled": False,
        "push": {"include_date": False, "apn_credential_sid": None, "fcm_credential_sid": None},
        "whatsapp": {"msg_service_sid": None, "from": None},
    },
    ("verify", "Services/{ServiceSid}/Verifications"): {
        "status": "pending",
        "valid": False,
        "lookup": {},
        "send_code_attempts": [],
    },
    ("verify", "Services/{ServiceSid}/VerificationCheck"): {"status": "pending", "valid": False},
    ("conversations", "Conversations"): {"state": "active", "timers": {}},
    ("conversations", "Services/{ChatServiceSid}/Conversations"): {"state": "active", "timers": {}},
    ("messaging", "Services"): {
        "use_inbound_webhook_on_number": False,
        "sticky_sender": True,
        "mms_converter": True,
        "smart_encoding": True,
        "fallback_to_long_code": True,
        "area_code_geomatch": True,
        "synchronous_validation": False,
        "validity_period": 14400,
        "usecase": "undeclared",
        "us_app_to_person_registered": False,
    },
    ("sync", "Services"): {"reachability_debouncing_window": 5000},
    ("serverless", "Services"): {"include_credentials": True, "ui_editable": False},
    ("taskrouter", "Workspaces"): {"multi_task_enabled": True},  # unconfirmed: new workspaces multitask
    ("taskrouter", "Workspaces/{WorkspaceSid}/Workers"): {"available": False},
    ("taskrouter", "Workspaces/{WorkspaceSid}/TaskQueues"): {
        "max_reserved_workers": 1,
        "target_workers": "1==1",
    },
    ("studio", "Flows"): {"valid": True},
    ("video", "Rooms"): {
        "enable_turn": True,
        "max_participants": 50,
        "max_participant_duration": 14400,
        "max_concurrent_published_tracks": 170,  # unconfirmed
        "record_participants_on_connect": False,
        "video_codecs": ["VP8"],  # unconfirmed
        "media_region": "us1",
        "audio_only": False,
        "empty_room_timeout": 5,
        "unused_room_timeout": 5,
        "large_room": False,
    },
}

# Values Twilio derives when a record is created (and some when it changes), applied by
# :mod:`twilio_mock.behaviours.fields`. (domain, template) -> field -> rule; a value the client sent
# wins over every rule but ``counter`` and ``revision``. Rules:
#   ("national", field)         the phone number in ``field``, in its country's national format
#   ("counter",)                the next number of a counter kept per collection (from 0)
#   ("revision", start)         ``start`` on create, one more on every update
#   ("copy", field)             the value of another field
#   ("template", value)         ``value`` with ``{field}`` (and ``{sid4}``: 4 digits of the SID)
#   ("now",) / ("now", field)   the current time; with ``field``, again whenever it changes
#   ("parent", field)           a field of the parent record (a worker's workspace)
#   ("related", ref, rel, field[, match])  a field of the sibling record (``rel`` under the
#                               parent) whose id, or ``match`` field, is the value of ``ref``
#   ("child", rel, name, field) a field of the record named ``name`` that CHILDREN made under ``rel``
#   ("account_default", config, where, values)  the SID of the account's default record at
#                               ``where`` (domain, version, path), made with ``values`` on first
#                               need and kept in the singleton field ``config`` names
SYNC_OBJECT = {"revision": ("revision", "0"), "created_by": ("template", "system")}
_CONVERSATIONS_CONFIG = ("conversations", "v1", "/v1/Configuration")
CONVERSATIONS_DEFAULTS = {
    "chat_service_sid": (
        "account_default",
        (*_CONVERSATIONS_CONFIG, "default_chat_service_sid"),
        ("conversations", "v1", "/v1/Services"),
        {"friendly_name": "Default Conversations Service"},
    ),
    "messaging_service_sid": (
        "account_default",
        (*_CONVERSATIONS_CONFIG, "default_messaging_service_sid"),
        ("messaging", "v1", "/v1/Services"),
        {"friendly_name": "Default Conversations Service"},  # unconfirmed: the name Twilio gives it
    ),
}
DERIVED: dict[tuple[str, str], dict[str, tuple[Any, ...]]] = {
    ("api", "Accounts/{AccountSid}/Calls"): {
        "to_formatted": ("national", "to"),
        "from_formatted": ("national", "from"),
    },
    ("api", "Accounts/{AccountSid}/IncomingPhoneNumbers"): {"friendly_name": ("national", "phone_number")},
    ("conversations", "Conversations"): CONVERSATIONS_DEFAULTS,
    ("conversations", "Users"): {"chat_service_sid": CONVERSATIONS_DEFAULTS["chat_service_sid"]},
    ("conversations", "Configuration"): {
        "default_chat_service_sid": CONVERSATIONS_DEFAULTS["chat_service_sid"],
        "default_messaging_service_sid": CONVERSATIONS_DEFAULTS["messaging_service_sid"],
    },
    ("conversations", "Conversations/{ConversationSid}/Messages"): {
        "index": ("counter",),
        "participant_sid": ("related", "author", "Participants", "sid", "identity"),
    },
    ("conversations", "Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages"): {
        "index": ("counter",),
        "participant_sid": ("related", "author", "Participants", "sid", "identity"),
    },
    ("sync", "Services/{ServiceSid}/Documents"): SYNC_OBJECT,
    ("sync", "Services/{ServiceSid}/Lists"): SYNC_OBJECT,
    ("sync", "Services/{ServiceSid}/Maps"): SYNC_OBJECT,
    ("sync", "Services/{ServiceSid}/Lists/{ListSid}/Items"): SYNC_OBJECT,  # ``index``: an integer id
    ("sync", "Services/{ServiceSid}/Maps/{MapSid}/Items"): SYNC_OBJECT,
    ("serverless", "Services"): {"domain_base": ("template", "{unique_name}-{sid4}")},
    ("studio", "Flows"): {
        "revision": ("revision", 1),
        "webhook_url": ("template", "https://webhooks.twilio.com/v1/Accounts/{account_sid}/Flows/{sid}"),
    },
    ("verify", "Services"): {
        "totp": ("template", {"issuer": "{friendly_name}", "time_step": 30, "code_length": 6, "skew": 1})
    },
    ("video", "Rooms"): {"unique_name": ("copy", "sid")},
    ("taskrouter", "Workspaces"): {
        "default_activity_sid": ("child", "Activities", "Offline", "sid"),
        "default_activity_name": ("child", "Activities", "Offline", "friendly_name"),
        "timeout_activity_sid": ("child", "Activities", "Offline", "sid"),
        "timeout_activity_name": ("child", "Activities", "Offline", "friendly_name"),
    },
    ("taskrouter", "Workspaces/{WorkspaceSid}/Workers"): {
        "activity_sid": ("parent", "default_activity_sid"),
        "activity_name": ("related", "activity_sid", "Activities", "friendly_name"),
        "available": ("related", "activity_sid", "Activities", "available"),
        "date_status_changed": ("now", "activity_sid"),
    },
}

# Records a create brings with it: (domain, template) -> (path under the new record, records).
CHILDREN: dict[tuple[str, str], list[tuple[str, list[dict[str, Any]]]]] = {
    ("taskrouter", "Workspaces"): [
        (
            "Activities",
            [
                {"friendly_name": "Offline", "available": False},
                {"friendly_name": "Available", "available": True},
                {"friendly_name": "Unavailable", "available": False},
            ],
        )
    ],
}

STATUS_PREFERENCE = (
    "queued",
    "pending",
    "active",
    "in-progress",
    "in_progress",
    "open",
    "created",
    "initiated",
)


def field_default(name: str, type_: str, enums: dict[str, list[Any]], v2010: bool) -> Any:
    """The default for one field by its name and compact type."""
    if name == "api_version" and v2010:
        return "2010-04-01"
    if type_.startswith("array:"):
        return []
    if type_ == "boolean":
        return False  # Twilio sends flags as true/false, never null
    if name == "attributes" and type_ == "string":
        return "{}"  # a JSON object as text, as Conversations, Chat and TaskRouter send it
    if type_.startswith("enum:"):
        values = [v for v in enums.get(type_[len("enum:") :], []) if isinstance(v, str)]
        if not values:
            return None
        if name.endswith("_method") and "POST" in values:
            return "POST"
        if name == "status":
            for preferred in STATUS_PREFERENCE:
                if preferred in values:
                    return preferred
        return values[0]
    return None
