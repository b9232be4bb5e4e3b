"""Voice TwiML: ``VoiceResponse`` and the table of every voice verb and noun.

Each element class of the official package (``Say``, ``Dial``, ``Number``, ``SsmlBreak``, ...)
is importable from here; they are made from the table on first use.
"""

from __future__ import annotations

from typing import Any

from twilio_sdk.twiml.dialect import Dialect, kind
from twilio_sdk.twiml.element import Element

__all__ = ["VOICE", "VoiceResponse"]

_SSML = "SsmlBreak SsmlEmphasis SsmlLang SsmlP SsmlPhoneme SsmlProsody SsmlS SsmlSayAs SsmlSub SsmlW"
_SSML_INLINE = "SsmlBreak SsmlEmphasis SsmlLang SsmlPhoneme SsmlProsody SsmlSayAs SsmlSub SsmlW"
_STATUS = "status_callback_event status_callback status_callback_method"
_AMD = (
    "machine_detection amd_status_callback_method amd_status_callback machine_detection_timeout "
    "machine_detection_speech_threshold machine_detection_speech_end_threshold "
    "machine_detection_silence_timeout"
)
_REC = "recording_status_callback recording_status_callback_method recording_status_callback_event"
_STREAM = "name connector_name url track status_callback status_callback_method audio_format sample_rate"
_SIPREC = "name connector_name track status_callback status_callback_method"
_TRANSCRIPTION = (
    "name track status_callback_url status_callback_method inbound_track_label outbound_track_label "
    "partial_results language_code transcription_engine profanity_filter speech_model hints "
    "enable_automatic_punctuation intelligence_service"
)
_RELAY = (
    "url language tts_language transcription_language tts_provider voice transcription_provider "
    "speech_model profanity_filter dtmf_detection welcome_greeting partial_prompts "
    "welcome_greeting_interruptible interruptible preemptible hints intelligence_service "
    "report_input_during_agent_speech elevenlabs_text_normalization interrupt_sensitivity debug "
    "backgroundNoiseReduction speechTimeout deepgramSmartFormat ignoreBackchannel events "
    "partial_prompt_on_hangup eager_eot_threshold asr_smart_format tts_text_normalization "
    "tts_language_text_normalization elevenlabs_language_text_normalization include_in_prompt "
    "customer_name application_reconnect echo_prompt_filtering turn_detection"
)

