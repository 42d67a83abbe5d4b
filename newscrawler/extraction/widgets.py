"""Widgets known by their shape, named in the drop lists as pseudo-classes.

Plugins and CMS blocks are dropped by class name (``COMMON_DROP``, each family's ``drop``).
Some widgets have no telling class, only a telling shape. A drop list names those with one of
:data:`STRUCTURAL`'s pseudo-classes, which :func:`~newscrawler.extraction.dom.drop_all` hands to
:func:`find_widgets` instead of XPath:

``:link-list``
    a related-news box: a list, block or paragraph (``ul ol div section p h3 h4``) whose text is
    all inside links to the page's own site (relative, or to its host or a subdomain), with two
    links or more, or next to another such block (several paragraphs that are each one link),
    or under a related-news heading; under such a heading, a list whose every item holds a link
    (a date or a summary beside it); a paragraph made of an inline related-news heading and
    links («<strong>بیشتر بخوانید:</strong> <a>…</a>»). One link alone in a paragraph, or a link
    inside a sentence, stays.
``:related-heading``
    a heading whose whole text is a related-news heading
    (:data:`~newscrawler.persian.widgets.RELATED_HEADINGS`), followed by links.
``:social-links``
    a block whose text is all inside links to messengers and social networks (t.me, eitaa.com,
    ble.ir, rubika.ir, instagram.com, aparat.com, …).

Every such widget holds a link or stands before one, so :func:`find_widgets` starts from the
links: it looks at the blocks around them and their previous siblings, never at the paragraphs
of a body without links. (The same rules as XPath conditions tested on every element of the
body cost about three times as much.)
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from lxml import etree

from newscrawler.persian.widgets import RELATED_HEADINGS, fold

#: The pseudo-classes :func:`find_widgets` implements.
STRUCTURAL = frozenset({":link-list", ":related-heading", ":social-links"})

#: Text that may stand outside the links of a link list: spaces, bullets, separators, digits
#: (a date or a time beside a headline).
_LOOSE = " \t\r\n\u00a0\u200c\u200e\u200f•·●■▪◀◄»«|/\\-–—_:;؛,،.…()[]0123456789۰۱۲۳۴۵۶۷۸۹"
_NOT_LOOSE = re.compile(f"[^{re.escape(_LOOSE)}]")
_HEADING_JUNK = re.compile("[" + re.escape(" :：«»-–—•|.…؛،!()[]") + "]+")
HEADING_KEYS = frozenset(_HEADING_JUNK.sub("", fold(h)) for h in RELATED_HEADINGS)
#: Longest text of a heading element worth folding.
_HEADING_CHARS = 80

_LIST_TAGS = frozenset({"ul", "ol", "div", "section", "p", "h3", "h4"})
_SOCIAL_TAGS = frozenset({"p", "div", "li", "ul", "ol", "section"})
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6", "p", "div", "strong", "b", "span"})
_INLINE_HEADING_TAGS = frozenset({"strong", "b", "span", "em", "label"})
_BLOCK_CHILDREN = frozenset({"p", "div", "ul", "ol", "li", "table"})
_NON_TEXT = frozenset({"script", "style", "noscript", "template"})
_SOCIAL_HOSTS = frozenset(
    {
        "t.me",
        "telegram.me",
        "eitaa.com",
        "ble.ir",
        "rubika.ir",
        "splus.ir",
        "sapp.ir",
        "instagram.com",
        "aparat.com",
        "wa.me",
        "whatsapp.com",
        "igap.net",
        "gap.im",
        "virasty.com",
        "twitter.com",
        "x.com",
        "youtube.com",
        "facebook.com",
        "linkedin.com",
    }
)


def _tag(element: Any) -> str:
    tag = element.tag  # lower case from the HTML parser; a function for comments
    return tag if isinstance(tag, str) else ""


def _host_of(href: str) -> str | None:
    """The host (and port) of an absolute or protocol-relative link; ``None`` for a relative
    one; ``""`` for another scheme (``mailto:``, ``javascript:``)."""
    head = href.split("/", 1)[0]
    if href.startswith("//"):
        return href[2:].split("/", 1)[0].split("?", 1)[0].lower()
    if ":" not in head:
        return None
    rest = href.partition("//")[2]
    return rest.split("/", 1)[0].split("?", 1)[0].rpartition("@")[2].lower()


def is_internal(href: str, host: str) -> bool:
    """A link to the page's own site: relative, or to ``host`` or one of its subdomains.

    >>> [is_internal(h, "irna.ir") for h in ("/news/1", "https://www.irna.ir/x", "#top")]
    [True, True, False]
    >>> [is_internal(h, "irna.ir") for h in ("https://notirna.ir/", "mailto:a@irna.ir")]
    [False, False]
    """
    href = href.strip()
    if not href or href.startswith("#"):
        return False
    netloc = _host_of(href)
    if netloc is None:
        return True
    return bool(host) and (netloc == host or netloc.endswith("." + host))


def is_social(href: str) -> bool:
    """A link to a messenger or a social network, or a subdomain of one (``tg:`` links too).

    >>> [is_social(h) for h in ("https://t.me/irna", "https://www.instagram.com/x", "/t.me")]
    [True, True, False]
    """
    href = href.strip()
    netloc = _host_of(href)
    if not netloc:
        return href[:3].lower() == "tg:"
    parts = netloc.split(".")
    return any(".".join(parts[i:]) in _SOCIAL_HOSTS for i in range(len(parts) - 1))


def _text(element: Any) -> str:
    """All text of ``element`` (lxml's serializer: a tenth of the cost of ``itertext``)."""
    return str(etree.tostring(element, method="text", encoding="unicode", with_tail=False))


#: The characters a link list may have outside its links (a text of only these, up to 40 of
#: them, is not loose text).
_LOOSE_CHARS = frozenset(_LOOSE)
_LOOSE_LIMIT = 40


def _loose(text: str | None) -> bool:
    if not text:
        return False
    return len(text) > _LOOSE_LIMIT or not _LOOSE_CHARS.issuperset(text)


def loose_text(element: Any) -> bool:
    """Has the element text outside links other than spaces, separators and digits: a text
    node under it with no ``<a>`` above it (up to the document's root) and not right inside a
    script or a style, longer than 40 characters or with another character. What the XPath
    ``descendant::text()[not(ancestor::a or parent::script or parent::style)][string-length()
    > 40 or translate(., LOOSE, '') != '']`` finds, from one walk of the element: the XPath
    climbed to the root from every text node (42 µs a call on a bench body, 10 in Python;
    ``tests/test_perf_equivalence.py`` compares them on every element of the fixtures)."""
    if any(ancestor.tag == "a" for ancestor in element.iterancestors()):
        return False
    return _loose_below(element, False)


def _loose_below(element: Any, in_link: bool) -> bool:
    tag = element.tag if isinstance(element.tag, str) else None  # comments: no text of theirs
    link = in_link or tag == "a"
    own = tag is not None and not link and tag not in ("script", "style")
    if own and _loose(element.text):
        return True
    for child in element:
        if _loose_below(child, link):
            return True
        if own and _loose(child.tail):  # a tail is a text node of this element
            return True
    return False


class _Facts:
    """The links under an element, gathered from the links up."""

    __slots__ = ("internal", "links", "social", "text_link")

    def __init__(self) -> None:
        self.links = 0  # links (with an href)
        self.internal = True  # every link to the site
        self.social = True  # every link to a messenger or social network
        self.text_link = False  # a link to the site with text

    def add(self, other: _Facts) -> None:
        self.links += other.links
        self.internal = self.internal and other.internal
        self.social = self.social and other.social
        self.text_link = self.text_link or other.text_link


def _link_facts(link: Any, host: str) -> _Facts:
    facts = _Facts()
    href = link.get("href") or ""
    facts.links = 1
    facts.internal = is_internal(href, host)
    facts.social = is_social(href)
    facts.text_link = facts.internal and bool(_text(link).strip())
    return facts


def _is_heading(element: Any, tags: Collection[str]) -> bool:
    """An element of ``tags``, holding no block, whose whole text is a related-news heading."""
    if _tag(element) not in tags or any(_tag(child) in _BLOCK_CHILDREN for child in element):
        return False
    text = _text(element)
    return len(text) < _HEADING_CHARS and _HEADING_JUNK.sub("", fold(text)) in HEADING_KEYS


def _previous(element: Any) -> Any:
    """The previous element sibling (comments skipped), or ``None``."""
    sibling = element.getprevious()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getprevious()
    return sibling


def _next(element: Any) -> Any:
    sibling = element.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getnext()
    return sibling


def _headed(element: Any) -> bool:
    previous = _previous(element)
    return previous is not None and _is_heading(previous, _HEADING_TAGS)


def _inline_headed(element: Any) -> bool:
    """«<strong>بیشتر بخوانید:</strong> <a>…</a>»: an inline heading, then links only."""
    children = [child for child in element if isinstance(child.tag, str)]
    if not children or not _is_heading(children[0], _INLINE_HEADING_TAGS):
        return False
    if any(_tag(child) not in ("a", "br") for child in children[1:]):
        return False
    texts = [element.text or "", *(child.tail or "" for child in element)]
    return any(_tag(c) == "a" for c in children) and not any(_NOT_LOOSE.search(t) for t in texts)


class _Finder:
    """:func:`find_widgets` for one subtree: the facts of the elements that hold links, then
    the rules, parents before children."""

    def __init__(self, root: Any, host: str, kinds: Collection[str]) -> None:
        self.root, self.host, self.kinds = root, host, kinds
        self.order = _around_links(root)
        self.facts: dict[Any, _Facts] = {}
        self.loose: dict[Any, bool] = {}
        for element in reversed(self.order):  # children first
            facts = self.facts.get(element)
            if facts is None:
                facts = self.facts[element] = _Facts()
            if _tag(element) == "a" and element.get("href") is not None:
                facts.add(_link_facts(element, host))
            if element is not root:
                parent = element.getparent()
                if parent not in self.facts:
                    self.facts[parent] = _Facts()
                self.facts[parent].add(facts)

    def has_loose_text(self, element: Any) -> bool:
        loose = self.loose.get(element)
        if loose is None:
            loose = self.loose[element] = loose_text(element)
        return loose

    def links_only(self, element: Any) -> bool:
        """All text in links to the site, one of them with text at least."""
        facts = self.facts.get(element)
        return (
            facts is not None
            and facts.internal
            and facts.text_link
            and not self.has_loose_text(element)
        )

    def is_widget(self, element: Any, tag: str) -> bool:
        """``:link-list`` or ``:social-links`` (see the module docstring)."""
        facts = self.facts[element]
        if (
            ":social-links" in self.kinds
            and tag in _SOCIAL_TAGS
            and facts.social
            and not self.has_loose_text(element)
        ):
            return True
        if ":link-list" not in self.kinds or tag not in _LIST_TAGS:
            return False
        if self.links_only(element) and (
            facts.links > 1
            or _headed(element)
            or any(
                sibling is not None and _tag(sibling) in _LIST_TAGS and self.links_only(sibling)
                for sibling in (_previous(element), _next(element))
            )
        ):
            return True
        if tag in ("ul", "ol"):  # under a heading, every item holds a link
            items = [child for child in element if _tag(child) == "li"]
            return bool(items) and all(item in self.facts for item in items) and _headed(element)
        first = element[0] if len(element) else None
        return (
            tag in ("p", "div")
            and first is not None
            and _tag(first) in _INLINE_HEADING_TAGS
            and _inline_headed(element)
        )

    def widgets(self) -> list[Any]:
        found: dict[Any, None] = {}
        gone: set[Any] = set()  # found, or inside an element found
        for element in self.order:
            if element.getparent() in gone:
                gone.add(element)
                continue
            tag = _tag(element)
            if tag in _CANDIDATES and self.is_widget(element, tag):
                found[element] = None
                gone.add(element)
            if ":related-heading" not in self.kinds or element is self.root:
                continue
            previous = _previous(element)
            if previous is None:
                continue
            # an inline heading before a link is part of a paragraph (:link-list's business)
            inline = tag not in _CANDIDATES and _tag(previous) in _INLINE_HEADING_TAGS
            if not inline and _is_heading(previous, _HEADING_TAGS):
                found[previous] = None
        return list(found)


#: Elements a rule may accept.
_CANDIDATES = _LIST_TAGS | _SOCIAL_TAGS


def _around_links(root: Any) -> list[Any]:
    """The links under ``root`` and their ancestors up to ``root``, parents before children."""
    depth: dict[Any, int] = {}
    for link in root.iter("a"):
        if link.get("href") is None:
            continue
        chain = []
        element = link
        while element not in depth:
            chain.append(element)
            if element is root:
                break
            element = element.getparent()
        level = depth.get(element, -1) if element is not chain[-1] else -1
        for element in reversed(chain):
            level += 1
            depth[element] = level
    return sorted(depth, key=depth.__getitem__)


def find_widgets(root: Any, host: str, kinds: Collection[str]) -> list[Any]:
    """The elements under ``root`` (itself included) that are widgets of ``kinds`` (names in
    :data:`STRUCTURAL`); ``host`` is the page's, without ``www.`` (``""``: unknown). What
    is inside a widget found is not looked at again."""
    return _Finder(root, host, kinds).widgets()
