"""DOM helpers: remove widgets, turn an element into paragraphs of text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from cssselect import SelectorError, parse
from lxml import etree
from parsel import Selector
from parsel.csstranslator import HTMLTranslator

from newscrawler.extraction.widgets import STRUCTURAL, find_widgets

#: Elements that start a new paragraph.
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "blockquote",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tr",
        "pre",
        "header",
        "footer",
        "aside",
        "nav",
        "dd",
        "dt",
        "dl",
        "figure",
        "address",
        "center",
        "main",
    ]
)

#: Elements whose content is never text for a reader (code, styles, fallbacks).
NON_TEXT_TAGS = frozenset(["script", "style", "noscript", "template"])


_TRANSLATOR = HTMLTranslator()
EXSLT_REGEXP = "http://exslt.org/regular-expressions"
#: An element name that ``name()`` gives as written in the selector (no prefix, no quote).
_PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_.-]*")
_CLASS_TEST = "@class and "


@lru_cache(maxsize=64)
def drop_query(selectors: tuple[str, ...]) -> str:
    """One XPath for the elements matching any of ``selectors``, each kind of test on the
    cheapest axis.

    The union parsel makes of a selector group tests every element against every selector in a
    predicate, which libxml2 evaluates in a context of its own per element and test (0.43 ms
    for the 21 non-class widgets of :data:`~newscrawler.sites.profile.COMMON_DROP` on a bench
    body of 80 elements). A selector of one step (a tag, class, id or attribute test, no
    combinator) is a test on the element itself, so here tag names become name tests
    (``descendant-or-self::script``), class and id tests are made on the attribute axis
    (``descendant-or-self::*/@class[...]/parent::*``, which visits the attributes, not every
    element), a tag with a condition is a name test with a predicate, and what is left is
    ``or``-ed in one predicate; the rest stay as they are. A union of location paths is one
    node-set in document order, the same elements in the same order as the selector group
    (0.15 ms on that body). The widget pseudo-classes of
    :data:`~newscrawler.extraction.widgets.STRUCTURAL` are left out: they are not CSS,
    :func:`drop_all` finds them by walking from the links.

    >>> drop_query(("script", "iframe", "[class*=ads]", "#x", "div > p"))
    "descendant-or-self::script | descendant-or-self::iframe | descendant-or-self::*/@class[\
(contains(., 'ads'))]/parent::* | descendant-or-self::*/@id[. = 'x']/parent::* | \
descendant-or-self::div/p"
    """
    kinds: dict[str, list[str]] = {"branch": [], "class": [], "id": [], "test": [], "other": []}
    for css in selectors:
        if css in STRUCTURAL:
            continue
        try:
            parsed = parse(css)
        except SelectorError:
            return str(_TRANSLATOR.css_to_xpath(", ".join(selectors)))
        for selector in parsed:
            kind, text = _drop_step(selector)
            kinds[kind].append(text)
    branches = kinds["branch"]
    if kinds["class"]:
        branches.append(f"descendant-or-self::*/@class[{' or '.join(kinds['class'])}]/parent::*")
    if kinds["id"]:
        branches.append(f"descendant-or-self::*/@id[{' or '.join(kinds['id'])}]/parent::*")
    if kinds["test"]:
        branches.append(f"descendant-or-self::*[{' or '.join(kinds['test'])}]")
    return " | ".join([*branches, *kinds["other"]])


def _drop_step(selector: Any) -> tuple[str, str]:
    """Where :func:`drop_query` puts one parsed selector: a union ``branch`` of its own, a
    test on the ``class`` or ``id`` attribute, a ``test`` or-ed on every element, or an
    ``other`` path left as cssselect writes it."""
    expr = _TRANSLATOR.xpath(selector.parsed_tree)
    element, condition = expr.element, expr.condition
    if expr.path or selector.pseudo_element or "position()" in condition or "last()" in condition:
        return "other", "descendant-or-self::" + str(expr)
    if element != "*":
        plain = not condition and _PLAIN_NAME.fullmatch(element)
        return "branch", f"descendant-or-self::{element}" + ("" if plain else f"[{condition}]")
    if (test := _on_class_attribute(condition)) is not None:
        return "class", f"({test})"
    if match := _ID_TEST.fullmatch(condition):
        return "id", f". = {match.group(1)}"
    return "test", f"({condition})" if condition else "true()"


#: cssselect's id test.
_ID_TEST = re.compile(r"@id = ('[^']*')")
#: A test of the class attribute alone once written on the attribute (``.``): string
#: functions of it, literals without ``@``, ``and``.
_ON_ATTRIBUTE = re.compile(
    r"(?:contains|starts-with|concat|normalize-space|substring|string-length|and"
    r"|'[^'@]*'|[().,=+\-\s\d])+"
)


def _on_class_attribute(condition: str) -> str | None:
    """``condition`` (on an element) as the same test on its class attribute, when it tests
    nothing else: cssselect's ``.x`` and ``[class*=x]`` begin ``@class and``."""
    if not condition.startswith(_CLASS_TEST):
        return None
    test = condition.removeprefix(_CLASS_TEST).replace("@class", ".")
    return test if _ON_ATTRIBUTE.fullmatch(test) else None


