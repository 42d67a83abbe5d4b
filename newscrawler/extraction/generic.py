"""Finding the article text on a page with no profile: the densest block of paragraphs."""

from __future__ import annotations

from parsel import Selector

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


def _score(node: Selector) -> int:
    texts = node.xpath("./p//text() | ./div/p//text() | ./blockquote//text()").getall()
    score = sum(len(t.strip()) for t in texts)
    names = (node.attrib.get("class", "") + " " + node.attrib.get("id", "")).lower()
    if any(hint in names for hint in LIKELY_BODY):
        score = int(score * 1.5)
    return score


def main_text_block(root: Selector) -> Selector | None:
    """The element whose paragraphs hold the most text (likely-body class names weigh more);
    on a tie the innermost one, so a page wrapper does not win over the article block.

    Widgets are dropped before this runs, so comment lists do not win on length.
    """
    best: tuple[int, Selector] | None = None
    for node in root.xpath(".//article | .//div | .//section | .//main"):
        score = _score(node)
        if score >= MIN_PARAGRAPH and (best is None or score >= best[0]):
            best = (score, node)
    return best[1] if best else None
