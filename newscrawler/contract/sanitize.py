"""The output contract's text and URL rules, applied to every article by the first step of
:class:`~newscrawler.pipelines.contract.ContractPipeline`, before any other check.

Extraction already produces clean text; this is the safety net that guarantees what the JSON
Schema and JSON consumers need (no tags, controls, U+FFFD, lone surrogates; only http(s) URLs),
and counts every change so that an extraction bug shows up in the stats.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from w3lib.url import safe_url_string

from newscrawler.persian.chars import strip_invisible, word_count
from newscrawler.persian.normalize import match_key

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)


#: A tag or comment left in text (also as hazm spaced it: «< / b>», «<! -- x -->»).
_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>")
#: What :func:`~newscrawler.persian.chars.strip_invisible` leaves and JSON consumers still choke on:
#: U+FFFD (a NUL or broken byte in the page), lone surrogates.
_JUNK = re.compile("[\ufffd\ud800-\udfff]")
_SPACES = re.compile(r"[ \t]{2,}")
_TEXT_FIELDS = (
    "title",
    "kicker",
    "subtitle",
    "lead",
    "body",
    "section",
    "province",
    "author",
    "publisher",
    "published_at_raw",
)


def clean_text(value: str) -> str:
    """Text as the output contract wants it: no tags, controls, bidi marks, U+FFFD; a lone
    ``<``/``>`` becomes ``‹``/``›`` (the JSON Schema refuses angle brackets in text).

    >>> clean_text("عنوان <b>برجسته< / b> خبر\\u200f\\ufffd")
    'عنوان برجسته خبر'
    >>> clean_text("دما > ۴۰")
    'دما › ۴۰'
    """
    text = _TAG.sub(" ", strip_invisible(value))
    text = _JUNK.sub("", text).replace("<", "‹").replace(">", "›")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _needs_cleaning(value: str) -> bool:
    return clean_text(value) != value


def http_url(value: Any) -> str | None:
    """An absolute http(s) URL in safe (percent-encoded) form, or ``None``.

    >>> http_url("https://x.ir/a b.jpg")
    'https://x.ir/a%20b.jpg'
    >>> http_url("javascript:alert(1)") is None
    True
    """
    if not isinstance(value, str):
        return None
    url = safe_url_string(value.strip())
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


def make_safe(adapter: ItemAdapter) -> list[str]:
    """Bring an article up to the output contract in place; returns the fields changed.

    A no-op when extraction did its job: every change is counted, so a non-zero
    ``newscrawler/sanitized/*`` stat points at an extraction bug to fix at the source.
    """
    changed = []
    for field in _TEXT_FIELDS:
        value = adapter.get(field)
        if isinstance(value, str) and _needs_cleaning(value):
            adapter[field] = clean_text(value) or None
            changed.append(field)
    tags = adapter.get("tags")
    if tags and any(_needs_cleaning(tag) for tag in tags):
        adapter["tags"] = [clean for tag in tags if (clean := clean_text(tag))]
        changed.append("tags")
    images = adapter.get("images") or []
    safe_images = []
    for image in images:
        url = http_url(image.get("url"))
        if url is None:
            continue
        caption = image.get("caption")
        safe_images.append(
            {"url": url, "caption": (clean_text(caption) or None) if caption else None}
        )
    if safe_images != images:
        adapter["images"] = safe_images
        changed.append("images")
    for field in ("url", "canonical_url"):
        value = adapter.get(field)
        if value is not None and http_url(value) != value:
            adapter[field] = http_url(value)
            changed.append(field)
    if "body" in changed:
        body = adapter.get("body")
        adapter["word_count"] = word_count(body)
        adapter["content_hash"] = (
            hashlib.sha256(match_key(body).encode()).hexdigest() if body else None
        )
    return changed
