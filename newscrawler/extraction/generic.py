"""A page with no profile: its headline, its body block and its visible date, found by rules
that hold across news sites rather than by one site's selectors.

* **Headline**: the page's own headline is the heading (or ``*title*``/``*headline*`` element)
  whose text the page's metadata title (``og:title``, JSON-LD ``headline``, ``<title>``)
  contains: not a logo ``<h1>`` («CNN»), not an empty first ``<h1>``, not a teaser heading of
  another story. Without such an element, the metadata title minus the site's name.
* **Body**: the element whose paragraphs hold the most text (likely-body class names weigh
  more), counting ``<br>``-separated text and table cells for pages without ``<p>``; the
  comment area inside it (a comments widget, with the policy lines and dividers just before
  it) is dropped.
* **Date**: a visible Jalali or Gregorian date near the headline (after it first), never one in
  a header, menu, sidebar or footer (the page's render time, other stories' dates).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector

from newscrawler.persian.chars import text_key
from newscrawler.persian.dates import parse_date

#: Class or id fragments of containers that usually hold the article text.
LIKELY_BODY = (
    "article-body",
    "articlebody",
    "news-body",
    "story-body",
    "content-body",
    "item-text",
    "news-text",
    "entry-content",
    "post-content",
    "body",
)
MIN_PARAGRAPH = 20

# Headline -----------------------------------------------------------------------------------

_HEADINGS = etree.XPath(
    "//h1 | //h2 | //h3 | //*[self::div or self::span or self::p or self::header]"
    "[contains(translate(@class, 'TITLEHAD', 'titlehad'), 'title')"
    " or contains(translate(@class, 'TITLEHAD', 'titlehad'), 'headline')]"
)
#: Containers whose headings are never this page's headline.
_OUTSIDE = frozenset({"nav", "footer", "aside", "a", "li", "form", "button"})
#: What sites put between a headline and their name in ``<title>``.
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—»:]{1,2}\s+|\s*::\s*|\s*\|\s*")
#: A headline shorter than this (key characters) is a logo or a label, unless it is the whole
#: metadata title.
_MIN_HEADLINE = 12


def _inside(element: Any, names: frozenset[str]) -> bool:
    return any(ancestor.tag in names for ancestor in element.iterancestors())


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def metadata_titles(meta: Any, page_title: str | None) -> list[str]:
    """The titles the page gives itself, most specific first."""
    titles = [
        meta.first("og:title", "twitter:title"),
        meta.ld_text("headline"),
        page_title,
    ]
    return [" ".join(t.split()) for t in titles if t and t.strip()]


def headline(sel: Selector, meta: Any) -> tuple[str | None, Any]:
    """The page's headline and its element (``None`` when the title only comes from metadata;
    both ``None`` when the page names none)."""
    page_title = sel.xpath("string(//title)").get()
    titles = metadata_titles(meta, page_title)
    keys = [text_key(t) for t in titles]
    best: tuple[int, str, Any] | None = None
    for element in _HEADINGS(sel.root):
        if _inside(element, _OUTSIDE):
            continue
        text = _text(element)
        key = text_key(text)
        if not key or len(text) > 400:
            continue
        named = any(key == k or (len(key) >= _MIN_HEADLINE and key in k) for k in keys)
        if named and (best is None or len(key) > best[0]):
            best = (len(key), text, element)
    if best is not None:
        return best[1], best[2]
    if titles:
        return without_site_name(titles[0], meta.first("og:site_name")), None
    return None, None


def without_site_name(title: str, site_name: str | None = None) -> str:
    """``title`` without the site's name around it: the longest part between separators.

    >>> without_site_name("معارضون يسيطرون على مخازن للصواريخ بريف دمشق - CNNArabic.com")
    'معارضون يسيطرون على مخازن للصواريخ بريف دمشق'
    >>> without_site_name("خبرگزاری ایسنا | افتتاح پروژه‌های عمرانی در قزوین")
    'افتتاح پروژه‌های عمرانی در قزوین'
    """
    if site_name and title.endswith(site_name):
        title = title[: -len(site_name)].rstrip(" |-–—»:")
    parts = [part.strip() for part in _TITLE_SEPARATORS.split(title) if part.strip()]
    return max(parts, key=len) if parts else title


# Body ---------------------------------------------------------------------------------------

_BODY_TEXT = etree.XPath(
    "./p//text() | ./div/p//text() | ./blockquote//text() | ./text() | ./span/text()"
    " | ./strong/text() | ./b/text() | ./font/text() | ./td/text() | ./td/p//text()",
    smart_strings=False,
)
_CANDIDATES = etree.XPath(".//article | .//div | .//section | .//main | .//td")


def _score(element: Any) -> int:
    score = sum(len(t.strip()) for t in _BODY_TEXT(element) if len(t.strip()) > 1)
    names = ((element.get("class") or "") + " " + (element.get("id") or "")).lower()
    if any(hint in names for hint in LIKELY_BODY):
        score = int(score * 1.5)
    return score


def main_text_block(root: Selector) -> Selector | None:
    """The element whose paragraphs hold the most text (likely-body class names weigh more);
    on a tie the innermost one, so a page wrapper does not win over the article block. Text
    directly in the element (``<br>``-separated bodies), in its ``<strong>``/``<span>`` runs and
    table cells counts too, for pages without ``<p>``.

    Widgets are dropped before this runs, so comment lists do not win on length.
    """
    best: tuple[int, Any] | None = None
    for element in _CANDIDATES(root.root):
        score = _score(element)
        if score >= MIN_PARAGRAPH and (best is None or score >= best[0]):
            best = (score, element)
    if best is None:
        return None
    drop_comment_area(best[1])
    return Selector(root=best[1])


#: Comment widgets: a Facebook/Disqus box, a comment list or form.
_COMMENTS = etree.XPath(
    ".//*[contains(@class, 'fb-comments') or @id='disqus_thread' or contains(@class, 'disqus')"
    " or @id='comments' or @id='respond' or contains(@class, 'comment-form')"
    " or contains(@class, 'comments-area') or contains(@class, 'comment-list')]"
)


def drop_comment_area(block: Any) -> int:
    """Drop the comment widgets inside ``block`` and, before each, the siblings that are not
    paragraphs of text (the comment policy a site prints above its comment box, a divider):
    the policy is about the comments, not the article. Returns how many elements went."""
    dropped = 0
    for widget in _COMMENTS(block):
        if widget.getparent() is None:
            continue
        previous = widget.getprevious()
        while previous is not None and previous.tag not in ("p", "h2", "h3", "blockquote"):
            before = previous.getprevious()
            _remove(previous)
            dropped += 1
            previous = before
        _remove(widget)
        dropped += 1
    return dropped


def _remove(element: Any) -> None:
    """Remove ``element``, keeping the text after it (its tail) in the document."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def link_density(block: Selector) -> float:
    """The share of ``block``'s text that is link text: a list of teasers is mostly links, an
    article hardly any."""
    total = len("".join(block.root.itertext()).split())
    if not total:
        return 1.0
    linked = sum(len("".join(a.itertext()).split()) for a in block.root.iter("a"))
    return linked / total