def page_host(node: Selector) -> str:
    """The host (and port) of the page ``node`` was parsed from, without ``www.``; ``""`` when
    the page was parsed without its URL."""
    root = node.root
    url = root.getroottree().docinfo.URL if isinstance(root, etree._Element) else None
    if not url:
        return ""
    netloc = urlsplit(str(url)).netloc.rpartition("@")[2].lower()
    return netloc.removeprefix("www.")


#: A selector that is one class name: matched on the class tokens, outside XPath.
_ONE_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
_WITH_CLASS = etree.XPath("descendant-or-self::*[@class]")


@lru_cache(maxsize=64)
def _drop_plan(
    selectors: tuple[str, ...],
) -> tuple[etree.XPath | None, frozenset[str], frozenset[str]]:
    """How :func:`drop_all` finds ``selectors``: the compiled :func:`drop_query` of the CSS
    that is more than a class name (lxml compiles a query string at every call), the class
    names, and the widget pseudo-classes."""
    classes = frozenset(m.group(1) for s in selectors if (m := _ONE_CLASS.fullmatch(s)))
    css = tuple(s for s in selectors if s not in STRUCTURAL and not _ONE_CLASS.fullmatch(s))
    query = etree.XPath(drop_query(css), namespaces={"re": EXSLT_REGEXP}) if css else None
    return query, classes, frozenset(selectors) & STRUCTURAL


def matches(node: Selector, selectors: tuple[str, ...]) -> list[Any]:
    """The elements under ``node`` (itself included) that :func:`drop_all` would remove.

    Class names are looked up in each class attribute's tokens: one set test an element, where
    XPath tests each name in turn (with the 70 of ``COMMON_DROP``, 0.1 ms against 0.3 ms a
    body); the widget pseudo-classes of :data:`~newscrawler.extraction.widgets.STRUCTURAL` are
    found by :func:`~newscrawler.extraction.widgets.find_widgets`; the rest is one XPath
    (:func:`drop_query`)."""
    root = node.root
    if not isinstance(root, etree._Element):
        return []
    query, classes, kinds = _drop_plan(selectors)
    found = list(query(root)) if query is not None else []
    if classes:
        found += [e for e in _WITH_CLASS(root) if not classes.isdisjoint(e.get("class").split())]
    if kinds:
        found += find_widgets(root, page_host(node), kinds)
    return found


def drop_all(nodes: Iterable[Selector], selectors: Iterable[str]) -> int:
    """Remove every element matching ``selectors`` under ``nodes``; return how many went.

    ``selectors`` are CSS, or the widget pseudo-classes of
    :data:`~newscrawler.extraction.widgets.STRUCTURAL`. Every match is found (:func:`matches`)
    before any is removed."""
    selectors = tuple(selectors)
    if not ", ".join(selectors):
        return 0
    return sum(1 for node in nodes for widget in matches(node, selectors) if _drop(widget))


