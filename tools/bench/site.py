"""The benchmark site: N article pages (~40 KB each) plus their listing pages, pre-rendered.

Pages come from the offline demo's five CMS templates (:mod:`tools.demo`: Nastooh,
IranSamaneh, Asam, StudioKhabar, WordPress), so every page is one a real spider profile parses.
The demo's pages are small (10-16 KB, 5-10 paragraphs); real article pages carry much more
around the text. Here each article gets

* a longer body (about 14 paragraphs, ~3 k characters, like the seed article; the added
  paragraphs' words reordered, see :func:`_reword`), and
* the chrome of a real news page: inline CSS and an ad/analytics script in ``<head>``, a province
  mega-menu, a «آخرین اخبار» list of 30 other articles, a thread of reader comments and a
  footer link grid,

which brings article pages to about 40 KB. Home listings have 20 articles a page (5,000
articles → 250 listing pages). Everything is deterministic for a given ``n``, seed and choice
of sources; ``build(n, …, sources=("irna",))`` gives one source all ``n`` articles (the long
crawl of ``python -m tools.bench --long``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import random
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from newscrawler.sites.profile import PROVINCES, SiteProfile
from tools.demo import site as demo_site
from tools.demo import stories
from tools.demo.site import CITIES, SPECS, DemoArticle, DemoSource, build_site

SOURCES = ("irna", "yjc", "tasnim", "bloghnews", "cafekhabarqazvin")
LISTING_PAGE_SIZE = 20
BODY_PARAGRAPHS = 14
LATEST_LINKS = 20
COMMENTS = 8
DEFAULT_SEED = 1405

COMMENT_TEXTS = (
    "خدا قوت به همه کسانی که برای این کار زحمت کشیدند، امیدواریم ادامه داشته باشد.",
    "این وعده‌ها را سال گذشته هم شنیده بودیم، منتظر عمل هستیم.",
    "لطفا درباره وضعیت روستاهای اطراف هم گزارش تهیه کنید.",
    "ممنون از خبرنگار محترم برای پیگیری این موضوع.",
    "چرا در شهر ما هنوز هیچ اقدامی انجام نشده است؟",
    "آمارها با واقعیت فاصله دارد، کافی است سری به بازار بزنید.",
    "خبر خوبی بود، ولی کاش جزئیات بیشتری از هزینه‌ها منتشر می‌شد.",
    "مسئولان محترم به مشکل آب آشامیدنی محله ما هم رسیدگی کنند.",
    "عالی بود، دست مریزاد.",
    "امیدوارم این طرح مثل طرح‌های قبلی نیمه‌کاره رها نشود.",
    "در این زمینه بخش خصوصی باید بیشتر کمک کند.",
    "کاش به جای جلسه، کار اجرایی انجام شود.",
)
NAMES = ("علی", "مریم", "حسین", "زهرا", "رضا", "فاطمه", "مهدی", "سارا", "ناشناس", "یک شهروند")


@dataclasses.dataclass(frozen=True)
class Page:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


@dataclasses.dataclass
class BenchSource:
    """One source of the bench site, served at ``base_url``."""

    name: str
    profile: SiteProfile
    base_url: str
    entry: str
    """Absolute URL of the home listing (the crawl starts there)."""
    pages: dict[str, Page]
    """Unquoted path (and query) → page."""
    articles: list[str]
    """Article targets as linked (percent-encoded), newest first."""
    listings: list[str]


def _lengthen(source: DemoSource, article: DemoArticle, rng: random.Random) -> None:
    """Add middle paragraphs from more stories of the same topic, set in the same place; all
    but the first and the closing one reworded (:func:`_reword`)."""
    if article.empty_body:
        return
    spec = SPECS[source.name]
    lead, *paragraphs = article.story.paragraphs
    closing = paragraphs.pop() if paragraphs else ""
    paragraphs = [lead, *(_reword(paragraph, rng) for paragraph in paragraphs)]
    while len(paragraphs) < BODY_PARAGRAPHS - 1:
        extra = stories.compose(
            rng,
            topic=article.topic,
            province=article.province_name,
            cities=CITIES[article.province],
            published=article.published,
            credit="",
            noise=spec.noise,
        )
        paragraphs.extend(
            _reword(paragraph, rng)
            for paragraph in extra.paragraphs[1:-1][: BODY_PARAGRAPHS - 1 - len(paragraphs)]
        )
    article.story = dataclasses.replace(
        article.story, paragraphs=[*paragraphs, closing] if closing else paragraphs
    )


def _reword(paragraph: str, rng: random.Random) -> str:
    """The paragraph's words in a new order, sentence by sentence.

    The demo's corpus has a few hundred sentences; 5,000 articles padded with them shared whole
    paragraphs, and one random pair of unrelated bench articles in ten was as similar as a
    republished copy (Jaccard ≥ 0.3 over 9-character shingles; real unrelated news is near 0).
    The syndication index then compared every article with hundreds of false candidates, a cost
    no real crawl has. Reordered, the words, their length and their characters (what the
    normalizer works on) stay; the shared runs of text go.
    """
    sentences = []
    for sentence in _SENTENCE_END.split(paragraph):
        end = sentence[-1] if sentence[-1:] in (".", "!", "؟") else ""
        words = (sentence[:-1] if end else sentence).split()
        rng.shuffle(words)
        sentences.append(" ".join(words) + end)
    return " ".join(s for s in sentences if s)


_SENTENCE_END = re.compile(r"(?<=[.!؟])\s+")


def _style(rng: random.Random) -> str:
    props = ("margin", "padding", "font-size", "line-height", "border-radius", "gap")
    rules = []
    for index in range(60):
        chosen = rng.sample(props, 3)
        body = ";".join(f"{p}:{rng.randint(0, 24)}px" for p in chosen)
        rules.append(f".c-{index:02d}-{rng.choice(('box', 'news', 'item', 'nav'))}{{{body}}}")
    return "<style>" + "".join(rules) + "</style>"


def _script(rng: random.Random, article: DemoArticle) -> str:
    slots = [
        {
            "id": f"ad-{article.news_id}-{index}",
            "sizes": [[300, 250], [728, 90]][: 1 + index % 2],
            "targeting": {"section": article.section_name, "tags": article.story.tags[:2]},
            "lazy": bool(index % 3),
        }
        for index in range(28)
    ]
    config = {"page": {"id": article.news_id, "type": "news"}, "slots": slots}
    tracker = "".join(
        f"function t{index}(e,n){{var r=e[n]||[];return r.push(arguments),r.length>{index}}};"
        for index in range(24)
    )
    return (
        "<script>window.__PAGE__="
        + json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
        + ";"
        + tracker
        + f"t0(window,'dl{rng.randint(100, 999)}');</script>"
    )


def _mega_menu() -> str:
    items = "".join(
        f'<li class="province"><a href="/tags/{name}" title="اخبار استان {name}">{name}</a></li>'
        for name in PROVINCES.values()
    )
    return f'<nav class="mega-menu" aria-label="استان‌ها"><ul>{items}</ul></nav>'


def _latest(items: list[str], index: int) -> str:
    links = "".join(items[index + 1 : index + 1 + LATEST_LINKS] or items[:LATEST_LINKS])
    return f'<section class="box latest-news"><h2>آخرین اخبار</h2><ul>{links}</ul></section>'


def _comments(rng: random.Random) -> str:
    items = "".join(
        f'<li class="comment"><div class="comment-author">{rng.choice(NAMES)}</div>'
        f'<div class="comment-date">{rng.randint(1, 23)} ساعت پیش</div>'
        f'<p class="comment-text">{rng.choice(COMMENT_TEXTS)}</p>'
        f'<span class="comment-like">{rng.randint(0, 90)}</span></li>'
        for _ in range(COMMENTS)
    )
    return f'<section class="comments-list"><h3>نظرات کاربران</h3><ol>{items}</ol></section>'


def _footer_grid() -> str:
    groups = []
    for title in ("سیاسی", "اقتصادی", "اجتماعی", "فرهنگی", "ورزشی", "بین‌الملل"):
        links = "".join(f'<li><a href="/tags/{title}-{n}">{title} {n}</a></li>' for n in range(8))
        groups.append(f'<div class="footer-col"><h4>{title}</h4><ul>{links}</ul></div>')
    return '<div class="footer-grid">' + "".join(groups) + "</div>"


def _insert_before(html: str, markers: tuple[str, ...], block: str) -> str:
    for marker in markers:
        at = html.rfind(marker)
        if at >= 0:
            return html[:at] + block + html[at:]
    return html + block


@dataclasses.dataclass
class Chrome:
    """What every page of a source shares (rendered once) and the «آخرین اخبار» items."""

    style: str
    menu: str
    footer: str
    latest: list[str]

    @classmethod
    def of(cls, source: DemoSource, rng: random.Random) -> Chrome:
        template = source.template
        latest = [
            f'<li><a href="{template.article_href(other)}">{other.story.title}</a>'
            f'<span class="time">{other.published:%H:%M}</span></li>'
            for other in source.articles
        ]
        return cls(_style(rng), _mega_menu(), _footer_grid(), latest)


def _inflate(
    html: str, chrome: Chrome, article: DemoArticle | None, index: int, rng: random.Random
) -> str:
    """Add the chrome of a real news page around the template's markup."""
    head = chrome.style + (_script(rng, article) if article else "")
    html = _insert_before(html, ("</head>",), head)
    if article is not None:
        html = _insert_before(html, ("</article>", "</main>", "</body>"), _comments(rng))
    tail = chrome.menu + _latest(chrome.latest, index) + chrome.footer
    return _insert_before(html, ("</body>",), tail)


