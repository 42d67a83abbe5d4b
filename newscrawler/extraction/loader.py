"""Which cleaning runs on which field of an :class:`~newscrawler.items.Article`.

Processors come from :mod:`newscrawler.persian.normalize` (normalization),
:mod:`newscrawler.persian.boilerplate` (widget lines) and :mod:`newscrawler.persian.dates`; this
module only wires them to fields. The loader context carries ``drop_text`` (a site's extra
boilerplate phrases).
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


def normalize_paragraphs(lines: Iterable[str]) -> list[str]:
    """Normalize a list of paragraphs in one hazm call (same result as one call per line, a
    fraction of the cost), keeping one output line per non-empty paragraph.

    The body and the publisher line both read the body's paragraphs: the last few results are
    kept, so the paragraphs are normalized once for both.
    """
    return list(_normalize_joined("\n".join(line.replace("\n", " ") for line in lines)))


@lru_cache(maxsize=8)
def _normalize_joined(joined: str) -> tuple[str, ...]:
    normalized = normalize_text(joined)
    return tuple(normalized.split("\n")) if normalized else ()


def body_lines(lines: list[str], loader_context: dict[str, Any]) -> list[str]:
    """Normalized paragraphs minus boilerplate lines."""
    return drop_boilerplate(normalize_paragraphs(lines), loader_context.get("drop_text", ()))


def publisher_lines(lines: list[str]) -> list[str]:
    """The names in «انتشار دهنده: …» lines among the body's normalized paragraphs."""
    return [name for line in normalize_paragraphs(lines) if (name := publisher_from_line(line))]


def unique(values: list[str]) -> list[str]:
    """Keep the first of repeated values, in order.

    >>> unique(["قزوین", "صنعت", "قزوین"])
    ['قزوین', 'صنعت']
    """
    return list(dict.fromkeys(values))


def clean_tag(value: str) -> str | None:
    """Tags without the ``#`` some themes print, and without separators."""
    text = normalize_text(value.strip().lstrip("#").strip(" ،,؛;"))
    return text.replace("_", " ") if text else None


def clean_image(value: Image) -> Image | None:
    """An image with a normalized caption; ``None`` for an image without a URL."""
    if not value.get("url"):
        return None
    return {"url": value["url"], "caption": normalize_text(value.get("caption"))}


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
    default_input_processor = MapCompose(normalize_text)
    default_output_processor = TakeFirst()

    body_in = body_lines
    body_out = Join("\n")
    publisher_in = publisher_lines
    tags_in = MapCompose(clean_tag)
    tags_out = unique
    images_in = MapCompose(clean_image)
    images_out = Identity()
    news_id_in = MapCompose(digits_only)
    author_in = MapCompose(normalize_text, clean_author)
    published_at_in = MapCompose(to_iso)
    modified_at_in = MapCompose(to_iso)
    published_at_raw_in = MapCompose(lambda v: " ".join(v.split()) or None)
    url_in = Identity()
    canonical_url_in = Identity()
    site_in = Identity()
    cms_in = Identity()
    source_agency_in = Identity()

    def _get_item_field_attr(self, field_name: str, key: Any, default: Any = None) -> Any:
        # ItemLoader builds an ItemAdapter around the item for every value added and every
        # field output, to read the field's metadata, which belongs to the item's class.
        item_class: Any = type(self.item)
        return _field_meta(item_class, field_name).get(key, default)