VOICE = Dialect(
    "voice",
    __name__,
    [
        kind(
            "Response",
            children="Connect Dial Echo Enqueue Gather Hangup Leave Pause Play Queue Record Redirect "
            "Reject Say Sms Pay Prompt Start Stop Refer",
        ),
        # verbs
        kind(
            "Connect",
            "",
            "action method",
            children="Room Autopilot Stream VirtualAgent Conversation "
            "ConversationRelay AiSession ConversationRelaySession",
        ),
        kind(
            "Dial",
            "number?",
            "action method timeout hangup_on_star time_limit caller_id record trim recording_status_callback "
            "recording_configuration_id recording_status_callback_method recording_status_callback_event "
            "answer_on_bridge ring_tone recording_track sequential refer_url refer_method events passports",
            children="Client Conference Number Queue Sim Sip Application WhatsApp",
        ),
        kind("Echo"),
        kind(
            "Enqueue",
            "name?",
            "action max_queue_size method wait_url wait_url_method workflow_sid",
            children="Task",
        ),
        kind(
            "Gather",
            "",
            "input action method timeout speech_timeout max_speech_time profanity_filter finish_on_key "
            "num_digits partial_result_callback partial_result_callback_method language hints barge_in "
            "debug action_on_empty_result speech_model enhanced",
            children="Say Pause Play",
        ),
        kind("Hangup", children="Parameter"),
        kind("Leave"),
        kind("Pause", "", "length"),
        kind("Play", "url?", "loop digits"),
        kind("Queue", "name", "url method reservation_sid post_work_activity_sid"),
        kind(
            "Record",
            "",
            f"action method timeout finish_on_key max_length play_beep trim {_REC} transcribe "
            "transcribe_callback recording_configuration_id",
        ),
        kind("Redirect", "url", "method"),
        kind("Reject", "", "reason", children="Parameter"),
        kind("Say", "message?", "voice loop language", children=_SSML),
        kind("Sms", "message", "to from_ action method status_callback"),
        kind(
            "Pay",
            "",
            "input action bank_account_type status_callback status_callback_method timeout max_attempts "
            "security_code postal_code min_postal_code_length payment_connector payment_method token_type "
            "charge_amount currency description valid_card_types language",
            children="Prompt Parameter",
        ),
        kind(
            "Prompt",
            "",
            "for_ error_type card_type attempt require_matching_inputs",
            children="Say Play Pause",
        ),
        kind("Start", "", "action method", children="Stream Siprec Transcription Recording"),
        kind("Stop", children="Stream Siprec Transcription"),
        kind("Refer", "", "action method", children="ReferSip"),
        # under <Dial>
        kind("Client", "identity?", f"url method {_STATUS}", children="Identity Parameter"),
        kind("Identity", "client_identity"),
        kind(
            "Conference",
            "name",
            "muted beep start_conference_on_enter end_conference_on_exit wait_url wait_method "
            "max_participants record recording_configuration_id region coach trim "
            f"{_STATUS} {_REC} event_callback_url jitter_buffer_size participant_label",
        ),
        kind("Number", "phone_number", f"send_digits url method {_STATUS} byoc {_AMD}"),
        kind("Sim", "sim_sid"),
        kind("Sip", "sip_url?", f"username password url method {_STATUS} {_AMD}", children="SipUri Headers"),
        kind("SipUri", "sip_url?", "priority weight username password", tag="Uri", method="uri"),
        kind("Headers", children="Header"),
        kind("Header", "", "name value"),
        kind(
            "Application",
            "application_sid?",
            f"url method {_STATUS} customer_id copy_parent_to",
            children="ApplicationSid Parameter",
        ),
        kind("ApplicationSid", "sid"),
        kind("WhatsApp", "phone_number", f"url method {_STATUS}"),
        # under <Connect>
        kind("Room", "name", "participant_identity"),
        kind("Autopilot", "name"),
        kind("Stream", "", _STREAM, children="Parameter"),
        kind(
            "VirtualAgent",
            "",
            "connector_name language sentiment_analysis status_callback status_callback_method",
            children="Config Parameter",
        ),
        kind(
            "Conversation",
            "",
            "service_instance_sid inbound_autocreation routing_assignment_timeout inbound_timeout url method "
            f"record trim {_REC} status_callback status_callback_method status_callback_event",
        ),
        kind("ConversationRelay", "", _RELAY, children="Language Parameter"),
        kind(
            "Language",
            "",
            "code tts_provider voice transcription_provider speech_model hints asr_smart_format "
            "tts_text_normalization tts_language_text_normalization",
        ),
        kind("AiSession", "", "ai_connector ai_session_configuration"),
        kind("ConversationRelaySession", "", "connector session_configuration"),
        # under <Start>/<Stop>
        kind("Siprec", "", _SIPREC, children="Parameter"),
        kind("Transcription", "", _TRANSCRIPTION, children="Config Parameter"),
        kind("Recording", "", f"{_REC} trim track channels recording_configuration_id"),
        # small nouns
        kind("Parameter", "", "name value"),
        kind("Config", "", "name value"),
        kind("Task", "body", "priority timeout"),
        kind("ReferSip", "sip_url", tag="Sip", method="sip"),
        # SSML under <Say>
        kind("SsmlBreak", "", "strength time", tag="break", method="break_"),
        kind("SsmlEmphasis", "words?", "level", children=_SSML_INLINE, tag="emphasis", method="emphasis"),
        kind("SsmlLang", "words?", "xml_lang", children=_SSML, tag="lang", method="lang"),
        kind("SsmlP", "words?", children=_SSML_INLINE + " SsmlS", tag="p", method="p"),
        kind("SsmlPhoneme", "words", "alphabet ph", tag="phoneme", method="phoneme"),
        kind("SsmlProsody", "words?", "volume rate pitch", children=_SSML, tag="prosody", method="prosody"),
        kind("SsmlS", "words?", children=_SSML_INLINE, tag="s", method="s"),
        kind("SsmlSayAs", "words", "interpret_as format", tag="say-as", method="say_as"),
        kind("SsmlSub", "words", "alias", tag="sub", method="sub"),
        kind(
            "SsmlW",
            "words?",
            "role",
            tag="w",
            method="w",
            children="SsmlBreak SsmlEmphasis SsmlPhoneme SsmlProsody SsmlSayAs SsmlSub",
        ),
    ],
)


class VoiceResponse(Element):
    """``<Response>`` for voice calls: ``response.say(...)``, ``response.dial(...)``, ..."""

    __slots__ = ()
    kind = VOICE.root
    dialect = VOICE

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)


VOICE.register(VoiceResponse)


def __getattr__(name: str) -> type[Element]:
    if name in VOICE.kinds:
        return VOICE.element_class(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