def _render(
    source: DemoSource,
    chrome: Chrome,
    base_url: str,
    target: str,
    article: DemoArticle | None,
    index: int,
    rng: random.Random,
) -> Page:
    reply = source.respond(target, base_url)
    body = reply.body
    if reply.status == 200 and reply.content_type.startswith("text/html"):
        body = _inflate(body.decode("utf-8"), chrome, article, index, rng).encode("utf-8")
    return Page(reply.status, reply.content_type, body, reply.headers)


def demo_sources(
    per_source: int, seed: int = DEFAULT_SEED, sources: tuple[str, ...] = SOURCES
) -> dict[str, DemoSource]:
    """The demo's sources with ``per_source`` articles each.

    All five: the demo's own site (:func:`tools.demo.site.build_site`, with its cases across
    sources: a republished copy, a tracking link, an empty body). Fewer: each drafted on its own
    with the same random streams, without those cases, because drafting the four others would
    cost a minute at 25,000 articles a source (``--long``) for pages nobody crawls."""
    if tuple(sources) == SOURCES:
        return build_site(articles=per_source, seed=seed).sources
    built = {}
    for name in sources:
        rng = random.Random(f"{seed}:{name}")
        articles = demo_site._draft_articles(name, SPECS[name], per_source, rng)
        built[name] = demo_site._finish_source(name, SPECS[name], articles, rng)
    return built


