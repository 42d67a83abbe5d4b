"""One article page → one :class:`~newscrawler.items.Article`.

Field priority follows what is most reliable on Iranian news sites: machine-readable metadata
(JSON-LD, ``article:``/``og:``/``nastooh:`` metas) for dates, ids and canonical URLs; the
profile's selectors for text; the generic main-block finder only for pages without a profile.
The order of work matters: images and captions are taken first, then widgets are removed from
the body, then text is read. All cleaning happens in
:class:`~newscrawler.extraction.loader.ArticleLoader`.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector, SelectorList
from parsel.selector import create_root_node
from w3lib.url import safe_url_string

from newscrawler.extraction.agency import detect_agency
from newscrawler.extraction.detect import detect_cms
from newscrawler.extraction.dom import (
    drop_all,
    image_and_caption,
    paragraphs,
    text_of,
    texts_of,
)
from newscrawler.extraction.generic import headline, main_text_block, not_an_article, visible_date
from newscrawler.extraction.loader import ArticleLoader
from newscrawler.extraction.metadata import PageMetadata, body_language, page_language
from newscrawler.extraction.select import css_first as _css
from newscrawler.extraction.urls import canonicalize, join_plain
from newscrawler.items import Article, Image
from newscrawler.persian.chars import text_key, word_count
from newscrawler.persian.normalize import match_key, normalize_text
from newscrawler.sites.profile import COMMON_DROP, FIGURES, PROVINCES, Selectors, SiteProfile
from newscrawler.sites.unknown import AUTO, UnknownSiteProfile

if TYPE_CHECKING:
    from scrapy.http import TextResponse

#: A JSON-LD ``articleBody`` shorter than this is a teaser, not the article.
GENERIC_MIN_LD_WORDS = 40


class NotAnArticle(ValueError):
    """The page is not an article (a home, section or tag page): nothing to extract."""


#: The end of an automatic excerpt («… [&hellip;]»): such a description is cut, not a lead.
TRUNCATED = re.compile(r"(\.\.\.|…|\[…\]|\[\.\.\.\]|\[&hellip;\])\s*$")
PROVINCE_BY_NAME = {match_key(name): slug for slug, name in PROVINCES.items()}


def parse_page(html: str, url: str, source: bytes | None = None) -> Selector:
    """The page as parsel's ``Selector`` over lxml's plain HTML elements.

    parsel parses HTML with ``lxml.html``, whose element classes are chosen by a Python
    function for every element object made (1.6 µs each, against 0.2 µs with lxml's own
    classes), and extraction's walks (paragraphs, widgets, images) make hundreds a page. The
    tree is the one parsel builds (its own parsing function, same options); nothing here uses
    ``lxml.html``'s methods. Scrapy's ``Selector(text=...)`` built a response around the text
    to decode it again, which dropped a leading BOM (dropped here too), and registered every
    node for leak tracking (``tools/bench/stages.py`` times this as the parse). ``source``: the
    bytes parsel would make of ``html``, when the caller has them
    (:func:`~newscrawler.persian.charset.utf8_source`), parsed as they are.
    """
    if source is not None:
        root = create_root_node("", etree.HTMLParser, base_url=url, body=source)
    else:
        root = create_root_node(html.removeprefix("\ufeff"), etree.HTMLParser, base_url=url)
    return Selector(root=root, type="html")


def _add_first(loader: ArticleLoader, field: str, *candidates: str | None) -> None:
    """Add ``candidates`` in order until one survives cleaning. The field keeps only its first
    value, so the later ones would be normalized for nothing."""
    for value in candidates:
        if loader.get_collected_values(field):
            return
        loader.add_value(field, value)


def _first_date(
    candidates: list[str | None], now: datetime | None
) -> tuple[datetime | None, str | None]:
    from newscrawler.persian.dates import parse_date

    for raw in candidates:
        if raw and raw.strip():
            parsed = parse_date(raw, now)
            if parsed:
                return parsed, raw.strip()
    return None, None


def _images(body: SelectorList[Selector], css: str, base: str) -> list[Image]:
    """Images under ``body`` with their captions (figcaption, WordPress caption, else alt)."""
    images: list[Image] = []
    seen: set[str] = set()
    for node in body.css(css):
        attrib, caption = image_and_caption(node.root)
        src = (attrib.get("data-src") or attrib.get("src") or "").strip()
        url = join_plain(base, src)  # an http(s) URL, or None: join and quote it
        if url is None:
            url = safe_url_string(urljoin(base, src)) if src else ""
            if urlsplit(url).scheme not in ("http", "https"):  # data:, javascript:
                continue
        if url in seen:
            continue
        seen.add(url)
        images.append({"url": url, "caption": caption or attrib.get("alt") or None})
    return images


def _province(
    meta: PageMetadata, profile: SiteProfile, section: str | None, hint: str | None
) -> str | None:
    """Province from page metadata, then the listing it was found on, then the site itself."""
    candidates = [
        meta.first("nastooh:subtopic"),
        (meta.first("article:section") or "").split(">")[-1],
        section,
    ]
    for value in candidates:
        if not value:
            continue
        slug = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", value.strip()).lower().replace("_", "-")
        if slug in PROVINCES:
            return PROVINCES[slug]
        key = match_key(value.replace("استان", ""))
        if key in PROVINCE_BY_NAME:
            return PROVINCES[PROVINCE_BY_NAME[key]]
    fallback = hint or profile.province
    return PROVINCES[fallback] if fallback else None


def _generic_body(root: Selector, meta: PageMetadata) -> tuple[SelectorList[Selector], list[str]]:
    """Body of a page without a usable selector: JSON-LD ``articleBody`` when it is a real text,
    else the densest block of paragraphs (widgets dropped first so comments cannot win)."""
    ld_body = meta.ld_text("articleBody") or ""
    drop_all([root], (*COMMON_DROP, "h1", "header", "footer", "nav", "aside"))
    block = main_text_block(root)
    nodes = SelectorList([block]) if block is not None else SelectorList()
    if len(ld_body.split()) >= GENERIC_MIN_LD_WORDS:
        return nodes, [line for line in ld_body.split("\n") if line.strip()]
    return nodes, []


def extract_article(
    response: TextResponse,
    profile: SiteProfile,
    *,
    now: datetime | None = None,
    province_hint: str | None = None,
) -> Article:
    """Extract and clean the article on ``response`` with ``profile``'s selectors.

    ``now`` anchors relative dates («۲ ساعت پیش»); ``province_hint`` is the province slug of the
    listing page the article was found on. A field the page lacks stays ``None``; a page whose
    body selector matches nothing gives an article without body (the output-contract stage,
    :class:`~newscrawler.pipelines.contract.ContractPipeline`, drops it and says why).
    """
    return extract_html(response.text, response.url, profile, now=now, province_hint=province_hint)


def extract_html(
    html: str,
    url: str,
    profile: SiteProfile,
    *,
    now: datetime | None = None,
    province_hint: str | None = None,
    source: bytes | None = None,
) -> Article:
    """:func:`extract_article` on a page's text and URL: what an extraction worker process
    receives (:mod:`newscrawler.crawl.extraction_pool`), since a response does not cross
    processes. ``source``: see :func:`parse_page`."""
    # scrapy.Selector(text=html) decoded the text from UTF-8 bytes, which drops a leading BOM.
    sel = parse_page(html, url, source)
    meta = PageMetadata.from_selector(sel)
    if profile.cms == AUTO and isinstance(profile, UnknownSiteProfile):
        profile = profile.for_family(detect_cms(sel)[0])  # a site without a profile
    root = (_css(sel, profile.selectors.article)[:1] or SelectorList([sel]))[0]
    title, heading = None, None
    if profile.selectors.title is None:  # no profile: the generic headline rule
        title, heading = headline(sel, meta)
        root = _around(heading, root)
    language = page_language(sel, meta)
    loader = ArticleLoader(selector=cast(Any, root), drop_text=profile.drop_text, language=language)
    # The order matters (see the module docstring): nothing is dropped from the page until the
    # body step, so every field before it reads the page as published.
    loader.add_value("title", title)
    section = _add_headline(loader, root, meta, profile.selectors)
    _add_dates(loader, root, meta, profile.selectors, now)
    unprofiled = profile.generic_fallback or profile.selectors.title is None
    if unprofiled and not loader.get_collected_values("published_at"):
        # no profile of this site: the date printed near the headline
        heading = heading if heading is not None else headline(sel, meta)[1]
        published, raw = visible_date(sel, heading, now)
        loader.add_value("published_at", published)
        loader.add_value("published_at_raw", raw)
    _add_identity(loader, root, meta, profile, url)
    raw_lines = _add_body(loader, root, meta, profile, url)
    loader.add_value("province", _province(meta, profile, section, province_hint))
    article = _without_repeated_lead(cast(Article, loader.load_item()))
    article.language = body_language(article.body, language)
    return finalize(article, raw_lines)


def _around(heading: Any, first: Selector) -> Selector:
    """The article a page of no profile is about: the ``<article>`` or ``<main>`` holding its
    headline (the page's first ``<article>`` may be a teaser of another story), else the page."""
    if heading is None:
        return first
    for ancestor in heading.iterancestors():
        if ancestor.tag in ("article", "main", "body"):
            return Selector(root=ancestor)
    return first


def _add_headline(
    loader: ArticleLoader, root: Selector, meta: PageMetadata, s: Selectors
) -> str | None:
    """Text fields outside the body (title, kicker, subtitle, lead, section, tags, author), read
    before any widget is dropped: a profile's selectors first, the page's metadata after, since
    a site's own markup is more reliable for text. Returns the raw section, which the province
    step reads too."""
    _add_first(
        loader,
        "title",
        text_of(_css(root, s.title)),
        meta.first("og:title", "twitter:title"),
        meta.ld_text("headline"),
    )
    loader.add_value("kicker", text_of(_css(root, s.kicker)))
    loader.add_value("subtitle", text_of(_css(root, s.subtitle)))
    descriptions = (meta.ld_text("description"), meta.first("description", "og:description"))
    _add_first(
        loader,
        "lead",
        text_of(_css(root, s.lead)),
        # an excerpt is not a lead
        *(d for d in descriptions if d and not TRUNCATED.search(d)),
    )
    section = text_of(_css(root, s.section)) or meta.first("article:section")
    loader.add_value("section", section)
    loader.add_value("tags", list(texts_of(_css(root, s.tags))))
    loader.add_value("tags", meta.meta_all.get("article:tag", []))
    _add_first(
        loader,
        "author",
        text_of(_css(root, s.author)),
        meta.ld_text("author"),
        meta.first("author", "article:author"),
    )
    return section


def _add_dates(
    loader: ArticleLoader,
    root: Selector,
    meta: PageMetadata,
    s: Selectors,
    now: datetime | None,
) -> None:
    """Publication and modification dates: machine-readable metadata first (JSON-LD, then
    ``article:``/``nastooh:``/``og:`` metas, then a ``<time datetime>``), the profile's date
    text last, as the module docstring explains. The first candidate that parses wins; the
    published one is also kept as written. Read before the body step drops anything."""
    published, published_raw = _first_date(
        [
            meta.ld_text("datePublished"),
            meta.first("article:published_time", "nastooh:publishdate", "og:published_time"),
            # a page of no profile: a <time> anywhere on it may be a sidebar's
            _css(root, "time[datetime]").attrib.get("datetime")
            if s.title is not None or root.root.tag != "body"
            else None,
            text_of(_css(root, s.date)),
        ],
        now,
    )
    modified, _ = _first_date(
        [
            meta.ld_text("dateModified"),
            meta.first("article:modified_time", "og:updated_time"),
            _css(root, s.modified).attrib.get("datetime") if s.modified else None,
        ],
        now,
    )
    loader.add_value("published_at", published)
    loader.add_value("published_at_raw", published_raw)
    loader.add_value("modified_at", modified)


def _add_identity(
    loader: ArticleLoader, root: Selector, meta: PageMetadata, profile: SiteProfile, url: str
) -> None:
    """News id, URLs, site and CMS. The news id comes from the canonical URL, then the fetched
    one, then metadata, then the page's text; a profile with a canonical URL template builds
    the canonical URL from the cleaned id, so that every address of one article gives the same
    canonical URL. Read after the dates and before the body, as it always was."""
    s = profile.selectors
    canonical = urljoin(url, meta.canonical or meta.first("og:url") or url)
    news_id = (
        profile.news_id(canonical)
        or profile.news_id(url)
        or meta.first("nastooh:code", "nastooh:nid")
        or text_of(_css(root, s.news_id))
    )
    loader.add_value("news_id", news_id)
    news_id = cast("str | None", loader.get_output_value("news_id"))
    if news_id and profile.canonical:
        canonical = profile.base_url + profile.canonical.format(id=news_id)
    loader.add_value("url", url)
    loader.add_value("canonical_url", canonicalize(canonical))
    loader.add_value("site", profile.name)
    loader.add_value("cms", profile.cms)


def _add_body(
    loader: ArticleLoader, root: Selector, meta: PageMetadata, profile: SiteProfile, url: str
) -> list[str]:
    """Body, images and publisher, in the one order that works (see the module docstring): the
    lead image is read before the body's widgets are dropped, widgets are dropped before the
    body's images are read (a related-news box has pictures too), figures are dropped after
    them (their captions are not body text), and the text is read last. A page the body
    selector misses falls back to the generic finder when the profile allows it
    (:func:`_generic_body`). Returns the body's raw lines, which :func:`finalize` reads for a
    closing «منبع: …» line."""
    s = profile.selectors
    body = _css(root, s.body)[:1]
    raw_lines: list[str] = []
    if not body and (s.body is None or profile.generic_fallback):
        body, raw_lines = _generic_body(root, meta)
    # no profile of this site: is the page an article at all?
    unprofiled = s.body is None or profile.generic_fallback
    if unprofiled and (why := not_an_article(url, meta, body[0] if body else None)):
        raise NotAnArticle(why)
    if s.lead_image:
        loader.add_value("images", _images(_css(root, s.lead_image), s.images, url))
    drop_all(body, (*COMMON_DROP, *s.drop))
    loader.add_value("images", _images(body, s.images, url))
    drop_all(body, FIGURES)
    raw_lines = raw_lines or paragraphs(body)
    loader.add_value("body", raw_lines)
    loader.add_value("publisher", raw_lines)
    return raw_lines


def _without_repeated_lead(article: Article) -> Article:
    """``article`` without its lead when the lead repeats (the start of) the first paragraph:
    kept, the same text would be delivered twice. Checked on the cleaned fields, after
    loading."""
    if (
        article.lead
        and article.body
        and text_key(article.body.split("\n")[0]).startswith(text_key(article.lead))
    ):
        article.lead = None  # the lead repeats (the start of) the first paragraph
    return article


def finalize(article: Article, raw_lines: list[str]) -> Article:
    """Fields derived from the others: id, source agency, word count, content hash."""
    if article.news_id:
        article.id = f"{article.site}:{article.news_id}"
    elif article.canonical_url:
        digest = hashlib.sha256(article.canonical_url.encode()).hexdigest()[:16]
        article.id = f"{article.site}:u{digest}"
    # The dateline is in the body's first lines (normalized already); a closing «منبع: …» line
    # is boilerplate, dropped from the body, so it is read from the page's own lines.
    head = article.body.split("\n")[:2] if article.body else []
    tail = [normalize_text(line) or "" for line in raw_lines[-6:] if "منبع" in line]
    article.source_agency = detect_agency([*head, *tail])
    article.word_count = word_count(article.body)
    if article.body:  # normalized already: its key needs no second normalization
        article.content_hash = hashlib.sha256(text_key(article.body).encode()).hexdigest()
    return article
