"""A page with no profile: its headline, body block, date and whether it is an article at all,
found by rules that hold across news sites rather than by one site's selectors.

* **Headline**: the heading (or ``*title*`` element, or any element whose whole text it is)
  that the page's metadata title (``og:title``, JSON-LD ``headline``, ``<title>`` with or
  without the site's name) names: not a logo ``<h1>``, not an empty first ``<h1>``, not a
  teaser. An empty ``<nc-headline/>`` is put after it: the body rules measure from it.
* **Body**: the element whose paragraphs hold the most text, counting ``<br>``-separated text
  and table cells for pages without ``<p>``; only after the headline (what comes before is the
  masthead, menus, teasers) and never in the page's chrome (header, menu, sidebar, footer by
  tag or class word, a short region with a copyright line). The article's header inside the
  block and the comment area (the widget, the policy lines before it or at the block's end)
  are dropped.
* **Not an article**: a home page, a page of teasers, an error page served with status 200, a
  video or photo page whose text is a caption.
* **Date**: a visible Jalali, Gregorian or Arabic date near the headline (after it first),
  never one in the page's chrome (the masthead's «today», other stories' dates).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector

from newscrawler.extraction.chrome import (
    HEADLINE_MARK,
    YEH_KAF,
    drop_comment_area,
    drop_policy_lines,
    flat_text,
    in_chrome,
    in_footer,
    is_chrome,
    remove,
)
from newscrawler.persian.chars import text_key, to_latin_digits
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
_SHORT_TEXTS = etree.XPath(
    "//body//text()[normalize-space()][string-length() < 400]"
    "[not(ancestor::a or ancestor::li or ancestor::script or ancestor::style)]"
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


def metadata_titles(meta: Any, page_title: str | None) -> list[str]:
    """The titles the page gives itself, most specific first."""
    titles = [meta.first("og:title", "twitter:title"), meta.ld_text("headline"), page_title]
    return [" ".join(t.split()) for t in titles if t and t.strip()]


def headline(sel: Selector, meta: Any) -> tuple[str | None, Any]:
    """The page's headline and its element (``None`` when the title only comes from metadata;
    both ``None`` when the page names none). The element is marked (:data:`HEADLINE_MARK`)."""
    titles = metadata_titles(meta, sel.xpath("string(//title)").get())
    site = meta.first("og:site_name")
    keys = {text_key(t) for t in titles} | {text_key(without_site_name(t, site)) for t in titles}
    keys.discard("")
    best: tuple[int, Any] | None = None
    for element in _HEADINGS(sel.root):
        key = text_key(flat_text(element))
        if not key or len(key) > 400 or _inside(element, _OUTSIDE):
            continue
        named = key in keys or (len(key) >= _MIN_HEADLINE and any(key in k for k in keys))
        if named and (best is None or len(key) > best[0]):
            best = (len(key), element)
    element = best[1] if best is not None else _titled_element(sel, keys)
    if element is not None:
        following = element.getnext()
        if following is None or following.tag != HEADLINE_MARK:  # asked twice
            element.addnext(etree.Element(HEADLINE_MARK))
        return flat_text(element), element
    return (without_site_name(titles[0], site), None) if titles else (None, None)


def _titled_element(sel: Selector, keys: set[str]) -> Any:
    """The element whose whole text is a metadata title: the headline of a page that marks it
    up as no heading (``<td><font><b>`` on classic pages)."""
    for node in _SHORT_TEXTS(sel.root):
        key = text_key(str(node))
        if len(key) >= _MIN_HEADLINE and key in keys and not node.is_tail:
            element = node.getparent()
            if text_key(flat_text(element)) == key and not _inside(element, _OUTSIDE):
                return element
    return None


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

_OWN_TEXT = etree.XPath(
    "./p//text() | ./blockquote//text() | ./text() | ./span/text() | ./strong/text()"
    " | ./b/text() | ./font/text() | ./td/text() | ./td/p//text()",
    smart_strings=False,
)
_PARAGRAPHS_TEXT = etree.XPath("./p//text()", smart_strings=False)
_DIVS_OF_PARAGRAPHS = etree.XPath("./div[p]")
_CANDIDATES = etree.XPath(".//article | .//div | .//section | .//main | .//td")
_NEXT_CANDIDATE = etree.XPath(
    "(following::*[self::article or self::div or self::section or self::main or self::td])[1]"
)
#: The longest header box (headline, date, author) and meta line after the headline (chars).
_HEADER_CHARS, _META_LINE = 300, 80


def _length(texts: list[str]) -> int:
    return sum(len(t.strip()) for t in texts if len(t.strip()) > 1)


def _score(element: Any) -> int:
    """The text of ``element``'s own paragraphs (more for a likely-body class name) plus its
    child ``<div>``s' paragraphs: a wrapper («body-wrap») ties with the child it wraps, and
    does not win with the text of a chrome box it holds (a sidebar column's «side-notes»)."""
    names = ((element.get("class") or "") + " " + (element.get("id") or "")).lower()
    own = _length(_OWN_TEXT(element))
    if own and any(hint in names for hint in LIKELY_BODY):
        own = int(own * 1.5)
    for child in _DIVS_OF_PARAGRAPHS(element):
        if not is_chrome(child):
            own += _length(_PARAGRAPHS_TEXT(child))
    return own


def main_text_block(root: Selector) -> Selector | None:
    """The element whose paragraphs hold the most text (likely-body class names weigh more),
    after the headline :func:`headline` marked and outside the page's chrome; on a tie the
    innermost one, so a page wrapper does not win over the article block. A ``root`` that does
    not hold the headline (the first ``<article>`` of a page whose teasers are articles too)
    is not the article: the search starts from the page.

    A comment area is chrome, so comment lists do not win on length; the one inside the block
    goes with its policy lines, as do the article's header and policy lines at its end.
    """
    top = root.root
    mark = next(top.getroottree().getroot().iter(HEADLINE_MARK), None)
    if mark is not None and top not in mark.iterancestors():
        top = top.getroottree().getroot()
    holders = set(mark.iterancestors()) if mark is not None else set()
    candidates = _CANDIDATES(top)
    start = 0  # the body follows its headline: candidates from the first one after the mark
    if mark is not None:
        after = _NEXT_CANDIDATE(mark)
        start = candidates.index(after[0]) if after and after[0] in candidates else len(candidates)
    scored = []
    for index, element in enumerate(candidates):
        if (index >= start or element in holders) and (score := _score(element)) >= MIN_PARAGRAPH:
            scored.append((score, index, element))
    for *_, block in sorted(scored, key=lambda s: (s[0], s[1]), reverse=True):
        if not in_chrome(block, holders) and not in_footer(block, holders):
            drop_comment_area(block)
            if block in holders:
                _drop_header(block, mark)
            drop_policy_lines(block)
            return Selector(root=block)
    return None


def _drop_header(block: Any, mark: Any) -> None:
    """Drop the article's header from ``block``: what comes before the headline, the headline,
    and the short lines after it (date, author) or the header box that holds them."""
    node = mark
    while True:
        parent = node.getparent()
        for sibling in list(node.itersiblings(preceding=True)):
            parent.remove(sibling)
        parent.text = None
        if parent is block:
            break
        node = parent
    if node is not mark and len(flat_text(node)) < _HEADER_CHARS and node.find(".//p") is None:
        remove(node)
        return
    for sibling in list(mark.itersiblings()):
        if sibling.tag in ("p", "blockquote", "ul", "ol", "table") or (sibling.tail or "").strip():
            break
        if len(flat_text(sibling)) > _META_LINE:
            break
        remove(sibling)
    remove(mark)


# Not an article -----------------------------------------------------------------------------


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
#: Fewer words than this in the text block is no article on a website page or a video or photo
#: page; fewer than the second on any page (a caption, an error message).
MIN_ARTICLE_WORDS, MIN_TEXT_WORDS = 40, 20
#: More link text than this in the text block: a list of teasers (the second: on a page that
#: calls itself a website and has no article markup).
MAX_LINK_DENSITY, MAX_LINK_DENSITY_WEBSITE = 0.5, 0.3
#: A title that says the page does not exist (served with status 200 by many CMSs), on a page
#: with less text than :data:`MAX_ERROR_WORDS`.
_ERROR_TITLE = re.compile(
    r"\b404\b|not found|(?:صفحه|مطلب|خبر)[^|:]{0,30}(?:(?:یافت|پیدا) ?نشد|وجود ندارد)"
    r"|غير موجود|لم يتم العثور|الصفحة المطلوبة",
    re.I,
)
MAX_ERROR_WORDS = 120
#: A title that labels the page a video or a photo report («فیلم | …»).
_MEDIA_TITLE = re.compile(
    r"^\s*(?:فیلم|ویدئو|ویدیو|کلیپ|عکس|گزارش تصویری|تصاویر|فيديو|بالفيديو|بالصور|video)"
    r"\s*(?:[|:/»\-–—]|$)",
    re.I,
)
#: How many headings made of one link make a list of teasers.
MIN_TEASERS = 3
_LINK_HEADINGS = etree.XPath(".//*[self::h2 or self::h3 or self::h4 or self::h5][.//a]")


def not_an_article(url: str, meta: Any, block: Selector | None) -> str | None:
    """Why a page of no profile is not an article (a home, section or tag page, a page of
    links, an error page, a video or photo page), or ``None`` when it may be one."""
    if _HOME_PATH.match(urlsplit(url).path or "/"):
        return "a home page"
    if meta.ld and meta.ld.get("articleBody"):
        return None
    if block is None:
        return "no block of text on the page"
    words = len(" ".join(block.root.itertext()).split())
    page = block.root.getroottree().findtext(".//title") or ""
    title = to_latin_digits((meta.first("og:title", "twitter:title") or page).translate(YEH_KAF))
    if _ERROR_TITLE.search(title) and words < MAX_ERROR_WORDS:
        return f"an error page ({title.strip()!r})"
    if words < MIN_TEXT_WORDS:
        return f"its largest text block has {words} words"
    density = link_density(block)
    website = (meta.first("og:type") or "").lower() == "website" and not meta.ld
    if density > MAX_LINK_DENSITY or (website and density > MAX_LINK_DENSITY_WEBSITE):
        return f"its text block is {density:.0%} links: a list of teasers"
    if (teasers := _teasers(block.root)) >= MIN_TEASERS:
        return f"its text block is a list of {teasers} teasers"
    if website and words < MIN_ARTICLE_WORDS:
        return f"a website page whose largest text block has {words} words"
    if _MEDIA_TITLE.search(title) and words < MIN_ARTICLE_WORDS:
        return f"a video or photo page ({words} words of caption)"
    return None


def _teasers(block: Any) -> int:
    """How many teasers ``block`` lists: headings that are one link each, when the items that
    hold them hold most of its text (or each has at most a paragraph beside it); 0 for prose
    with a few linked headings."""
    headings = []
    for heading in _LINK_HEADINGS(block):
        linked = sum(len(flat_text(a)) for a in heading.iter("a"))
        if linked and linked >= 0.8 * len(flat_text(heading)):
            headings.append(heading)
    if len(headings) < MIN_TEASERS:
        return 0
    inside = sum(len(flat_text(item)) for item in {h.getparent() for h in headings} - {block})
    if inside >= 0.6 * len(flat_text(block)) or len(block.findall(".//p")) <= len(headings) + 1:
        return len(headings)
    return 0


# Date ---------------------------------------------------------------------------------------

_DATE_SHAPE = re.compile(r"[0-9۰-۹٠-٩]{4}|[0-9۰-۹٠-٩]{1,4}[/.\-][0-9۰-۹٠-٩]{1,2}[/.\-]")
_TEXTS = etree.XPath(
    "//body//text()[normalize-space()][not(ancestor::script or ancestor::style"
    " or ancestor::noscript)]"
)
#: Text nodes looked at after and before the headline; the longest date line (characters).
_AFTER, _BEFORE, _DATE_LINE = 30, 12, 120


def visible_date(
    sel: Selector, heading: Any, now: datetime | None
) -> tuple[datetime | None, str | None]:
    """The first date printed near ``heading`` (after it, then before it, nearest first), with
    the text it was read from; ``(None, None)`` without a heading or a date near it. A date in
    the page's chrome (:func:`in_chrome`: the masthead's «today», teasers in links or
    sidebars) is not the article's, unless that chrome holds the headline (its ``<header>``)."""
    if heading is None:
        return None, None
    order = {element: position for position, element in enumerate(sel.root.iter())}
    end = max(order.get(element, -1) for element in heading.iter())
    holders = {heading, *heading.iterancestors()}
    nodes = [
        node
        for node in _TEXTS(sel.root)  # not the heading's own text
        if (owner := _owner(node)) is not heading and heading not in owner.iterancestors()
    ]
    after = [i for i, node in enumerate(nodes) if _position(node, order) > end]
    if not after:
        return None, None
    first = after[0]
    candidates = [*range(first, min(len(nodes), first + _AFTER))]
    candidates += range(first - 1, max(-1, first - 1 - _BEFORE), -1)
    for index in candidates:
        text = " ".join(str(nodes[index]).split())
        if len(text) > _DATE_LINE or not _DATE_SHAPE.search(text):
            continue  # a date line is short: a paragraph that mentions a year is not one
        if in_chrome(_owner(nodes[index]), holders):
            continue
        window = " ".join(" ".join(str(n).split()) for n in nodes[index : index + 3])
        for candidate in (window, text):
            if (found := parse_date(candidate, now)) is not None:
                return found, text
    return None, None


def _owner(node: Any) -> Any:
    """The element a text node is in (the parent of the element whose tail it is)."""
    element = node.getparent()
    return element.getparent() if node.is_tail else element


def _position(node: Any, order: dict[Any, int]) -> float:
    """Where a text node is in document order: its element's place, or just after the last
    descendant of the element whose tail it is."""
    element = node.getparent()
    if not node.is_tail:
        return order.get(element, -1)
    return max(order.get(e, -1) for e in element.iter()) + 0.5
