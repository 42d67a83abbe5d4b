"""``make eval``: extraction quality on every golden fixture and every real page
(``../shared/real-pages/``, :mod:`tools.eval_real`), ours and trafilatura side by side.

The golden JSON files hold *our own* output, so they cannot judge it. Each page is scored
against an **independent reference** built from its HTML by the simple rule below (written
here, sharing no code with the extractor), then hand-checked:

* **body**: the CMS family's documented article-body container
  (``../shared/research/persian-news-sites.md``, table "CMS families"; the first of the
  family's selectors that matches, in the documented order of preference), cut into blocks at
  block elements and ``<br>``. A block is dropped when it is inside ``figure``, ``figcaption``,
  ``script`` or ``style`` (captions belong to ``images``), holds no letter (view counters), is
  at least half link text (related lists, tags, share and breadcrumb links, «بیشتر بخوانید:
  <a>…</a>»), or starts (after any counter or punctuation) with one of :data:`WIDGET_PHRASES`
  (sign-offs, widget labels, the comment disclaimer). Blocks a reader would not count as
  article text but the rule keeps are listed by hand in :data:`HAND_EXCLUDED`.
* **title**: the page's ``<h1>``.
* **date**: the publication time the page states: ``article:published_time`` where the page has
  it, else read by hand from the article header (:data:`REFERENCE_DATES`, Tehran time).

Scores, per page, site, CMS family and overall: body token precision / recall / F1 (both sides
normalized the same way: :func:`newscrawler.persian.normalize.normalize_text`, then half-spaces
removed and digits in ASCII, tokens = runs of letters and digits; bags of tokens, micro-averaged),
title exact match (after the same normalization), date match (same instant; and same day, the only
precision trafilatura gives), widget phrases leaked into the body, half-spaces (ZWNJ) in the
output against the source.

trafilatura runs on the same pages with its settings for precision (``favor_precision``, no
comments, no tables, metadata on). ``--extra DIR`` also scores a folder of ``*.html`` pages
with a ``.json`` beside each in the fixture format (``{"url": …, "expected": {"title", "body",
"published_at", …}}``, optionally ``"site"`` in ``expected``): there the expected JSON is the
reference.

    .venv/bin/python -m tools.eval [--extra DIR] [--out output/eval]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from parsel import Selector
from scrapy.http import HtmlResponse

from newscrawler.persian.chars import ZWNJ
from newscrawler.persian.dates import TEHRAN
from newscrawler.persian.normalize import normalize_text
from tools.real_pages import REAL_PAGES, real_pages

ROOT = Path(__file__).resolve().parents[1]

#: Documented article-body containers per CMS family (persian-news-sites.md, "CMS families").
FAMILY_CONTAINERS: dict[str, tuple[str, ...]] = {
    "nastooh": (".item-body .item-text", "[itemprop=articleBody]", ".item-body"),
    "iransamaneh": (".baznashr-body", ".body", ".news_body"),
    "asam": ("#echo_detail", "#echo-detail", "#main_ck_editor", ".story", ".article-body"),
    "studiokhabar": ("#doctextarea", "#docContentdiv"),
    "wordpress": (".entry-content", ".Post-Content", ".post-content", ".contentsingle", ".entry"),
    "generic": ("[itemprop=articleBody]", "article", "main"),
}
#: Sign-offs and widget labels: never article text (the issue's list and the research notes).
WIDGET_PHRASES = (
    "انتهای پیام",
    "پایان پیام",
    "این مطلب برایم مفید است",
    "این خبر برایم مفید است",
    "نفر این پست را پسندیده اند",
    "موضوعات داغ",
    "نظرات و دیدگاه ها",
    "نظر شما",
    "ارسال نظر",
    "اخبار مرتبط",
    "مطالب مرتبط",
    "پربازدیدترین",
    "بیشتر بخوانید",
    "اشتراک گذاری",
    "لینک کوتاه",
    "کپی شد",
    "کد خبر",
    "تعداد بازدید",
    "انتشار دهنده",
    "این خبر بروز رسانی می شود",
    "ویدیو:",
    "منبع:",
    "مسئولیت نوشته ها بر عهده نویسندگان",
)
#: Blocks the rule keeps that are not article text, found by reading the pages (hand check).
#: Sites on a CMS of their own (profile ``cms="generic"``): their documented body container
#: (persian-news-sites.md, "Fars": ``.nt-body>*``, ``.rtejustify`` (2022),
#: ``div[itemprop=articleBody]``), not the generic ``article``, which holds the headline too.
SITE_CONTAINERS: dict[str, tuple[str, ...]] = {
    "farsnews": (".nt-body", ".rtejustify", "div[itemprop=articleBody]"),
}
HAND_EXCLUDED: dict[str, tuple[str, ...]] = {
    # a hidden tag line under the body (class "hideTag", plain text, no links)
    "tasnim/2024-09-08-article.html": ("انگور قزوین | برداشت انگور | کشمش تاکستان",),
}
#: Publication times read by hand where the page has no ``article:published_time``.
REFERENCE_DATES: dict[str, str] = {
    "bloghnews/2021-08-04-article.html": "2021-08-04T10:24:00+04:30",  # ۱۳ مرداد ۱۴۰۰ - ۱۰:۲۴
    "tabnak/2026-01-10-article.html": "2026-01-10T10:55:00+03:30",  # ۱۰:۵۵ - ۲۰ دی ۱۴۰۴
    "tasnim/2024-09-08-article.html": "2024-09-08T10:25:00+03:30",  # ۱۸ شهریور ۱۴۰۳ - ۱۰:۲۵
    "yjc/2025-08-12-article.html": "2025-08-12T09:35:00+03:30",  # ۲۱ مرداد ۱۴۰۴ - ۰۹:۳۵
}
BLOCKS = frozenset(
    (
        *("p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"),
        *("table", "tr", "td", "section", "article", "header", "footer", "aside", "nav"),
        *("dl", "dt", "dd", "pre", "center", "main"),
    )
)
SKIPPED = frozenset(["figure", "figcaption", "script", "style", "noscript", "template"])
_LETTER = re.compile(r"[^\W\d_]")
_TOKEN = re.compile(r"\w+")
_WORD = re.compile(rf"[\w{ZWNJ}]+")
_NOT_KEY = re.compile(rf"[\s{ZWNJ}]+")
#: What may come before a widget label: counters and punctuation («0 نفر …», «- تبلیغات -»).
_NOT_LETTER_KEY = "0123456789۰۱۲۳۴۵۶۷۸۹-–—_*•|«»()[]<>.،:؛"
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)
#: trafilatura's settings for precision.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": False,
    "with_metadata": True,
    "output_format": "json",
}


# The reference ----------------------------------------------------------------------------


@dataclass
class Block:
    text: list[str] = field(default_factory=list)
    link_chars: int = 0

    @property
    def value(self) -> str:
        return " ".join("".join(self.text).split())


def _blocks(element: Any, blocks: list[Block], in_link: bool = False) -> None:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in SKIPPED:
        if element.tail:
            blocks[-1].text.append(element.tail)
        return
    if tag in BLOCKS or tag == "br":
        blocks.append(Block())
    link = in_link or tag == "a"
    if tag and element.text:
        blocks[-1].text.append(element.text)
        blocks[-1].link_chars += len(element.text.strip()) if link else 0
    if tag:
        for child in element:
            _blocks(child, blocks, link)
    if tag in BLOCKS:
        blocks.append(Block())
    if element.tail:
        blocks[-1].text.append(element.tail)
        blocks[-1].link_chars += len(element.tail.strip()) if in_link else 0


def _key(text: str) -> str:
    return _NOT_KEY.sub("", text.replace("ي", "ی").replace("ك", "ک"))


def reference_body(html: str, family: str, name: str = "") -> str:
    """The reference body: the kept blocks, as the page wrote them, one per line."""
    sel = Selector(text=html)
    containers = SITE_CONTAINERS.get(name.split("/")[0]) or FAMILY_CONTAINERS.get(
        family, FAMILY_CONTAINERS["generic"]
    )
    found = (sel.css(css) for css in containers)
    container = next((nodes[0] for nodes in found if nodes), None)  # documented preference order
    if container is None:
        return ""
    blocks = [Block()]
    root = container.root
    saved_tail, root.tail = root.tail, None
    _blocks(root, blocks)
    root.tail = saved_tail
    excluded = {_key(text) for text in HAND_EXCLUDED.get(name, ())}
    phrases = [_key(phrase) for phrase in WIDGET_PHRASES]
    kept = []
    for block in blocks:
        text = block.value
        key = _key(text)
        if not text or not _LETTER.search(text) or key in excluded:
            continue
        if block.link_chars * 2 >= len(text.replace(" ", "")):
            continue
        if any(key.lstrip(_NOT_LETTER_KEY).startswith(phrase) for phrase in phrases):
            continue
        kept.append(text)
    return "\n".join(kept)


def reference_title(html: str) -> str | None:
    sel = Selector(text=html)
    h1 = " ".join(" ".join(sel.css("h1 ::text").getall()).split())
    return h1 or sel.css("meta[property='og:title']::attr(content)").get()


def reference_date(html: str, name: str) -> str | None:
    if name in REFERENCE_DATES:
        return REFERENCE_DATES[name]
    sel = Selector(text=html)
    return sel.css("meta[property='article:published_time']::attr(content)").get()


# Scoring ----------------------------------------------------------------------------------


def tokens(text: str | None) -> Counter[str]:
    """Bag of tokens after the same normalization for every side."""
    normalized = normalize_text(text or "") or ""
    return Counter(_TOKEN.findall(normalized.replace(ZWNJ, "").translate(_DIGITS)))


def same_text(a: str | None, b: str | None) -> bool:
    return bool(a and b) and normalize_text(a) == normalize_text(b)


def same_text_loose(a: str | None, b: str | None) -> bool:
    """Equal once half-spaces and spaces are ignored too."""
    return bool(a and b) and _key(normalize_text(a) or "") == _key(normalize_text(b) or "")


def zwnj_words(text: str | None) -> Counter[str]:
    """Words written with a half-space («شهرک‌های»), Arabic ي/ك folded."""
    folded = (text or "").replace("ي", "ی").replace("ك", "ک")
    return Counter(word.strip(ZWNJ) for word in _WORD.findall(folded) if ZWNJ in word.strip(ZWNJ))


def words(text: str | None) -> Counter[str]:
    folded = (text or "").replace("ي", "ی").replace("ك", "ک")
    return Counter(word.strip(ZWNJ) for word in _WORD.findall(folded))


def instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=TEHRAN)


def same_day(candidate: str | None, reference: str | None) -> bool:
    """Same calendar day in Tehran (a bare date counts as that day)."""
    ref = instant(reference)
    if ref is None or not candidate:
        return False
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", candidate):
        return candidate == ref.astimezone(TEHRAN).date().isoformat()
    got = instant(candidate)
    return got is not None and got.astimezone(TEHRAN).date() == ref.astimezone(TEHRAN).date()


def leaked(body: str | None) -> list[str]:
    key = _key(body or "")
    return [phrase for phrase in WIDGET_PHRASES if _key(phrase) in key]


@dataclass
class Output:
    title: str | None
    body: str | None
    date: str | None


@dataclass
class PageScore:
    name: str
    site: str
    family: str
    reference: Output
    source_zwnj: int
    outputs: dict[str, Output | None]

    def score(self, system: str) -> dict[str, Any]:
        out = self.outputs.get(system)
        ref_tokens = tokens(self.reference.body)
        got = out or Output(None, None, None)
        got_tokens = tokens(got.body)
        overlap = sum((ref_tokens & got_tokens).values())
        ref_date = instant(self.reference.date)
        return {
            "overlap": overlap,
            "got": sum(got_tokens.values()),
            "ref": sum(ref_tokens.values()),
            "title": same_text(got.title, self.reference.title),
            "title_loose": same_text_loose(got.title, self.reference.title),
            "date_checked": ref_date is not None,
            "date_instant": ref_date is not None and instant(got.date) == ref_date,
            "date_day": same_day(got.date, self.reference.date),
            "leaks": leaked(got.body),
            "zwnj": (got.body or "").count(ZWNJ),
            "zwnj_words": sum(zwnj_words(self.reference.body).values()),
            "zwnj_kept": sum((zwnj_words(self.reference.body) & words(got.body)).values()),
            "failed": out is None,
        }


def aggregate(scores: Iterable[dict[str, Any]]) -> dict[str, Any]:
    rows = list(scores)
    overlap = sum(r["overlap"] for r in rows)
    got = sum(r["got"] for r in rows)
    ref = sum(r["ref"] for r in rows)
    precision = overlap / got if got else 0.0
    recall = overlap / ref if ref else 0.0
    dated = [r for r in rows if r["date_checked"]]
    return {
        "pages": len(rows),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "title_exact": sum(r["title"] for r in rows) / len(rows) if rows else 0.0,
        "title_ignoring_zwnj": sum(r["title_loose"] for r in rows) / len(rows) if rows else 0.0,
        "date_pages": len(dated),
        "date_instant": sum(r["date_instant"] for r in dated) / len(dated) if dated else None,
        "date_day": sum(r["date_day"] for r in dated) / len(dated) if dated else None,
        "leaked_phrases": sum(len(r["leaks"]) for r in rows),
        "pages_with_leaks": sum(bool(r["leaks"]) for r in rows),
        "zwnj": sum(r["zwnj"] for r in rows),
        "zwnj_words": sum(r["zwnj_words"] for r in rows),
        "zwnj_kept": (
            sum(r["zwnj_kept"] for r in rows) / sum(r["zwnj_words"] for r in rows)
            if sum(r["zwnj_words"] for r in rows)
            else None
        ),
        "failed": sum(r["failed"] for r in rows),
    }


# The systems ------------------------------------------------------------------------------


def ours(response: HtmlResponse, site: str | None, now: datetime) -> tuple[Output, str, str]:
    """Our extraction with the site's profile (or the detected family); also site, family."""
    from newscrawler.cli import choose_profile
    from newscrawler.extraction.article import NotAnArticle, extract_article

    profile = choose_profile(response, site)
    try:
        article = extract_article(response, profile, now=now)
    except NotAnArticle:
        return Output(None, None, None), profile.name, profile.cms
    return Output(article.title, article.body, article.published_at), profile.name, profile.cms


