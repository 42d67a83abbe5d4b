"""Spans of text that hazm's spacing pass would tear apart, set aside while it runs.

hazm splits digits and dots off whatever they touch («1,000» → «1 , 000», «۱۴۰۳/۰۲/۲۹» →
«۱۴۰۳ / ۰۲ / ۲۹», «COVID-19» → «COVID- 19», URLs torn apart), so
:func:`~newscrawler.persian.normalize.normalize_text` replaces URLs, e-mail addresses, numbers
with separators and Latin tokens holding digits, dots, colons or slashes with one placeholder
character each (:func:`_protect`) and puts them back afterwards (:func:`_restore`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Spans hazm's tokenizer would tear apart (see the module docstring): URLs, e-mail addresses,
# numbers with separators or a percent sign, Latin tokens holding digits, dots, colons or slashes.
_PROTECTED = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>\"«»]+)"
    r"|(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
    r"|(?P<number>(?<![A-Za-z\d])\d+(?:(?:[.,/٫٬:\-]\d+)+[%٪]?|[%٪])|(?<=\w-)\d+)"
    r"|(?P<latin>(?<![\w-])[A-Za-z0-9]+(?:[-_.:/][A-Za-z0-9]+)+|(?<!\w)[A-Za-z]+\d[A-Za-z0-9]*)"
)
#: A character every match of :data:`_PROTECTED` holds (see :func:`_protected_spans`).
_PROTECTED_ANCHOR = re.compile(r"[A-Za-z\d@]")
#: :data:`_PROTECTED_ANCHOR` without most digits of other scripts: a match that starts at one
#: is a number (every other alternative starts with an ASCII character), so the digit is the
#: first of a run (``(?<![A-Za-z\d])``) followed by a separator or a percent sign, or it
#: follows a «-» (``(?<=\w-)``). Persian numbers without a separator (most of a body's
#: numbers) are no longer tried one by one: 2-3 regular expression calls and a Python
#: iteration each.
_SPAN_ANCHOR = re.compile(r"[A-Za-z@\d](?:(?<=[A-Za-z0-9@])|\d*[.,/٫٬:\-%٪]|(?<=-.))")
#: A run of digits other than ASCII ones (``\d`` is every decimal digit).
_OTHER_DIGITS = re.compile(r"[^\D0-9]+")
_LOCAL_PART = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")
_URL_TRAILER = re.compile(r"[.,،؛:!?؟)\]}»'\"]+$")
_PERSIAN_LETTER = re.compile("[آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی]")
# Placeholders: code points of Supplementary Private Use Area-A, which hazm leaves alone.
_PLACEHOLDER_BASE = 0xF0000
_PLACEHOLDER_LIMIT = 0xFFFE
_PLACEHOLDERS = re.compile("[\U000f0000-\U000ffffd]")


def _protect(text: str) -> tuple[str, list[str]]:
    """Replace the spans of :data:`_PROTECTED` with one placeholder character each."""
    if _PLACEHOLDERS.search(text):
        return text, []
    saved: list[str] = []

    def hold(match: re.Match[str]) -> str:
        span, trailer = match.group(0), ""
        if match.lastgroup == "url":  # a sentence's «.» or «،» after a URL is not part of it
            end = _URL_TRAILER.search(span)
            if end:
                span, trailer = span[: end.start()], end.group(0)
        if len(saved) >= _PLACEHOLDER_LIMIT:
            return match.group(0)
        saved.append(span)
        held = chr(_PLACEHOLDER_BASE + len(saved) - 1)
        if match.lastgroup == "number":  # hazm puts a space between a number and a word
            before = text[match.start() - 1 : match.start()]
            after = text[match.end() : match.end() + 1]
            held = (
                (" " if _PERSIAN_LETTER.match(before) else "")
                + held
                + (" " if _PERSIAN_LETTER.match(after) else "")
            )
        return held + trailer

    parts: list[str] = []
    done = 0  # text[:done] is in parts
    for match in _protected_spans(text):
        parts.append(text[done : match.start()])
        parts.append(hold(match))
        done = match.end()
    if not parts:
        return text, saved
    parts.append(text[done:])
    return "".join(parts), saved


def _protected_spans(text: str) -> Iterator[re.Match[str]]:
    """``_PROTECTED.finditer(text)``, trying the pattern only where a match can start.

    Every match holds a character of :data:`_PROTECTED_ANCHOR` (a URL's «h» or «w», an
    e-mail's «@», a digit, a Latin letter) and starts at one, except an e-mail, which starts at
    the first of the characters of its local part (:data:`_LOCAL_PART`) before its «@». So the
    leftmost match at or after a position starts at the next anchor or in the run of local-part
    characters just before it. Finding anchors takes a fast scan; the pattern, with its
    lookbehinds, tried at every position of an article body took 0.2 ms.
    """
    at = 0
    end = len(text)
    while at < end:
        anchor = _SPAN_ANCHOR.search(text, at)
        if anchor is None:
            return
        found = None
        start = anchor.start()
        first = start
        while first > at and text[first - 1] in _LOCAL_PART:
            first -= 1
        for candidate in range(first, start + 1):
            found = _PROTECTED.match(text, candidate)
            if found is not None:
                break
        if found is None:
            # Digits other than ASCII (Persian ones) start no match after a digit: every
            # alternative needs an ASCII character there or no digit before.
            at = start + 1
            run = _OTHER_DIGITS.match(text, at) if text[start] > "z" else None
            if run is not None:
                at = run.end()
        else:
            yield found
            at = found.end()


def _restore(text: str, saved: list[str]) -> str:
    if not saved:
        return text
    return _PLACEHOLDERS.sub(lambda m: saved[ord(m.group(0)) - _PLACEHOLDER_BASE], text)
