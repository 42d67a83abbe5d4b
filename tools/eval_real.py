"""``make eval``, real pages: every page of ``../shared/real-pages/``, ours and trafilatura
side by side, judged against the page's hand-written annotation (:mod:`tools.real_pages`).

Article pages: body found, title exact, body start right, body end right, phrases of the page
outside the article that leaked into the body, date exact (the same instant; the same day when
the page gives no time) and date on the right day. Listing pages: whether the system wrongly
returned an article (a home page's teasers or menu as a body).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scrapy.http import HtmlResponse

from newscrawler.persian.dates import TEHRAN
from tools.real_pages import REAL_PAGES, RealPage, Verdict, judge, real_pages

#: The crawl's clock for relative dates: after every page was published.
NOW = datetime(2026, 1, 1, tzinfo=TEHRAN)
ARTICLE_COLUMNS = (
    "body found",
    "title exact",
    "body start",
    "body end",
    "leaks",
    "date exact",
    "date same day",
)


@dataclass
class Extraction:
    title: str | None
    body: str | None
    date: str | None


def ours(page: RealPage) -> Extraction:
    """What a crawl would extract, through the profile it would choose."""
    from newscrawler.cli import choose_profile
    from newscrawler.extraction.article import NotAnArticle, extract_article

    response = HtmlResponse(url=page.url, body=page.body_bytes, encoding=page.encoding)
    try:
        article = extract_article(response, choose_profile(response, None), now=NOW)
    except NotAnArticle:
        return Extraction(None, None, None)
    return Extraction(article.title, article.body, article.published_at)


def theirs(page: RealPage) -> Extraction:
    from tools.eval import trafilatura_output

    html = HtmlResponse(url=page.url, body=page.body_bytes, encoding=page.encoding).text
    output = trafilatura_output(html, page.url)
    if output is None:
        return Extraction(None, None, None)
    return Extraction(output.title, output.body, output.date)


def evaluate(with_trafilatura: bool) -> dict[str, Any]:
    """Every real page, scored for each system."""
    systems = {"ours": ours, **({"trafilatura": theirs} if with_trafilatura else {})}
    pages: list[dict[str, Any]] = []
    for page in real_pages():
        entry: dict[str, Any] = {"page": page.name, "kind": page.kind, "language": page.language}
        for name, extract in systems.items():
            got = extract(page)
            if page.kind == "article":
                verdict: Verdict = judge(page, got.title, got.body, got.date)
                entry[name] = {**verdict.row(), "leaked": list(verdict.leaked)}
            else:
                entry[name] = {"no article": not (got.body and got.body.strip())}
        pages.append(entry)
    totals = {
        name: {
            column: sum(int(p[name][column]) for p in pages if p["kind"] == "article")
            for column in ARTICLE_COLUMNS
        }
        | {"no article": sum(int(p[name]["no article"]) for p in pages if p["kind"] != "article")}
        for name in systems
    }
    return {"folder": str(REAL_PAGES), "systems": list(systems), "pages": pages, "totals": totals}


def report(result: dict[str, Any]) -> str:
    """The table ``make eval`` prints."""
    from tools.eval import table

    systems: list[str] = result["systems"]
    articles = [p for p in result["pages"] if p["kind"] == "article"]
    listings = [p for p in result["pages"] if p["kind"] != "article"]
    headers = ["page", "lang"]
    for system in systems:
        tag = "ours" if system == "ours" else "traf."
        headers += [f"{tag} {column}" for column in ARTICLE_COLUMNS]

    def cell(value: Any) -> str:
        return ("yes" if value else "no") if isinstance(value, bool) else str(value)

    rows = [
        [p["page"], p["language"]]
        + [cell(p[s][column]) for s in systems for column in ARTICLE_COLUMNS]
        for p in articles
    ]
    totals = result["totals"]
    rows.append(
        [f"all ({len(articles)})", ""]
        + [str(totals[s][column]) for s in systems for column in ARTICLE_COLUMNS]
    )
    listing_rows = [
        [p["page"], p["language"]] + [cell(p[s]["no article"]) for s in systems] for p in listings
    ]
    listing_headers = ["page", "lang"] + [
        f"{'ours' if s == 'ours' else 'traf.'} no article" for s in systems
    ]
    lines = [
        f"real pages ({result['folder']}): {len(articles)} articles, {len(listings)} listings, "
        "reference: the hand-written annotation beside each page",
        "",
        table(rows, headers),
        "",
        "leaks: phrases of the page outside the article found in the body (0 is right); "
        "date exact: the same instant, or the same day where the page gives no time.",
    ]
    if listings:
        lines += [
            "",
            table(listing_rows, listing_headers),
            "",
            "no article: a home page gives no article (yes is right).",
        ]
    return "\n".join(lines)