def trafilatura_output(html: str, url: str) -> Output | None:
    import trafilatura

    raw = trafilatura.extract(html, url=url, **TRAFILATURA_OPTIONS)
    if not raw:
        return None
    data = json.loads(raw)
    return Output(data.get("title"), data.get("text"), data.get("date"))


def has_trafilatura() -> bool:
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        return False
    return True


# Pages ------------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    html_path: Path
    spec: dict[str, Any]
    date: datetime

    def response(self) -> HtmlResponse:
        return HtmlResponse(
            url=self.spec["url"],
            body=self.html_path.read_bytes(),
            encoding=self.spec.get("encoding", "utf-8"),
        )


def fixture_pages() -> list[Page]:
    pages = []
    for html in sorted((ROOT / "tests" / "fixtures").glob("*/*-article*.html")):
        if html.parent.name.startswith("_"):
            continue
        spec = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
        day = datetime.strptime(html.name[:10], "%Y-%m-%d").replace(hour=12, tzinfo=TEHRAN)
        pages.append(Page(f"{html.parent.name}/{html.name}", html, spec, day))
    return pages


def extra_pages(directory: Path) -> list[Page]:
    pages = []
    for html in sorted(directory.rglob("*.html")):
        spec_path = html.with_suffix(".json")
        if not spec_path.exists():
            print(f"skipped {html}: no {spec_path.name}", file=sys.stderr)
            continue
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        match = re.match(r"\d{4}-\d{2}-\d{2}", html.name)
        day = (
            datetime.strptime(match.group(0), "%Y-%m-%d").replace(hour=12, tzinfo=TEHRAN)
            if match
            else datetime.now(TEHRAN)
        )
        pages.append(Page(str(html.relative_to(directory)), html, spec, day))
    return pages


