"""The output contract's text and URL rules, applied to every article by the first step of
:class:`~newscrawler.pipelines.contract.ContractPipeline`, before any other check.

Extraction already produces clean text; this is the safety net that guarantees what the JSON
Schema and JSON consumers need (no tags, controls, U+FFFD, lone surrogates; only http(s) URLs;
line breaks only between the body's paragraphs: CR, CRLF, NEL, U+2028 and U+2029 are a space in
one-line fields and ``\n`` in the body), and counts every change so that an extraction bug
shows up in the stats. :func:`cap_lengths` cuts fields longer than their cap (the
``NEWSCRAWLER_MAX_*_CHARS`` settings): a page can hold a 5 MB title.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from w3lib.url import safe_url_string

from newscrawler.extraction.urls import PLAIN_HTTP_URL
from newscrawler.items import Article
from newscrawler.persian.chars import (
    _INVISIBLE,
    _PRESENTATION_FORMS,
    strip_invisible,
    word_count,
)
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
#: Line breaks other than ``\n`` (``str.splitlines`` splits on all of them; strip_invisible
#: would delete CR and NEL, gluing two words): CRLF, CR, NEL, U+2028, U+2029.
_BREAKS = re.compile("\r\n?|[\x85\u2028\u2029]")
#: The one multi-line field: paragraphs separated by ``\n`` (items.py).
_MULTILINE = frozenset({"body"})
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


def clean_text(value: str, *, multiline: bool = True) -> str:
    """Text as the output contract wants it: no tags, controls, bidi marks, U+FFFD; a lone
    ``<``/``>`` becomes ``‹``/``›`` (the JSON Schema refuses angle brackets in text). A line
    break (CR, CRLF, NEL, U+2028, U+2029) is a ``\\n`` between non-empty lines, or, not
    ``multiline`` (every field but the body), a space like ``\\n`` itself.

    >>> clean_text("عنوان <b>برجسته< / b> خبر\\u200f\\ufffd")
    'عنوان برجسته خبر'
    >>> clean_text("دما > ۴۰")
    'دما › ۴۰'
    >>> clean_text("یک\\r\\nدو\\u2028سه", multiline=False), clean_text("یک\\r\\nدو")
    ('یک دو سه', 'یک\\nدو')
    """
    text = _BREAKS.sub("\n" if multiline else " ", value)
    if not multiline:
        text = text.replace("\n", " ")
    text = _TAG.sub(" ", strip_invisible(text))
    text = _JUNK.sub("", text).replace("<", "‹").replace(">", "›")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


#: Where :func:`clean_text` could change a text: a character it removes, folds or replaces
#: (one character class, which the regex engine scans for quickly), a tab or two spaces in a
#: row, white space at the start or end of the text or around a line break (an empty line is
#: a break next to a break). A text without any is clean as it is
#: (``tests/test_contract_fast.py``), so the fields extraction got right (nearly all) are not
#: cleaned again to be compared.
_SUSPECT_CHAR = re.compile(
    "["
    + _INVISIBLE.pattern[1:-1]
    + _PRESENTATION_FORMS.pattern[1:-2]
    + "\r\x85\u2028\u2029<>\ufffd\ud800-\udfff\t]"
)
_SPACE_AT_BREAK = re.compile(r"\n(?=\s)|\n(?<=\s\n)")


def _suspect(value: str) -> bool:
    """Whether :func:`clean_text` might change ``value`` (False: it will not)."""
    return bool(
        _SUSPECT_CHAR.search(value)
        or "  " in value
        or value[:1].isspace()
        or value[-1:].isspace()
        or ("\n" in value and _SPACE_AT_BREAK.search(value))
    )


def _needs_cleaning(value: str, multiline: bool = False) -> bool:  # one-line unless told
    if not multiline and "\n" in value:
        return True
    if not _suspect(value):
        return False
    return clean_text(value, multiline=multiline) != value


def http_url(value: Any) -> str | None:
    """An absolute http(s) URL in safe (percent-encoded) form, or ``None``.

    >>> http_url("https://x.ir/a b.jpg")
    'https://x.ir/a%20b.jpg'
    >>> http_url("javascript:alert(1)") is None
    True
    """
    if not isinstance(value, str):
        return None
    if PLAIN_HTTP_URL.fullmatch(value):
        return value  # what quoting would give
    url = safe_url_string(value.strip())
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


class ArticleFields:
    """An :class:`~newscrawler.items.Article`'s fields read and set as an ``ItemAdapter`` of it
    does (every field of the dataclass always has a value), without building one (5 µs) or
    going through its mapping layers (~1.5 µs a read; the contract reads some 25 fields an
    article)."""

    __slots__ = ("item",)

    def __init__(self, item: Article) -> None:
        self.item = item

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self.item, name, default)

    def __getitem__(self, name: str) -> Any:
        return getattr(self.item, name)

    def __setitem__(self, name: str, value: Any) -> None:
        setattr(self.item, name, value)


#: What the contract reads and sets of an item: ``get`` (``None`` for a field not set), ``[]``
#: and ``[] =``.
Fields = ArticleFields | ItemAdapter


def fields_view(item: Any) -> Fields:
    """``item``'s fields to read and set: :class:`ArticleFields` for a plain
    :class:`~newscrawler.items.Article`, an :class:`~itemadapter.ItemAdapter` otherwise."""
    return ArticleFields(item) if type(item) is Article else ItemAdapter(item)


def make_safe(adapter: Fields) -> list[str]:
    """Bring an article up to the output contract in place; returns the fields changed.

    A no-op when extraction did its job: every change is counted, so a non-zero
    ``newscrawler/sanitized/*`` stat points at an extraction bug to fix at the source.
    """
    changed = []
    for field in _TEXT_FIELDS:
        value = adapter.get(field)
        multiline = field in _MULTILINE
        if isinstance(value, str) and _needs_cleaning(value, multiline):
            adapter[field] = clean_text(value, multiline=multiline) or None
            changed.append(field)
    tags = adapter.get("tags")
    if tags and any(_needs_cleaning(tag) for tag in tags):
        adapter["tags"] = [clean for tag in tags if (clean := clean_text(tag, multiline=False))]
        changed.append("tags")
    images = adapter.get("images") or []
    safe_images = []
    for image in images:
        url = http_url(image.get("url"))
        if url is None:
            continue
        caption = image.get("caption")
        safe_images.append(
            {
                "url": url,
                "caption": (clean_text(caption, multiline=False) or None) if caption else None,
            }
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
        _body_changed(adapter)
    return changed


def _body_changed(adapter: Fields) -> None:
    """The fields derived from the body, again."""
    body = adapter.get("body")
    adapter["word_count"] = word_count(body)
    adapter["content_hash"] = hashlib.sha256(match_key(body).encode()).hexdigest() if body else None


def _cut(value: str, limit: int) -> str:
    """``value`` cut to at most ``limit`` characters, at the last line break or space in its
    last tenth when there is one (a word is not cut in half)."""
    if len(value) <= limit:
        return value
    cut = value[:limit]
    for separator in ("\n", " "):
        at = cut.rfind(separator)
        if at >= limit * 0.9:
            return cut[:at].rstrip()
    return cut.rstrip()


def cap_lengths(adapter: Fields, caps: Mapping[str, int]) -> list[str]:
    """Cut text fields longer than their cap (``caps``: field → characters; ``tags`` and
    ``caption`` cap each tag and each image caption) in place; returns the fields cut."""
    cut = []
    for field, limit in caps.items():
        value = adapter.get(field)
        if isinstance(value, str) and len(value) > limit:
            adapter[field] = _cut(value, limit)
            cut.append(field)
    tags, each = adapter.get("tags") or [], caps.get("tags")
    if each and any(len(tag) > each for tag in tags):
        adapter["tags"] = [_cut(tag, each) for tag in tags]
        cut.append("tags")
    images, each = adapter.get("images") or [], caps.get("caption")
    if each and any(len(image.get("caption") or "") > each for image in images):
        adapter["images"] = [
            {**image, "caption": _cut(image["caption"], each) if image.get("caption") else None}
            for image in images
        ]
        cut.append("caption")
    if "body" in cut:
        _body_changed(adapter)
    return cut
