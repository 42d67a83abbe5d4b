"""Real recorded pages of Persian and Arabic news sites (``../shared/real-pages/``), their
annotations, and the checks both ``make eval`` and the golden tests apply to them.

Each ``<name>.html`` has a ``<name>.expected.json`` written by hand from the page: exact title,
raw and ISO publication date, first and last words of the body, phrases that must never reach
it. The pages are third-party: they are read from where they are, never copied here.

Comparisons are on :func:`loose_key`: whitespace and half-spaces (ZWNJ) do not count, since
normalizing Persian spacing is the extractor's job; letters do, except that for a Persian page
Arabic ي/ك and Persian ی/ک are the same letter (the extractor writes the Persian ones). For an
Arabic page they are not: Arabic must stay Arabic.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: Where the pages are: ``$NEWSCRAWLER_REAL_PAGES``, else ``../shared/real-pages`` beside the
#: repository.
REAL_PAGES = Path(os.environ.get("NEWSCRAWLER_REAL_PAGES", ROOT.parent / "shared" / "real-pages"))

_SPACE = re.compile(r"[\s\u200c\u200d\u200e\u200f\u00a0]+")
_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه"})
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_PUNCTUATION_SPACE = re.compile(r"\s*([،,:؛;.!؟?»«()\"'_-])\s*")


def loose_key(text: str | None, language: str = "fa") -> str:
    """``text`` for comparison: NFC, digits in ASCII, no whitespace or half-spaces, spacing
    around punctuation ignored; for Persian (not Arabic) pages ي/ك/ى/ة/ۀ read as ی/ک/ی/ه/ه."""
    if not text:
        return ""
    key = unicodedata.normalize("NFC", text).translate(_DIGITS)
    key = key.replace("\u0640", "")  # tatweel
    if language != "ar":
        key = key.translate(_PERSIAN_LETTERS)
    key = _PUNCTUATION_SPACE.sub(r"\1", key)
    return _SPACE.sub("", key)


@dataclass(frozen=True)
class RealPage:
    """One recorded page and its annotation."""

    name: str
    html_path: Path
    expected: dict[str, Any]

    @property
    def url(self) -> str:
        return str(self.expected["url"])

    @property
    def kind(self) -> str:
        return str(self.expected["page_type"])

    @property
    def language(self) -> str:
        return str(self.expected.get("language", "fa"))

    @cached_property
    def body_bytes(self) -> bytes:
        return self.html_path.read_bytes()

    @property
    def encoding(self) -> str | None:
        return self.expected.get("encoding")


def real_pages(directory: Path = REAL_PAGES) -> list[RealPage]:
    """Every annotated page in ``directory`` (none when it does not exist)."""
    if not directory.is_dir():
        return []
    pages = []
    for annotation in sorted(directory.glob("*.expected.json")):
        name = annotation.name.removesuffix(".expected.json")
        html = annotation.with_name(f"{name}.html")
        if html.is_file():
            expected = json.loads(annotation.read_text(encoding="utf-8"))
            pages.append(RealPage(name, html, expected))
    return pages


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _day(value: str | None) -> date | None:
    """The calendar day of an ISO date or datetime, in its own offset."""
    if not value:
        return None
    moment = _instant(value)
    if moment is not None:
        return moment.date()
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Verdict:
    """How one extraction of an article page compares with the page's annotation."""

    body_found: bool
    title_exact: bool
    body_start: bool
    body_end: bool
    leaked: tuple[str, ...]
    date_exact: bool
    date_same_day: bool
    letters_kept: bool
    """For Arabic pages: no Arabic letter rewritten into its Persian form."""

    def row(self) -> dict[str, Any]:
        return {
            "body found": self.body_found,
            "title exact": self.title_exact,
            "body start": self.body_start,
            "body end": self.body_end,
            "leaks": len(self.leaked),
            "date exact": self.date_exact,
            "date same day": self.date_same_day,
        }


def judge(page: RealPage, title: str | None, body: str | None, published: str | None) -> Verdict:
    """Compare one extraction (title, body, ISO publication date) with ``page``'s annotation.

    A date annotated without a time (an issue date) is exact when the day is right."""
    expected = page.expected
    language = page.language
    key = loose_key(body, language)
    want = expected["published"]["iso"]
    date_only = len(want) == 10
    same_day = _day(published) is not None and _day(published) == _day(want)
    exact = same_day if date_only else (_instant(published) == _instant(want) is not None)
    letters_kept = True
    if language == "ar" and body:
        letters_kept = "ی" not in body and "ک" not in body
    return Verdict(
        body_found=bool(body and body.strip()),
        title_exact=bool(title)
        and loose_key(title, language) == loose_key(expected["title"], language),
        body_start=bool(key) and key.startswith(loose_key(expected["body_first"], language)),
        body_end=bool(key) and key.endswith(loose_key(expected["body_last"], language)),
        leaked=tuple(
            phrase
            for phrase in expected.get("must_not_contain", [])
            if loose_key(phrase, language) in key
        ),
        date_exact=bool(exact),
        date_same_day=same_day,
        letters_kept=letters_kept,
    )