def evaluate(pages: list[Page], *, extra: bool, with_trafilatura: bool) -> list[PageScore]:
    scored = []
    for page in pages:
        response = page.response()
        html = response.text
        expected = page.spec.get("expected") or {}
        site_hint = None if extra else page.html_path.parent.name
        mine, site, family = ours(response, expected.get("site") or site_hint, page.date)
        if extra:
            reference = Output(
                expected.get("title"), expected.get("body"), expected.get("published_at")
            )
            source_zwnj = (expected.get("body") or "").count(ZWNJ)
        else:
            body = reference_body(html, family, page.name)
            reference = Output(reference_title(html), body, reference_date(html, page.name))
            source_zwnj = body.count(ZWNJ)
        outputs: dict[str, Output | None] = {"ours": mine}
        if with_trafilatura:
            outputs["trafilatura"] = trafilatura_output(html, page.spec["url"])
        scored.append(PageScore(page.name, site, family, reference, source_zwnj, outputs))
    return scored


# Report -----------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    out = ["| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"]
    out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        cells = [
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def summary(scored: list[PageScore], systems: list[str]) -> dict[str, Any]:
    groups: dict[str, dict[str, list[PageScore]]] = {"site": {}, "family": {}}
    for page in scored:
        groups["site"].setdefault(page.site, []).append(page)
        groups["family"].setdefault(page.family, []).append(page)
    result: dict[str, Any] = {}
    for kind, members in groups.items():
        result[kind] = {
            name: {
                "source_zwnj": sum(p.source_zwnj for p in pages),
                **{system: aggregate(p.score(system) for p in pages) for system in systems},
            }
            for name, pages in sorted(members.items())
        }
    result["overall"] = {
        "source_zwnj": sum(p.source_zwnj for p in scored),
        **{system: aggregate(p.score(system) for p in scored) for system in systems},
    }
    return result


def report(result: dict[str, Any], systems: list[str], title: str) -> str:
    headers = ["", "family", "pages"]
    for system in systems:
        tag = "ours" if system == "ours" else "traf."
        headers += [f"{tag} P", f"{tag} R", f"{tag} F1", f"{tag} title", f"{tag} date"]
    headers += [f"{'ours' if s == 'ours' else 'traf.'} leaks" for s in systems]
    headers += ["ZWNJ words"] + [f"{'ours' if s == 'ours' else 'traf.'} kept" for s in systems]

    def row(label: str, family: str, entry: dict[str, Any]) -> list[str]:
        first = entry[systems[0]]
        cells = [label, family, str(first["pages"])]
        for system in systems:
            s = entry[system]
            day_or_instant = s["date_instant"] if system == "ours" else s["date_day"]
            cells += [
                f"{s['precision']:.3f}",
                f"{s['recall']:.3f}",
                f"{s['f1']:.3f}",
                _pct(s["title_exact"]),
                _pct(day_or_instant),
            ]
        cells += [str(entry[s]["leaked_phrases"]) for s in systems]
        cells += [str(entry[systems[0]]["zwnj_words"])]
        cells += [_pct(entry[s]["zwnj_kept"]) for s in systems]
        return cells

    families = {}
    rows = []
    for site, entry in result["site"].items():
        family = result["site_family"][site]
        families[site] = family
        rows.append(row(site, family, entry))
    for family, entry in result["family"].items():
        rows.append(row(f"({family})", family, entry))
    rows.append(row("all", "", result["overall"]))
    notes = [
        title,
        "",
        table(rows, headers),
        "",
        "P/R/F1: body tokens against the reference (micro-averaged); title: exact match after "
        "normalization; date: ours same instant, trafilatura same day (it gives no time); "
        "leaks: widget phrases found in the body; ZWNJ words: words the reference text writes "
        "with a half-space, and the share of them each output keeps intact.",
    ]
    overall = result["overall"]
    if "trafilatura" in overall:
        traf = overall["trafilatura"]
        notes.append(
            f"trafilatura date, same instant where it gives a time: {_pct(traf['date_instant'])}; "
            f"ours, same day: {_pct(overall['ours']['date_day'])}. Title ignoring half-spaces "
            f"and spaces: ours {_pct(overall['ours']['title_ignoring_zwnj'])}, trafilatura "
            f"{_pct(traf['title_ignoring_zwnj'])}."
        )
    return "\n".join(notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extra", type=Path, help="a folder of pages with expected JSON")
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "eval")
    parser.add_argument("--no-trafilatura", action="store_true", help="score ours only")
    args = parser.parse_args(argv)
    with_trafilatura = not args.no_trafilatura and has_trafilatura()
    if not with_trafilatura and not args.no_trafilatura:
        print("trafilatura is not installed: ours only (make eval installs it)", file=sys.stderr)
    systems = ["ours", "trafilatura"] if with_trafilatura else ["ours"]
    sets = {"fixtures": (fixture_pages(), False)}
    if args.extra:
        sets["extra"] = (extra_pages(args.extra), True)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    document: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": {p: _version(p) for p in ("hazm", "trafilatura", "scrapy")},
        "trafilatura_options": TRAFILATURA_OPTIONS if with_trafilatura else None,
    }
    texts = []
    for name, (pages, extra) in sets.items():
        if not pages:
            print(f"{name}: no pages", file=sys.stderr)
            continue
        scored = evaluate(pages, extra=extra, with_trafilatura=with_trafilatura)
        result = summary(scored, systems)
        result["site_family"] = {p.site: p.family for p in scored}
        result["pages"] = [
            {
                "page": p.name,
                "site": p.site,
                "family": p.family,
                "reference": vars(p.reference),
                **{system: p.score(system) for system in systems},
            }
            for p in scored
        ]
        document[name] = result
        reference = "hand-checked rule (see tools/eval.py)" if not extra else "expected JSON"
        texts.append(report(result, systems, f"{name}: {len(pages)} pages, reference: {reference}"))
    if real_pages():
        from tools import eval_real

        document["real_pages"] = real = eval_real.evaluate(with_trafilatura)
        texts.append(eval_real.report(real))
    else:
        print(f"real pages: none at {REAL_PAGES}", file=sys.stderr)
    text = "\n\n".join(texts)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for filename in (f"eval-{stamp}.json", "latest.json"):
        (out / filename).write_text(
            json.dumps(document, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
        )
    (out / "latest.txt").write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"\nwritten: {out / f'eval-{stamp}.json'}")
    return 0


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