#: A home page's path: nothing, or a language folder (``/fa/``), or an index file.
_HOME_PATH = re.compile(r"^/?(?:[a-z]{2}(?:-[a-z]{2})?/?)?(?:index\.\w{2,5}|default\.aspx)?$", re.I)
#: Fewer words than this in the text block is not an article's body.
MIN_ARTICLE_WORDS = 40
#: More link text than this in the text block: a list of teasers.
MAX_LINK_DENSITY = 0.5
#: … or than this on a page that calls itself a website and has no article markup.
MAX_LINK_DENSITY_WEBSITE = 0.3


def not_an_article(url: str, meta: Any, block: Selector | None) -> str | None:
    """Why a page of no profile is not an article (a home, section or tag page, a page of
    links), or ``None`` when it may be one. An article has article markup (JSON-LD) or a block
    of text that is more prose than links."""
    if _HOME_PATH.match(urlsplit(url).path or "/"):
        return "a home page"
    if meta.ld and meta.ld.get("articleBody"):
        return None
    if block is None:
        return "no block of text on the page"
    words = len(" ".join(block.root.itertext()).split())
    density = link_density(block)
    website = (meta.first("og:type") or "").lower() == "website" and not meta.ld
    if density > MAX_LINK_DENSITY or (website and density > MAX_LINK_DENSITY_WEBSITE):
        return f"its text block is {density:.0%} links: a list of teasers"
    if website and words < MIN_ARTICLE_WORDS:
        return f"a website page whose largest text block has {words} words"
    return None


# Date ---------------------------------------------------------------------------------------

_DATE_SHAPE = re.compile(r"[0-9۰-۹٠-٩]{4}|[0-9۰-۹٠-٩]{1,4}[/.\-][0-9۰-۹٠-٩]{1,2}[/.\-]")
_TEXTS = etree.XPath(
    "//body//text()[normalize-space()][not(ancestor::script or ancestor::style"
    " or ancestor::noscript)]"
)
_NOT_NEAR = frozenset({"nav", "footer", "aside", "header", "a", "form", "select", "option"})
#: Text nodes looked at after and before the headline.
_AFTER, _BEFORE = 30, 12
#: The longest text read as a date line (characters).
_DATE_LINE = 120


def visible_date(
    sel: Selector, heading: Any, now: datetime | None
) -> tuple[datetime | None, str | None]:
    """The first date printed near ``heading`` (after it, then before it, nearest first), with
    the text it was read from; ``(None, None)`` without a heading or a date near it."""
    if heading is None:
        return None, None
    order = {element: position for position, element in enumerate(sel.root.iter())}
    end = max(order.get(element, -1) for element in heading.iter())
    nodes = [node for node in _TEXTS(sel.root) if not _within(node, heading)]
    after = [i for i, node in enumerate(nodes) if _position(node, order) > end]
    if not after:
        return None, None
    first = after[0]
    candidates = [*range(first, min(len(nodes), first + _AFTER))]
    candidates += range(first - 1, max(-1, first - 1 - _BEFORE), -1)
    for index in candidates:
        node = nodes[index]
        container = node.getparent().getparent() if node.is_tail else node.getparent()
        if container is None or container.tag in _NOT_NEAR or _inside(container, _NOT_NEAR):
            continue
        text = " ".join(str(node).split())
        if len(text) > _DATE_LINE or not _DATE_SHAPE.search(text):
            continue  # a date line is short: a paragraph that mentions a year is not one
        window = " ".join(" ".join(str(n).split()) for n in nodes[index : index + 3])
        for candidate in (window, text):
            found = parse_date(candidate, now)
            if found is not None:
                return found, text
    return None, None


def _within(node: Any, heading: Any) -> bool:
    """Whether the text ``node`` is the heading's own text."""
    owner = node.getparent()
    if node.is_tail:
        owner = owner.getparent() if owner is not heading else None
    while owner is not None:
        if owner is heading:
            return True
        owner = owner.getparent()
    return False


def _position(node: Any, order: dict[Any, int]) -> float:
    """Where a text node is in document order: its element's place, or just after the last
    descendant of the element whose tail it is."""
    element = node.getparent()
    if not node.is_tail:
        return order.get(element, -1)
    return max(order.get(e, -1) for e in element.iter()) + 0.5
