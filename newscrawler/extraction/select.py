"""A profile's CSS selectors on a page: alternatives in order, and the ones that cannot match
skipped without searching.

A profile field lists alternatives in order of preference (``"h1.title, .news-title"``): the
first one that matches anything wins. Each query lxml runs walks every element under the
root; on a 40 KB page that is the cost of the query whether it finds anything or not, and most
alternatives of most fields find nothing (a site's other template, a field its pages lack).

An alternative made only of tag names, ``.class`` and ``#id`` parts (with descendant or child
combinators) can only match when each class it names is a substring of some class attribute
of the page and each id one of its ids: that is the first test of the XPath CSS translates to
(``contains(@class, 'x')``, ``@id = 'x'``). So the page's class and id attributes are read
once (one XPath), and such an alternative whose names are not there is skipped: the result is
what the query would have returned, found without walking the page
(``tests/test_perf_equivalence.py`` compares the two on every fixture and profile).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from lxml import etree
from parsel import Selector, SelectorList

#: An alternative of only tags, classes and ids, and descendant or child combinators.
_SIMPLE = re.compile(
    r"\s*(?:[a-zA-Z][\w-]*|\*)?(?:[.#][\w-]+)*"
    r"(?:\s*(?:\s|>)\s*(?:[a-zA-Z][\w-]*|\*)?(?:[.#][\w-]+)*)*\s*"
)
_NAMES = re.compile(r"([.#])([\w-]+)")
_CLASSES = etree.XPath("//@class", smart_strings=False)
_IDS = etree.XPath("//@id", smart_strings=False)
#: Separates the joined attribute values: no class or id name holds it.
_GLUE = "\x00"


def split_css(css: str) -> list[str]:
    """The alternatives of a selector group, split on top-level commas.

    >>> split_css("h1.title, a[title='x,y'], :is(p, li)")
    ['h1.title', "a[title='x,y']", ':is(p, li)']
    """
    parts, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(css):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(css[start:index].strip())
            start = index + 1
    parts.append(css[start:].strip())
    return [part for part in parts if part]


@lru_cache(maxsize=1024)
def _plan(css: str) -> tuple[tuple[str, tuple[tuple[str, ...], tuple[str, ...]] | None], ...]:
    """Each alternative of ``css`` with the class and id names it needs (``None``: any other
    selector, always queried)."""
    plan = []
    for alternative in split_css(css):
        needs = None
        if _SIMPLE.fullmatch(alternative):
            names = _NAMES.findall(alternative)
            needs = (
                tuple(name for kind, name in names if kind == "."),
                tuple(name for kind, name in names if kind == "#"),
            )
        plan.append((alternative, needs))
    return tuple(plan)


class _PageNames:
    """The class attributes and ids of the last page asked about, joined (one page at a
    time: extraction reads a page's fields one after the other)."""

    document: Any = None
    classes = ""
    ids: frozenset[str] = frozenset()

    @classmethod
    def of(cls, element: Any) -> type[_PageNames]:
        # The root element, not the tree: lxml makes a new tree object at every call, while an
        # element keeps its Python object as long as something holds it (this class does).
        document = element.getroottree().getroot()
        if document is not cls.document:
            cls.document = document
            cls.classes = _GLUE.join(_CLASSES(document))
            cls.ids = frozenset(_IDS(document))
        return cls


def _may_match(root: Selector, needs: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    classes, ids = needs
    if not classes and not ids:
        return True
    page = _PageNames.of(root.root)
    return all(name in page.classes for name in classes) and all(name in page.ids for name in ids)


def css_first(root: Selector, css: str | None) -> SelectorList[Selector]:
    """Matches of the first alternative of ``css`` that matches anything: a profile lists
    alternatives in order of preference, not in document order."""
    if not css:
        return SelectorList()
    element = root.root
    searchable = isinstance(element, etree._Element)
    for alternative, needs in _plan(css):
        if searchable and needs is not None and not _may_match(root, needs):
            continue
        found = root.css(alternative)
        if found:
            return found
    return SelectorList()
