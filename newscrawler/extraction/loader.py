"""Which cleaning runs on which field of an :class:`~newscrawler.items.Article`.

Processors come from :mod:`newscrawler.persian.normalize` (normalization),
:mod:`newscrawler.persian.boilerplate` (widget lines) and :mod:`newscrawler.persian.dates`; this
module only wires them to fields. The loader context carries ``drop_text`` (a site's extra
boilerplate phrases) and ``language`` (the page's, ``fa`` or ``ar``: Arabic lines keep their
letters, :mod:`newscrawler.persian.language`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any

from itemadapter import ItemAdapter
from itemloaders import ItemLoader
from itemloaders.processors import Identity, Join, MapCompose, TakeFirst

from newscrawler.items import Article, Image
from newscrawler.persian.boilerplate import drop_boilerplate, publisher_from_line
from newscrawler.persian.chars import to_latin_digits
from newscrawler.persian.dates import iso
from newscrawler.persian.normalize import normalize_text


def normalize_paragraphs(lines: Iterable[str], language: str | None = None) -> list[str]:
    """Normalize a list of paragraphs in one hazm call (same result as one call per line, a
    fraction of the cost), keeping one output line per non-empty paragraph.

    The body and the publisher line both read the body's paragraphs: the last few results are
    kept, so the paragraphs are normalized once for both.
    """
    joined = "\n".join(line.replace("\n", " ") for line in lines)
    return list(_normalize_joined(joined, language))


@lru_cache(maxsize=8)
def _normalize_joined(joined: str, language: str | None) -> tuple[str, ...]:
    normalized = normalize_text(joined, language)
    return tuple(normalized.split("\n")) if normalized else ()


def body_lines(lines: list[str], loader_context: dict[str, Any]) -> list[str]:
    """Normalized paragraphs minus boilerplate lines."""
    paragraphs = normalize_paragraphs(lines, loader_context.get("language"))
    return drop_boilerplate(paragraphs, loader_context.get("drop_text", ()))


def publisher_lines(lines: list[str], loader_context: dict[str, Any]) -> list[str]:
    """The names in «انتشار دهنده: …» lines among the body's normalized paragraphs."""
    paragraphs = normalize_paragraphs(lines, loader_context.get("language"))
    return [name for line in paragraphs if (name := publisher_from_line(line))]


class Normalize:
    """Input processor: :func:`normalize_text` of every value, in the page's language (the
    loader context's ``language``); empty results are left out. What ``MapCompose`` would do,
    without inspecting a function's signature for every value."""

    def __call__(self, values: Any, loader_context: dict[str, Any] | None = None) -> list[str]:
        language = loader_context.get("language") if loader_context else None
        if isinstance(values, str) or values is None:
            values = [values]
        return [text for value in values if (text := normalize_text(value, language))]


def normalize_in_context(value: str, loader_context: dict[str, Any]) -> str | None:
    """:func:`normalize_text` in the page's language, for ``MapCompose`` chains."""
    return normalize_text(value, loader_context.get("language"))


def unique(values: list[str]) -> list[str]:
    """Keep the first of repeated values, in order.

    >>> unique(["قزوین", "صنعت", "قزوین"])
    ['قزوین', 'صنعت']
    """
    return list(dict.fromkeys(values))


def clean_tag(value: str, loader_context: dict[str, Any]) -> str | None:
    """Tags without the ``#`` some themes print, and without separators."""
    text = normalize_text(value.strip().lstrip("#").strip(" ،,؛;"), loader_context.get("language"))
    return text.replace("_", " ") if text else None


def clean_image(value: Image, loader_context: dict[str, Any]) -> Image | None:
    """An image with a normalized caption; ``None`` for an image without a URL."""
    if not value.get("url"):
        return None
    caption = normalize_text(value.get("caption"), loader_context.get("language"))
    return {"url": value["url"], "caption": caption}


#: Labels some templates print before the author's name.
AUTHOR_LABEL = re.compile(
    r"^(?:نویسنده|خبرنگار|گزارش|گزارشگر|به\s*قلم|نوشته|تهیه\s*و\s*تنظیم|مترجم|ترجمه)\s*[:：]?\s*"
)


def clean_author(value: str) -> str | None:
    """An author's name without its label; a bare reporter code is not a name.

    >>> clean_author("نویسنده: مریم صالحی")
    'مریم صالحی'
    >>> clean_author("خبرنگار : 30165") is None
    True
    """
    name = AUTHOR_LABEL.sub("", value.strip()).strip(" :،")
    if not name or name.translate(str.maketrans("", "", "0123456789۰۱۲۳۴۵۶۷۸۹ ")) == "":
        return None
    return name


def digits_only(value: str) -> str | None:
    """News ids as ASCII digits.

    >>> digits_only("کد خبر: ۱۳۶۰۷")
    '13607'
    """
    digits = "".join(ch for ch in to_latin_digits(value) if ch.isdigit())
    return digits or None


def to_iso(value: datetime | str) -> str | None:
    return iso(value) if isinstance(value, datetime) else value


@lru_cache(maxsize=256)
def _field_meta(item_class: type, field_name: str) -> Any:
    return ItemAdapter.get_field_meta_from_class(item_class, field_name)


class ArticleLoader(ItemLoader):  # type: ignore[misc]
    """Cleans every text field with the same normalization; the body line by line."""

    default_item_class = Article
    default_input_processor = Normalize()
    default_output_processor = TakeFirst()

    body_in = body_lines
    body_out = Join("\n")
    publisher_in = publisher_lines
    tags_in = MapCompose(clean_tag)
    tags_out = unique
    images_in = MapCompose(clean_image)
    images_out = Identity()
    news_id_in = MapCompose(digits_only)
    author_in = MapCompose(normalize_in_context, clean_author)
    published_at_in = MapCompose(to_iso)
    modified_at_in = MapCompose(to_iso)
    published_at_raw_in = MapCompose(lambda v: " ".join(v.split()) or None)
    url_in = Identity()
    canonical_url_in = Identity()
    site_in = Identity()
    cms_in = Identity()
    source_agency_in = Identity()

    def get_input_processor(self, field_name: str) -> Any:
        return _processor(type(self), field_name, "in")

    def get_output_processor(self, field_name: str) -> Any:
        return _processor(type(self), field_name, "out")

    def _get_item_field_attr(self, field_name: str, key: Any, default: Any = None) -> Any:
        # ItemLoader builds an ItemAdapter around the item for every value added and every
        # field output, to read the field's metadata, which belongs to the item's class.
        item_class: Any = type(self.item)
        return _field_meta(item_class, field_name).get(key, default)


#: ``(loader class, field, "in" or "out")`` → processor (:func:`_processor`).
_PROCESSORS: dict[tuple[Any, str, str], Any] = {}


def _processor(loader_class: Any, field_name: str, kind: str) -> Any:
    """ItemLoader's input (``in``) or output (``out``) processor of a field, looked up once per
    loader class: it depends only on the class's attributes and the item's field metadata,
    and ItemLoader looks it up for every value added (an attribute lookup, the field's
    metadata and an ``AttributeError`` raised and caught to unwrap a method). As many entries
    as loader classes × fields × 2."""
    key = (loader_class, field_name, kind)
    found = _PROCESSORS.get(key)
    if found is None:
        probe = loader_class()  # made only to ask: the lookups read its class, not its state
        lookup = ItemLoader.get_input_processor if kind == "in" else ItemLoader.get_output_processor
        found = _PROCESSORS[key] = lookup(probe, field_name)
    return found