def build(
    n: int,
    base_urls: dict[str, str],
    seed: int = DEFAULT_SEED,
    sources: tuple[str, ...] = SOURCES,
) -> list[BenchSource]:
    """``sources`` (default the five) with ``n`` articles in all, spread evenly (at least 8 per
    source): one source gets all ``n`` (the long crawl of ``--long``)."""
    unknown = set(sources) - set(SOURCES)
    if unknown or not sources:
        raise ValueError(f"bench sources are among {', '.join(SOURCES)}: not {sorted(unknown)}")
    per_source = max(8, math.ceil(n / len(sources)))
    demo = demo_sources(per_source, seed, sources)
    built = []
    for name in sources:
        with _most_viewed_once(demo[name]):
            built.append(_build_source(demo[name], base_urls[name], seed))
    return built


@contextlib.contextmanager
def _most_viewed_once(source: DemoSource) -> Iterator[None]:
    """The demo template's «most viewed» box, ranked once for the source's whole render.

    The template sorts all the source's articles for every page it renders (its sidebar): the
    same five for every page, at a cost that grows with the source, so rendering one source of
    25,000 articles took ~45 minutes, nearly all of it in that sort. The ranking depends only
    on the articles, so the pages are the same bytes (checked by a test)."""
    template = source.template
    ranked = template.most_viewed(source)
    original = type(template).most_viewed

    def most_viewed(of: DemoSource) -> list[DemoArticle]:
        return list(ranked) if of is source else original(template, of)

    template.most_viewed = most_viewed
    try:
        yield
    finally:
        del template.most_viewed


def _build_source(source: DemoSource, base_url: str, seed: int) -> BenchSource:
    """One source's pages, rendered with the bench's chrome."""
    name = source.name
    rng = random.Random(f"{seed}:{name}:bench")
    for article in source.articles:
        _lengthen(source, article, rng)
    template = source.template
    chrome = Chrome.of(source, rng)
    pages: dict[str, Page] = {}

    pages["/robots.txt"] = _render(source, chrome, base_url, "/robots.txt", None, 0, rng)
    listings = []
    for path in source.profile.home:
        listing = source.listings[path]
        listing.page_size = LISTING_PAGE_SIZE
        for number in range(1, listing.pages + 1):
            target = template.page_href(path, number)
            listings.append(target)
            pages[unquote(target)] = _render(source, chrome, base_url, target, None, 0, rng)
    articles = []
    for index, article in enumerate(source.articles):
        target = template.article_href(article)
        articles.append(target)
        pages[unquote(target)] = _render(source, chrome, base_url, target, article, index, rng)
    entry = base_url + template.page_href(source.profile.home[0], 1)
    return BenchSource(name, source.profile, base_url, entry, pages, articles, listings)


def write(sources: list[BenchSource], directory: Path, ports: dict[str, int]) -> Path:
    """Pre-rendered pages as files plus ``manifest.json`` (what the server loads)."""
    directory.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, object] = {}
    for source in sources:
        folder = directory / source.name
        folder.mkdir(exist_ok=True)
        entries = []
        for number, (target, page) in enumerate(source.pages.items()):
            suffix = ".html" if page.content_type.startswith("text/html") else ".txt"
            path = folder / f"{number:05d}{suffix}"
            path.write_bytes(page.body)
            entries.append(
                {
                    "target": target,
                    "status": page.status,
                    "content_type": page.content_type,
                    "headers": [list(h) for h in page.headers],
                    "file": str(path.relative_to(directory)),
                }
            )
        manifest[source.name] = {"port": ports[source.name], "pages": entries}
    path = directory / "manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return path


def article_pages(sources: list[BenchSource]) -> Iterator[tuple[BenchSource, str, bytes]]:
    """``(source, absolute URL, HTML)`` of every article page with a body, sources interleaved."""
    for index in range(max(len(s.articles) for s in sources)):
        for source in sources:
            if index < len(source.articles):
                target = source.articles[index]
                page = source.pages[unquote(target)]
                if page.status == 200:
                    yield source, source.base_url + target, page.body
