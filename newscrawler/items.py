"""The article record: the contract between extraction and the warehouse.

Fields are written to JSONL in this declaration order. A field the page does not have is
``None`` (or an empty list), never invented. Bump :data:`SCHEMA_VERSION` when a field's meaning
or type changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, TypedDict

SCHEMA_VERSION = 1


class Image(TypedDict):
    """One image of the article with its caption (captions never go into ``body``)."""

    url: str
    caption: str | None


@dataclass
class Article:
    """A cleaned news article."""

    id: str | None = None
    """Stable id: ``<site>:<news_id>`` when the site numbers its news, else a hash of the
    canonical URL. The same article always gets the same id, across runs and machines."""
    schema_version: int = SCHEMA_VERSION
    """Version of this record layout."""
    site: str | None = None
    """Site profile name (the spider name), e.g. ``irna``."""
    cms: str | None = None
    """CMS family of the page: nastooh, iransamaneh, asam, studiokhabar, wordpress, generic."""
    url: str | None = None
    """URL the page was fetched from."""
    canonical_url: str | None = None
    """Normalized canonical URL (short form where the CMS has one; no tracking parameters)."""
    news_id: str | None = None
    """The site's own news number («کد خبر»), as a string of ASCII digits."""
    title: str | None = None
    """Headline, normalized Persian text."""
    kicker: str | None = None
    """Line above the headline («روتیتر»)."""
    subtitle: str | None = None
    """Line below the headline, when the template has one separate from the lead."""
    lead: str | None = None
    """Summary paragraph («لید»)."""
    body: str | None = None
    """Article text: paragraphs separated by ``\\n``; widgets, captions, sign-offs removed."""
    published_at: str | None = None
    """Publication time, ISO 8601 with the Asia/Tehran offset valid on that date."""
    published_at_raw: str | None = None
    """The date exactly as found on the page (meta value or visible text)."""
    modified_at: str | None = None
    """Last modification time, ISO 8601 with offset, when the page states one."""
    section: str | None = None
    """Section or service name as the site shows it (e.g. «اقتصادی»)."""
    tags: list[str] = field(default_factory=list)
    """Keywords the site attached to the article."""
    province: str | None = None
    """Province the article is about, in Persian (from the page, the listing or the site)."""
    author: str | None = None
    """Reporter or author, when the page names one."""
    publisher: str | None = None
    """Person who posted the article («انتشار دهنده»), kept apart from the author."""
    source_agency: str | None = None
    """Agency the text comes from, e.g. ``IRNA`` when the body opens «به گزارش ایرنا»; when the
    text names none, the syndication pipeline takes the agency of the story's earliest published
    copy (the one its text names, or the agency whose own site published it)."""
    cluster_id: str | None = None
    """Id of the story this article tells: the ``id`` of the first copy of it the crawler
    delivered, on any site and in any run (the article's own ``id`` when it is that first copy).
    Copies of one story share it, so a warehouse counts the story once. Set by the syndication
    pipeline, never by extraction; it does not change once delivered."""
    duplicate_of: str | None = None
    """For a republished copy (same text with edits: a new first sentence, a source line, a
    paragraph cut, spacing), the ``id`` of the already delivered copy closest to it; ``None``
    for the first copy of a story. Set by the syndication pipeline."""
    images: list[Image] = field(default_factory=list)
    """Images of the article with captions."""
    language: str = "fa"
    """ISO 639-1 language code of the text."""
    word_count: int = 0
    """Words in ``body``."""
    content_hash: str | None = None
    """SHA-256 of the body's match key (spacing-, ZWNJ- and digit-insensitive): equal bodies,
    equal hashes, across sites."""
    version: int = 1
    """1 for the first delivery of an article; +1 each time a later run finds its body or its
    modification date changed and delivers it again."""
    changed_at: str | None = None
    """When the change that made this version was detected (ISO 8601 UTC); null for version 1."""
    crawled_at: str | None = None
    """When the page was fetched, ISO 8601 UTC (set by ``ContractPipeline``, not by extraction)."""


ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
_PLAIN = frozenset({str, int, float, type(None)})


def fields_of(item: Any) -> Any:
    """The item's fields as attributes to read and set: an :class:`Article` itself (a
    dataclass: what itemadapter would read and set, without building an adapter, 11 µs an
    item), any other item through itemadapter (:class:`ItemFields`)."""
    return item if type(item) is Article else ItemFields(item)


class ItemFields:
    """An item that is not a plain :class:`Article`, its fields read (``None`` when missing,
    as ``ItemAdapter.get``) and set as attributes, through itemadapter."""

    def __init__(self, item: Any) -> None:
        from itemadapter import ItemAdapter  # imports Scrapy: see record_of

        object.__setattr__(self, "_adapter", ItemAdapter(item))

    def __getattr__(self, name: str) -> Any:
        value: Any = self._adapter.get(name)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        self._adapter[name] = value


def record_of(item: Any) -> dict[str, Any]:
    """The item as the plain dict that is validated, deduplicated and written: what
    ``ItemAdapter(item).asdict()`` gives, fast for an :class:`Article` of plain values.

    itemadapter copies every value recursively and asks each one whether it is an item of any
    supported kind: about 0.3 ms an article, paid by three pipelines. An Article's values are
    strings, numbers, ``None``, a list of strings and a list of :class:`Image` dicts; anything
    else (a subclass, a tuple, a nested item) takes itemadapter's way.
    """
    if type(item) is Article:
        record = {name: getattr(item, name) for name in ARTICLE_FIELDS}
        tags, images = record["tags"], record["images"]
        if (
            type(tags) is list
            and all(type(tag) is str for tag in tags)
            and type(images) is list
            and all(
                type(image) is dict and all(type(v) in _PLAIN for v in image.values())
                for image in images
            )
            and all(type(v) in _PLAIN for k, v in record.items() if k not in ("tags", "images"))
        ):
            record["tags"] = list(tags)
            record["images"] = [dict(image) for image in images]
            return record
    from itemadapter import ItemAdapter  # imports Scrapy: not for modules that only read records

    return ItemAdapter(item).asdict()
