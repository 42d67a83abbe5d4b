"""Machine-readable metadata of a page: JSON-LD article nodes and ``<meta>`` tags."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from parsel import Selector

from newscrawler.persian.language import ARABIC_HINT, text_language

_TEXTS = etree.XPath("text()", smart_strings=False)
ARTICLE_TYPES = frozenset(
    {
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "BlogPosting",
        "AnalysisNewsArticle",
        "WebPage",
    }
)


def _tagged(root: Any) -> tuple[list[Any], str | None, list[str]]:
    """What ``//meta[@content]``, ``//link[@rel='canonical']/@href`` (the first) and
    ``//script[@type='application/ld+json']/text()`` find under the page's root element, in
    one walk lxml makes in C (``iter`` with tag names): 11-17 µs a bench page, against
    110-250 µs for the three queries, each a walk of every node."""
    metas: list[Any] = []
    canonical: str | None = None
    scripts: list[str] = []
    for element in root.iter("meta", "link", "script"):
        tag = element.tag
        if tag == "meta":
            if element.get("content") is not None:
                metas.append(element)
        elif tag == "link":
            if canonical is None and element.get("rel") == "canonical":
                canonical = element.get("href")
        elif element.get("type") == "application/ld+json":
            # text(): the text before the first child and after each (a script has none)
            scripts += _TEXTS(element) if len(element) else [element.text] if element.text else []
    return metas, canonical, scripts


def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for entry in data:
            yield from _nodes(entry)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _nodes(data["@graph"])


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", [])
    return set(kind) if isinstance(kind, list) else {str(kind)}


@dataclass
class PageMetadata:
    """What a page says about itself, before any template-specific selector is used."""

    meta: dict[str, str] = field(default_factory=dict)
    """``<meta>`` values by ``property`` or ``name`` (first one wins), lowercased keys."""
    ld: dict[str, Any] = field(default_factory=dict)
    """The first JSON-LD node of an article type (``@graph`` walked); empty when none."""
    canonical: str | None = None
    """``link[rel=canonical]`` href."""
    meta_all: dict[str, list[str]] = field(default_factory=dict)
    """Every value of repeated metas (``article:tag``)."""

    @classmethod
    def from_selector(cls, sel: Selector) -> PageMetadata:
        page = cls()
        metas, canonical, scripts = _tagged(sel.root)
        for tag in metas:
            key = (tag.get("property") or tag.get("name") or "").strip().lower()
            if key:
                value = tag.get("content").strip()
                page.meta.setdefault(key, value)
                page.meta_all.setdefault(key, []).append(value)
        page.canonical = canonical
        for raw in scripts:
            try:
                data = json.loads(raw, strict=False)  # raw newlines inside strings are common
            except ValueError:
                continue
            for node in _nodes(data):
                kinds = _types(node)
                if kinds & ARTICLE_TYPES and (not page.ld or "WebPage" in _types(page.ld)):
                    page.ld = node
        return page

    def ld_text(self, key: str) -> str | None:
        """A JSON-LD string value (first of a list; ``name`` of an object)."""
        value = self.ld.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("name") or value.get("url")
        return str(value).strip() if value else None

    def first(self, *keys: str) -> str | None:
        """The first non-empty meta among ``keys``."""
        for key in keys:
            value = self.meta.get(key)
            if value:
                return value
        return None


def page_language(sel: Selector, meta: PageMetadata) -> str:
    """``ar`` or ``fa``: the page's ``lang`` attribute, checked against what its title and
    description are written in (:mod:`newscrawler.persian.language`)."""
    hint = sel.root.get("lang") or meta.first("content-language") or ""
    sample = [
        meta.first("og:title", "twitter:title") or "",
        meta.first("description", "og:description") or "",
    ]
    if not hint.lower().startswith("ar") and not any(ARABIC_HINT.search(t) for t in sample):
        return "fa"
    return text_language(sample, hint)


def body_language(body: str | None, page: str) -> str:
    """The article's language: the one most of its body is written in."""
    if not body or (page != "ar" and not ARABIC_HINT.search(body)):
        return page
    return text_language(body.split("\n"), page)
