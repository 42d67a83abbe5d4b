"""A profile's CSS selectors on a page: alternatives in order, and the ones that cannot match
skipped without searching.

A profile field lists alternatives in order of preference (``"h1.title, .news-title"``): the
first one that matches anything wins. Each query lxml runs walks every element under the
root; on a 40 KB page that is the cost of the query whether it finds anything or not, and most
alternatives of most fields find nothing (a site's other template, a field its pages lack).

An alternative made only of tag names, ``.class`` and ``#id`` parts (with descendant or child
combinators) can only match when each class it names is a substring of some class attribute
under the root (the root included) and each id one of their ids: that is the first test of the
XPath CSS translates to (``contains(@class, 'x')``, ``@id = 'x'``). So the class and id
attributes under the root are read once (the root is the article element for all of a page's
fields), and such an alternative whose names are not there is skipped: the
result is what the query would have returned, found without walking the element
(``tests/test_perf_equivalence.py`` compares the two on every fixture and profile).

The alternatives that are queried are queried in another spelling of the same XPath: cssselect
tests a class or an id as a predicate on every element (``descendant-or-self::*[@class and
contains(concat(' ', normalize-space(@class), ' '), ' x ')]``), which libxml2 evaluates in a
context of its own per element; the same test on the attribute axis
(``descendant-or-self::*/@class[...]/parent::*``) visits the attributes directly, in half the
time on a bench page (97 against 52 µs under an article element). The result is the same
node-set: the elements whose class attribute holds the token, in document order, each once
(compared on every fixture, page and element roots, in the test above).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from cssselect import SelectorError
from lxml import etree
from parsel import Selector, SelectorList
from parsel.csstranslator import HTMLTranslator

#: An alternative of only tags, classes and ids, and descendant or child combinators.
_SIMPLE = re.compile(
    r"\s*(?:[a-zA-Z][\w-]*|\*)?(?:[.#][\w-]+)*"
    r"(?:\s*(?:\s|>)\s*(?:[a-zA-Z][\w-]*|\*)?(?:[.#][\w-]+)*)*\s*"
)
_NAMES = re.compile(r"([.#])([\w-]+)")
#: One part of a plain alternative: its combinator, tag and names.
_PART = re.compile(r"\s*(>)?\s*([a-zA-Z][\w-]*|\*)?((?:[.#][\w-]+)*)")
#: A tag name XPath takes as a name test, as cssselect does (others: ``name() = ...``).
_SAFE_TAG = re.compile(r"[a-zA-Z_][a-zA-Z0-9_.-]*")
_CLASSES = etree.XPath("descendant-or-self::*/@class", smart_strings=False)
_IDS = etree.XPath("descendant-or-self::*/@id", smart_strings=False)


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


def _token_test(node: str, name: str) -> str:
    """cssselect's class test (``[class~=name]``) on ``node``."""
    return (
        f"contains({node}, '{name}') and "
        f"contains(concat(' ', normalize-space({node}), ' '), ' {name} ')"
    )


def attribute_axis_xpath(alternative: str) -> str | None:
    """The XPath of a plain alternative with its first class or id of each part tested on
    the attribute axis (the module docstring says why); ``None`` when it is not plain, or names
    a tag cssselect would not take as a name test.

    >>> attribute_axis_xpath("div > #main")
    "descendant-or-self::div/child::*/@id[. = 'main']/parent::*"
    >>> attribute_axis_xpath("a[rel=tag]") is None
    True
    """
    if not _SIMPLE.fullmatch(alternative):
        return None
    steps: list[str] = []
    for match in _PART.finditer(alternative.strip()):
        combinator, tag, names = match.groups()
        if not (tag or names):
            continue  # the empty match at the end
        if tag and tag != "*" and not _SAFE_TAG.fullmatch(tag):
            return None
        axis = "descendant-or-self" if not steps else "child" if combinator else "descendant"
        pairs = _NAMES.findall(names)
        ids = [name for kind, name in pairs if kind == "#"]
        classes = [name for kind, name in pairs if kind == "."]
        step = f"{axis}::{(tag or '*').lower()}"
        if ids:
            step += f"/@id[. = '{ids.pop(0)}']/parent::*"
        elif classes:
            step += f"/@class[{_token_test('.', classes.pop(0))}]/parent::*"
        tests = [f"@id = '{name}'" for name in ids]
        tests += [f"@class and {_token_test('@class', name)}" for name in classes]
        steps.append(step + "".join(f"[{test}]" for test in tests))
    return "/".join(steps)


