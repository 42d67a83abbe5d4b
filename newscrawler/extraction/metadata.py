"""Machine-readable metadata of a page: JSON-LD article nodes and ``<meta>`` tags."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from parsel import Selector

from newscrawler.persian.language import ARABIC_HINT, text_language

_METAS = etree.XPath("//meta[@content]")
_CANONICAL = etree.XPath("//link[@rel='canonical']/@href", smart_strings=False)
_JSON_LD = etree.XPath("//script[@type='application/ld+json']/text()", smart_strings=False)
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
        # Compiled queries on lxml's elements: no Selector built per <meta>.
        for tag in _METAS(sel.root):
            key = (tag.get("property") or tag.get("name") or "").strip().lower()
            if key:
                value = tag.get("content").strip()
                page.meta.setdefault(key, value)
                page.meta_all.setdefault(key, []).append(value)
        canonical = _CANONICAL(sel.root)
        page.canonical = str(canonical[0]) if canonical else None
        for raw in _JSON_LD(sel.root):
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
