"""DOM helpers: remove widgets, turn an element into paragraphs of text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree
from parsel import Selector

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


def drop_all(nodes: Iterable[Selector], selectors: Iterable[str]) -> int:
    """Remove every element matching ``selectors`` under ``nodes``; return how many went."""
    removed = 0
    css = ", ".join(selectors)
    if not css:
        return 0
    for node in nodes:
        for widget in node.css(css):
            try:
                widget.drop()
            except ValueError:  # already removed with an ancestor
                continue
            removed += 1
    return removed


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
        text = " ".join(" ".join(paragraphs([node])).split())
        if text:
            return text
    return None


def texts_of(nodes: Iterable[Selector]) -> Iterator[str]:
    """Text of each matching node (tags, breadcrumb items)."""
    for node in nodes:
        text = text_of([node])
        if text:
            yield text