def _drop(element: Any) -> bool:
    """Remove ``element`` from its parent, keeping the text after it (as parsel's ``drop``);
    ``False`` for the root, which has no parent."""
    parent = element.getparent()
    if parent is None:
        return False
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
    return True


def _walk(element: Any, lines: list[str], current: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "br":
        lines.append("".join(current))
        current.clear()
    elif tag and tag.lower() not in NON_TEXT_TAGS:
        block = tag.lower() in BLOCK_TAGS
        if block:
            lines.append("".join(current))
            current.clear()
        if element.text:
            current.append(element.text)
        for child in element:
            _walk(child, lines, current)
        if block:
            lines.append("".join(current))
            current.clear()
    # comments, processing instructions and scripts carry no text, but their tails do
    if element.tail:
        current.append(element.tail)


def paragraphs(nodes: Iterable[Selector]) -> list[str]:
    """Text of ``nodes`` as paragraphs: block elements and ``<br>`` break lines.

    >>> html = "<div><p>یک <b>دو</b></p>سه<br>چهار<ul><li>پنج</li></ul></div>"
    >>> paragraphs(Selector(html).css("div"))
    ['یک دو', 'سه', 'چهار', 'پنج']
    """
    lines: list[str] = []
    for node in nodes:
        root = node.root
        if not isinstance(root, etree._Element):
            continue
        current: list[str] = []
        saved_tail, root.tail = root.tail, None
        try:
            _walk(root, lines, current)
        finally:
            root.tail = saved_tail
        lines.append("".join(current))
    return [line for line in (" ".join(raw.split()) for raw in lines) if line]


def text_of(nodes: Iterable[Selector]) -> str | None:
    """All text of the first matching node, on one line; ``None`` when nothing matched."""
    for node in nodes:
        element = node.root
        if _is_leaf_with_text(element):  # a headline, a date: its text is all there is
            text = " ".join(element.text.split())
        else:
            text = " ".join(" ".join(paragraphs([node])).split())
        if text:
            return text
    return None


def _is_leaf_with_text(element: Any) -> bool:
    """An element without children whose own text :func:`paragraphs` reads (not ``<br>``,
    not a script)."""
    tag = getattr(element, "tag", None)
    return (
        isinstance(tag, str)
        and element.text is not None
        and len(element) == 0
        and tag.lower() not in NON_TEXT_TAGS
        and tag.lower() != "br"
    )


def texts_of(nodes: Iterable[Selector]) -> Iterator[str]:
    """Text of each matching node (tags, breadcrumb items)."""
    for node in nodes:
        text = text_of([node])
        if text:
            yield text


_STRING = etree.XPath("string()", smart_strings=False)
#: What XPath's ``normalize-space`` (in the class test CSS translates to) counts as space.
_XML_SPACE = re.compile("[ \t\r\n]+")
_CAPTION_CLASS = "wp-caption-text"


def image_and_caption(element: Any) -> tuple[Any, str | None]:
    """The attributes of a figure's first ``<img>`` (the element's own when it is one; empty
    when it has none) and the text of its first caption (``<figcaption>`` or
    ``.wp-caption-text``; ``None`` for an image or a figure without one).

    What ``node.css("img").attrib`` and ``node.css("figcaption, .wp-caption-text")
    .xpath("string()").get()`` give, from one walk of the figure instead of two selector
    queries and the selectors built for their matches (``tests/test_perf_equivalence.py``).
    """
    if element.tag == "img":
        return element.attrib, None
    image = next(element.iter("img"), None)
    caption = None
    for node in element.iter(etree.Element):
        if node.tag == "figcaption" or (
            _CAPTION_CLASS in (node.get("class") or "")
            and _CAPTION_CLASS in _XML_SPACE.split(node.get("class"))
        ):
            caption = _STRING(node)
            break
    return (image.attrib if image is not None else {}), caption