Needs = tuple[tuple[str, ...], tuple[str, ...]]


@lru_cache(maxsize=1024)
def _plan(css: str) -> tuple[tuple[str, Needs | None, Any], ...]:
    """Each alternative of ``css`` with the class and id names it needs and its compiled
    attribute-axis XPath (``None``, ``None``: any other selector, queried as it is)."""
    plan = []
    for alternative in split_css(css):
        needs, query = None, None
        xpath = attribute_axis_xpath(alternative)
        if xpath is not None and _accepted(alternative):
            names = _NAMES.findall(alternative)
            needs = (
                tuple(name for kind, name in names if kind == "."),
                tuple(name for kind, name in names if kind == "#"),
            )
            query = etree.XPath(xpath)
        plan.append((alternative, needs, query))
    return tuple(plan)


def _accepted(alternative: str) -> bool:
    """cssselect parses ``alternative`` (one it refuses is left to fail as it did, when it
    is reached)."""
    try:
        HTMLTranslator().css_to_xpath(alternative)
    except SelectorError:
        return False
    return True


class _Names:
    """The class attributes (joined) and the ids under the last element asked about, itself
    included, each read when first needed (one element at a time: extraction reads a page's
    fields one after the other, from its article element).

    A class name is looked for as a substring of the joined attributes: a superset of the
    tokens XPath's ``normalize-space`` gives, read in one query (splitting them into tokens
    cost as much again). Elements removed from the tree since (widgets dropped) leave their
    names here: a name kept for nothing only costs the query it would have spared."""

    root: Any = None
    _classes: str | None = None
    _ids: frozenset[str] | None = None

    @classmethod
    def of(cls, element: Any) -> type[_Names]:
        if element is not cls.root:
            cls.root, cls._classes, cls._ids = element, None, None
        return cls

    @classmethod
    def classes(cls) -> str:
        if cls._classes is None:
            cls._classes = "\x00".join(_CLASSES(cls.root))  # no class name holds a NUL
        return cls._classes

    @classmethod
    def ids(cls) -> frozenset[str]:
        if cls._ids is None:
            cls._ids = frozenset(_IDS(cls.root))
        return cls._ids


def _may_match(root: Selector, needs: Needs | None) -> bool:
    if needs is None:
        return True
    classes, ids = needs
    if not classes and not ids:
        return True
    if root.root.getparent() is None:
        # The page itself: reading all its names costs two or three queries, and what is asked
        # of the whole page (the article element) is mostly found by its first alternative.
        return True
    names = _Names.of(root.root)
    if classes:
        joined = names.classes()
        for name in classes:  # a loop: all() over a generator cost twice as much
            if name not in joined:
                return False
    return not ids or names.ids().issuperset(ids)


def css_first(root: Selector, css: str | None) -> SelectorList[Selector]:
    """Matches of the first alternative of ``css`` that matches anything: a profile lists
    alternatives in order of preference, not in document order."""
    if not css:
        return SelectorList()
    element = root.root
    searchable = isinstance(element, etree._Element) and root.type == "html"
    for alternative, needs, query in _plan(css):
        if not searchable or query is None:
            found = root.css(alternative)
        elif not _may_match(root, needs):
            continue
        else:
            make = root.__class__
            found = SelectorList(
                make(root=node, _expr=alternative, namespaces=root.namespaces, type="html")
                for node in query(element)
            )
        if found:
            return found
    return SelectorList()
