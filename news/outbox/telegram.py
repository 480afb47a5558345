"""Telegram channels, one per language: a post on publish, a reply on a correction.

Plain HTTPS calls to the Bot API's ``sendMessage`` (``requests``, which the project
already has; python-telegram-bot would add an asyncio stack for one call). The bot token
is read only from the environment (``NEWSDESK_TELEGRAM_BOT_TOKEN``), never from settings
or the database; the channels are ``NEWSDESK_TELEGRAM_CHANNELS`` (``{"kk": "@channel"}``)
and the API's address ``NEWSDESK_TELEGRAM_API_URL`` (tests point it at a fake server).
"""

import os

import requests
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, gettext_lazy

from news import i18n
from news.conf import conf
from news.outbox.changes import story_versions

TIMEOUT = 10

# "Which language the story is in", said in the channel's language.
STORY_LANGUAGE = {
    "kk": gettext_lazy("This story is in Kazakh."),
    "ru": gettext_lazy("This story is in Russian."),
    "en": gettext_lazy("This story is in English."),
}


class TelegramError(Exception):
    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


def channels():
    """``{language: chat}`` of the configured channels whose language is configured."""
    configured = conf.TELEGRAM_CHANNELS or {}
    return {
        lang: chat for lang, chat in configured.items() if chat and lang in i18n.language_codes()
    }


def _story_url(version, language):
    url = version.get_full_url(None) or ""
    if version.locale.language_code != language:
        url = i18n.swap_language_prefix(url, language)
    return url


def _elsewhere(version, language):
    """ "This story is in Kazakh." in the channel's language, or "" when it is in it."""
    if version.locale.language_code == language:
        return ""
    code = version.locale.language_code
    with translation.override(language):
        if code in STORY_LANGUAGE:
            return str(STORY_LANGUAGE[code])
        return gettext("This story is in %(language)s.") % {"language": i18n.local_name(code)}


def story_message(version, language):
    """The post for the channel of ``language``: title, lead and link (HTML parse mode)."""
    parts = [_elsewhere(version, language), f"<b>{escape(version.title)}</b>"]
    if getattr(version, "lead", ""):
        parts.append(escape(version.lead))
    parts.append(escape(_story_url(version, language)))
    return "\n\n".join(part for part in parts if part)


def correction_message(version, language):
    """The reply on a correction: the latest correction's text and the link."""
    text = ""
    for block in reversed(list(version.notes or [])):
        if block.value.get("kind") == "correction":
            text = block.value.get("text") or ""
            break
    with translation.override(language):
        heading = gettext("Correction")
    parts = [f"<b>{escape(heading)}</b>", _elsewhere(version, language), escape(text)]
    parts.append(escape(_story_url(version, language)))
    return "\n\n".join(part for part in parts if part)


def deliveries(page, event):
    """``[(chat, language, payload)]``: the Telegram posts that ``event`` on ``page`` makes.

    A story version is posted in its own language's channel and in the channels of the
    languages that have no live version of their own (they read it by fallback): on its
    first publication (``story.published``, ``translation.published``) as a new post, on
    a correction as a reply to the story's post in that channel. Nothing else is posted.
    """
    if event not in ("story.published", "translation.published", "story.corrected"):
        return []
    if not getattr(page, "telegram_post", False) or not channels():
        return []
    versions = story_versions(page)
    found = []
    for language, chat in channels().items():
        if i18n.best_version(versions, language) is not page:
            continue
        if event == "story.corrected":
            payload = {"text": correction_message(page, language), "reply": True}
        else:
            payload = {"text": story_message(page, language), "reply": False}
        found.append((chat, language, payload))
    return found


def send(delivery, reply_to=None):
    """Send one post; returns (HTTP status, Telegram's message_id). Raises TelegramError."""
    token = os.environ.get("NEWSDESK_TELEGRAM_BOT_TOKEN", "")
    if not token:
        raise TelegramError("NEWSDESK_TELEGRAM_BOT_TOKEN is not set")
    data = {
        "chat_id": delivery.target,
        "text": delivery.payload["text"],
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": False},
    }
    if reply_to:
        data["reply_parameters"] = {
            "message_id": int(reply_to),
            "allow_sending_without_reply": True,
        }
    url = f"{conf.TELEGRAM_API_URL.rstrip('/')}/bot{token}/sendMessage"
    try:
        response = requests.post(url, json=data, timeout=TIMEOUT)
    except requests.RequestException as error:
        # The URL holds the token: never log it.
        raise TelegramError(type(error).__name__) from None
    if response.status_code != 200:
        raise TelegramError(response.text[:500], response.status_code)
    try:
        return response.status_code, str(response.json()["result"]["message_id"])
    except (ValueError, KeyError, TypeError):
        raise TelegramError("no message_id in the answer", response.status_code) from None
