"""What on a page of no profile is not the article: the page's chrome and its comment area.

* **Chrome**: the masthead, menus, breadcrumbs, sidebars with their lists of other stories,
  footers: by tag (``<nav>``, ``<aside>``, ``<header>`` …), by class or id word («side-box»,
  «most-viewed», «site-footer»; not a layout word such as «has-sidebar», not the article's own
  «entry-header»), or, for a footer whatever its markup calls it, a short region that carries
  a copyright line. Chrome that holds the headline is the article's own (its ``<header>``).
* **Comment area**: the widget (class or id with «comment», «nazar», Disqus, WordPress's
  ``#respond``), the policy lines a site prints above it («نظرات حاوی توهین منتشر نمی‌شود»,
  «التعليقات لا تعبر عن رأي الموقع»), and those lines at the end of a body when the widget is
  loaded by script.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

#: The element :func:`~newscrawler.extraction.generic.headline` puts after the headline it
#: found: the body and date rules measure from it, and what holds it is no widget.
HEADLINE_MARK = "nc-headline"
#: A copyright line: a short region that carries one is the footer.
_COPYRIGHT = re.compile(
    r"©|all rights reserved|حقوق[^.]{0,40}(?:محفوظ|متعلق)|جميع الحقوق|الحقوق محفوظة", re.I
)
#: A footer is shorter than this (words).
_FOOTER_WORDS = 150


def flat_text(element: Any) -> str:
    """``element``'s text, spaces collapsed."""
    return " ".join("".join(element.itertext()).split())


# Page chrome --------------------------------------------------------------------------------

_CHROME_TAGS = frozenset({"nav", "footer", "aside", "header", "form", "select", "option", "a"})
#: Class or id words of the page's chrome: masthead, menus, sidebars and their lists of other
#: stories, footers; comments anywhere in a word («userComments», «nazarat»).
_CHROME = re.compile(
    r"(?:^|[_-])(?:header|head|topbar|top-bar|footer|foot|sidebar|side|menu|nav|navbar|navigation"
    r"|breadcrumbs?|ticker|copyright|related|popular|most|latest)(?:$|[_-])|comment|nazar|disqus"
)
#: Class words that name a layout («has-sidebar») or the article's own header («entry-header»).
_NOT_CHROME = re.compile(
    r"^(?:has|no|with|without)-|(?:content|post|entry|article|news|story|item|single)[_-]?head"
)


def is_chrome(element: Any) -> bool:
    """Whether ``element`` itself is chrome, by its tag or a class or id word."""
    if element.tag in _CHROME_TAGS:
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower().split()
    return any(_CHROME.search(n) and not _NOT_CHROME.search(n) for n in names)


def in_chrome(element: Any, holders: set[Any] | frozenset[Any] = frozenset()) -> bool:
    """Whether ``element`` or an ancestor is chrome by tag or class/id word, up to the first of
    ``holders`` (the headline's ancestors: chrome that holds the headline is the article's)."""
    node = element
    while node is not None and node not in holders and node.tag not in ("body", "html"):
        if is_chrome(node):
            return True
        node = node.getparent()
    return False


def in_footer(element: Any, holders: set[Any] | frozenset[Any] = frozenset()) -> bool:
    """Whether ``element`` is in a short region with a copyright line: the footer, whatever its
    markup calls it."""
    node = element
    while node is not None and node not in holders and node.tag not in ("body", "html"):
        text = " ".join(node.itertext())
        if len(text.split()) >= _FOOTER_WORDS:
            return False
        if _COPYRIGHT.search(text):
            return True
        node = node.getparent()
    return False


# Comments -----------------------------------------------------------------------------------

#: Comment widgets: a Facebook/Disqus box, a comment list or form (``nazar``: Persian «نظر»).
_COMMENTS = etree.XPath(
    ".//*[contains(@class, 'omment') or contains(@id, 'omment') or contains(@class, 'nazar')"
    " or contains(@class, 'Nazar') or contains(@id, 'nazar') or contains(@id, 'Nazar')"
    " or @id='disqus_thread' or @id='respond']"
)
#: Arabic ي/ك to Persian ی/ک and ZWNJ to a space: one spelling of a word to match.
YEH_KAF = str.maketrans({"ي": "ی", "ك": "ک", "\u200c": " "})
#: A comment policy names comments, a moderation rule and its reader (Arabic words written
#: with Persian ی/ک, as :func:`policy_line` folds the text).
_POLICY = (
    re.compile(r"(?:^|[\s،,«(])(?:نظر|دیدگاه|پیام|کامنت)|تعلیق|الآراء|مشارک"),
    re.compile(r"منتشر|انتشار|تا[یئ]ید|خودداری|نشر|تعبر|یعبر|مراجعة"),
    re.compile(
        r"کاربر|خواننده|مخاطب|مدیر سایت|لطفا|فینگلیش|لاتین|توهین|افترا|تهمت|غیر ?مرتبط|ارسال"
        r"|موقع|أصحابها|القراء|یرجى|مسیئة|إرشادات"
    ),
)
_POLICY_CHARS = 400


def policy_line(text: str) -> bool:
    """Whether ``text`` is a site's comment policy: it names comments, how they are published
    and whom it addresses.

    >>> policy_line("کاربر گرامی، نظرات پس از تایید مدیر سایت منتشر می‌شود.")
    True
    >>> policy_line("نظر نهایی کمیسیون هفته آینده منتشر می‌شود.")
    False
    """
    if len(text) > _POLICY_CHARS:
        return False
    key = text.translate(YEH_KAF)
    return all(rule.search(key) for rule in _POLICY)


def drop_comment_area(block: Any) -> int:
    """Drop the comment widgets inside ``block`` and, before each, its policy lines and
    dividers: the policy is about the comments, not the article. A "widget" that holds the
    headline or an article is a page wrapper. Returns how many elements went."""
    dropped = 0
    for widget in _COMMENTS(block):
        if widget.getparent() is None or widget.tag in ("body", "main", "article"):
            continue
        if widget.find(f".//{HEADLINE_MARK}") is not None or widget.find(".//article") is not None:
            continue
        previous = widget.getprevious()
        while previous is not None and not (previous.tail or "").strip() and _not_text(previous):
            before = previous.getprevious()
            remove(previous)
            dropped += 1
            previous = before
        remove(widget)
        dropped += 1
    return dropped


def _not_text(element: Any) -> bool:
    """A comment policy, or a divider or spacer (no text, no picture, not a line break)."""
    if flat_text(element):
        return _policy(element)
    return element.tag not in ("img", "br") and element.find(".//img") is None


def _policy(element: Any) -> bool:
    """Whether ``element``'s paragraphs (or its text, without any) are all policy lines."""
    found = False
    for paragraph in element.iter("p"):
        if line := flat_text(paragraph):
            if not policy_line(line):
                return False
            found = True
    return found or policy_line(flat_text(element))


def drop_policy_lines(block: Any) -> None:
    """Drop the comment-policy paragraphs at the end of ``block`` (and of the block that ends
    it): a comment box loaded by script, or a form dropped as a widget, leaves them without a
    widget after them."""
    for child in reversed(list(block)):
        if (child.tail or "").strip():
            return
        if flat_text(child) and not _policy(child):
            if child.tag in ("div", "section", "article"):
                drop_policy_lines(child)
            return
        if flat_text(child):
            remove(child)


def remove(element: Any) -> None:
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
