"""Recognising the CMS family of an unknown page."""

from __future__ import annotations

from collections import Counter

from parsel import Selector

from newscrawler.sites.families import FINGERPRINTS

#: Score a page needs before a family is believed.
THRESHOLD = 5


def detect_cms(sel: Selector) -> tuple[str, dict[str, int]]:
    """The CMS family of a page (``generic`` when no clue is strong enough) and the scores.

    >>> detect_cms(Selector('<meta name="generator" content="www.nastooh.ir">'))[0]
    'nastooh'
    >>> detect_cms(Selector('<p>hello</p>'))[0]
    'generic'
    """
    scores: Counter[str] = Counter()
    for clue in FINGERPRINTS:
        if sel.xpath(clue.xpath):
            scores[clue.family] += clue.weight
    if scores:
        family, score = scores.most_common(1)[0]
        if score >= THRESHOLD:
            return family, dict(scores)
    return "generic", dict(scores)
