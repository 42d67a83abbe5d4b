"""HTML, RSS and sitemaps of the demo sources, one class per CMS template.

Each template writes full pages the way its CMS does (head metas and asset paths, header and
menus, breadcrumb, the article with kicker, title, lead, paragraphs, figure and tags; the
markup follows the saved pages under ``tests/fixtures/<site>/``) together with the widgets a
crawler must leave out: share bars, short-link boxes, related news, «بیشتر بخوانید:» inside the
body, like widgets, bare view counters, sign-offs, comment sections, hot-topic sidebars and the
footer. Some widgets carry a class the profile drops; others are plain lines inside the body
that only the text rules catch, as on the real sites.

Rendering is a pure function of the article and the base URL: every varying number (likes,
views, short links) is derived from the news id.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from newscrawler.sites.profile import PROVINCES
from tools.demo.site import jalali_path_date
from tools.demo.stories import fa_digits, jalali, jalali_text

if TYPE_CHECKING:
    from tools.demo.site import DemoArticle, DemoSource, Listing

FEED_ITEMS = 20
PLACEHOLDER_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">'
    '<rect width="640" height="360" fill="#d9dde3"/><text x="320" y="190" font-size="28" '
    'text-anchor="middle" fill="#6b7280" font-family="Tahoma">تصویر</text></svg>'
).encode()
BASE_CSS = (
    b"body{direction:rtl;font-family:Tahoma,Vazirmatn,sans-serif;margin:0;background:#f6f6f6;"
    b"color:#222;line-height:1.9}a{color:#0b4f8a;text-decoration:none}header,footer,nav{padding:"
    b".5em 1em;background:#fff}main,article,aside{background:#fff;margin:1em;padding:1em}"
    b"img{max-width:100%;height:auto}nav ul,ul.menu{list-style:none;padding:0}nav li{display:"
    b"inline-block;margin-left:1em}figure{margin:1em 0}figcaption{font-size:.85em;color:#555}"
)
DISCLAIMER = "مسئولیت نوشته ها بر عهده نویسندگان آنهاست و انتشار آن به معنی تایید این نظرات نیست."


def esc(text: str | None) -> str:
    return escape(text or "", quote=True)


def href(path: str, query: str = "") -> str:
    """A path as it appears in an ``href``: percent-encoded, with an optional query."""
    return quote(path) + (f"?{query}" if query else "")


def iso(moment: datetime) -> str:
    """ISO 8601 with the Tehran offset, as WordPress themes print ``time@datetime``."""
    return moment.isoformat(timespec="seconds")


def utc_z(moment: datetime) -> str:
    """ISO 8601 in UTC with ``Z``, as Nastooh metas and JSON-LD print dates."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_offset(moment: datetime) -> str:
    """ISO 8601 in UTC with ``+00:00``, as Yoast prints ``article:published_time``."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def rfc822(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC))


def number(article: DemoArticle, modulo: int, salt: int = 0) -> int:
    """A stable small number for counters (likes, views) of an article."""
    return (int(article.news_id) * 7919 + salt) % modulo


def short_code(article: DemoArticle) -> str:
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    value, code = int(article.news_id) * 2654435761 % (57**5), ""
    for _ in range(5):
        value, digit = divmod(value, len(alphabet))
        code += alphabet[digit]
    return code


def ld_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def lines(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


class Template:
    """What all five CMS templates share; subclasses write the markup."""

    name: ClassVar[str]
    page_query: ClassVar[str] = "page"
    #: Asset paths this CMS links; image paths start with one of ``image_prefixes``.
    stylesheets: ClassVar[tuple[str, ...]] = ()
    scripts: ClassVar[tuple[str, ...]] = ()
    image_prefixes: ClassVar[tuple[str, ...]] = ()

    # URLs ---------------------------------------------------------------------------------

    def article_path(self, article: DemoArticle) -> str:
        raise NotImplementedError

    def aliases(self, article: DemoArticle) -> list[str]:
        """Other paths that lead to the article (short links, paths without the slug)."""
        return []

    def image_path(self, article: DemoArticle, n: int = 1) -> str:
        raise NotImplementedError

    def listing_route(self, path: str, query: dict[str, str]) -> tuple[str, int] | None:
        """The listing path and page number a request is for."""
        page = query.get(self.page_query, "1")
        return (path, int(page)) if page.isdigit() else None

    def page_href(self, listing_path: str, page: int) -> str:
        return href(listing_path, "" if page == 1 else f"{self.page_query}={page}")

    def article_href(self, article: DemoArticle, query: str = "") -> str:
        return href(article.path, query)

    def canonical(self, article: DemoArticle, base: str) -> str:
        return base + href(article.path)

    # Shared page parts ------------------------------------------------------------------

    def menu(self, source: DemoSource) -> list[tuple[str, str]]:
        profile = source.profile
        items = [(href(profile.home[0]), "صفحه نخست")]
        for slug, path in profile.provinces.items():
            if path in source.listings:  # served: known, and the demo writes about it
                items.append((href(path), PROVINCES[slug]))
        for path in profile.sections.values():
            items.append((href(path), source.listings[path].title))
        return list(dict.fromkeys(items))

    def menu_html(self, source: DemoSource, base: str = "") -> str:
        return "".join(f'<li><a href="{base}{h}">{esc(t)}</a></li>' for h, t in self.menu(source))

    def hot_tags(self, source: DemoSource) -> list[str]:
        tags = [tag for article in source.articles[:6] for tag in article.story.tags]
        return list(dict.fromkeys(tags))[:8]

    def most_viewed(self, source: DemoSource) -> list[DemoArticle]:
        ranked = sorted(source.articles, key=lambda a: number(a, 5000, 11), reverse=True)
        return ranked[:5]

    def date_text(self, moment: datetime) -> str:
        return jalali_text(moment, "{d} {month} {y} - {H}:{M}")

    def body(self, source: DemoSource, article: DemoArticle, base: str) -> str:
        """The article text with its figure, crosshead, «بیشتر بخوانید» link and an inline ad
        script, in this CMS's markup (sign-offs and in-body widgets come from the subclass)."""
        if article.empty_body:
            return ""
        blocks = []
        paragraphs = article.story.paragraphs
        subhead = article.story.subhead
        for index, text in enumerate(paragraphs):
            if subhead and subhead[0] == index:
                blocks.append(self.subhead_html(subhead[1]))
            blocks.append(self.paragraph_html(text))
            if index == 1:
                blocks.append(self.figure_html(article, base))
            if index == 2 and article.read_more is not None and len(paragraphs) >= 5:
                blocks.append(self.read_more_html(article.read_more, base))
            if index == 3:
                blocks.append(
                    '<script type="text/javascript">(window.ads = window.ads || [])'
                    f'.push({{slot: "inread-{article.news_id}"}});</script>'
                )
        return "\n".join(blocks)

    def paragraph_html(self, text: str) -> str:
        return f"<p>{esc(text)}</p>"

    def subhead_html(self, text: str) -> str:
        return f"<h3>{esc(text)}</h3>"

    def figure_html(self, article: DemoArticle, base: str) -> str:
        caption = esc(article.story.caption)
        return (
            f'<figure class="image"><img src="{self.image_path(article, 2)}" alt="{caption}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )

    def read_more_html(self, other: DemoArticle, base: str) -> str:
        return (
            f'<p><strong>بیشتر بخوانید:</strong> <a href="{self.article_href(other)}">'
            f"{esc(other.story.title)}</a></p>"
        )

    def head_assets(self, base: str = "") -> str:
        links = [f'<link rel="stylesheet" href="{base}{path}">' for path in self.stylesheets]
        links += [f'<script src="{base}{path}"></script>' for path in self.scripts]
        return "\n".join(links)

    # Machine-readable pages --------------------------------------------------------------

    def robots(self, source: DemoSource, base: str) -> str:
        rules = ["User-agent: *", "Disallow: /search", ""]
        rules += [f"Sitemap: {base}{href(path)}" for path in source.profile.sitemaps]
        return "\n".join(rules) + "\n"

    def feed(self, source: DemoSource, base: str) -> str:
        items = []
        for article in source.articles[:FEED_ITEMS]:
            link = base + self.article_href(article)
            items.append(
                f"<item><title>{esc(article.story.title)}</title><link>{link}</link>"
                f"<description>{esc(article.story.lead)}</description>"
                f"<pubDate>{rfc822(article.published)}</pubDate>"
                f"<category>{esc(article.section_name)}</category>"
                f'<guid isPermaLink="true">{link}</guid></item>'
            )
        feed_url = base + href(source.profile.feeds[0])
        return lines(
            '<?xml version="1.0" encoding="utf-8"?>',
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>',
            f"<title>{esc(source.profile.title)}</title><link>{base}/</link>",
            f"<description>{esc(source.profile.title)} - آخرین اخبار</description>",
            f"<language>fa</language><pubDate>{rfc822(source.articles[0].published)}</pubDate>",
            f'<atom:link href="{feed_url}" rel="self" type="application/rss+xml"/>',
            *items,
            "</channel></rss>\n",
        )

    def sitemap(self, source: DemoSource, base: str) -> str:
        urls = []
        for article in source.articles:
            updated = article.modified or article.published
            urls.append(
                f"<url><loc>{base}{self.article_href(article)}</loc>"
                f"<lastmod>{iso(updated)}</lastmod><news:news><news:publication>"
                f"<news:name>{esc(source.profile.title)}</news:name>"
                "<news:language>fa</news:language></news:publication>"
                f"<news:publication_date>{iso(article.published)}</news:publication_date>"
                f"<news:title>{esc(article.story.title)}</news:title></news:news></url>"
            )
        return lines(
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
            *urls,
            "</urlset>\n",
        )

    def asset(self, path: str) -> tuple[str, bytes] | None:
        if path in self.stylesheets:
            return "text/css; charset=utf-8", BASE_CSS
        if path in self.scripts:
            return "application/javascript; charset=utf-8", b"/* demo */\n"
        if path.startswith(self.image_prefixes) and path.endswith((".jpg", ".png")):
            return "image/svg+xml", PLACEHOLDER_SVG
        return None

    def not_found(self, source: DemoSource, base: str) -> str:
        return lines(
            '<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8">',
            f"<title>صفحه یافت نشد - {esc(source.profile.title)}</title></head><body>",
            "<h1>۴۰۴</h1><p>صفحه مورد نظر شما یافت نشد.</p>",
            f'<p><a href="{href(source.profile.home[0])}">بازگشت به صفحه نخست</a></p>',
            "</body></html>",
        )

    # Pages ------------------------------------------------------------------------------

    def article(self, source: DemoSource, article: DemoArticle, base: str) -> str:
        raise NotImplementedError

    def listing(self, source: DemoSource, listing: Listing, page: int, base: str) -> str:
        raise NotImplementedError

    def pages(self, listing: Listing, page: int) -> tuple[str | None, str | None]:
        """Hrefs of the previous and next listing pages."""
        prev = self.page_href(listing.path, page - 1) if page > 1 else None
        nxt = self.page_href(listing.path, page + 1) if page < listing.pages else None
        return prev, nxt


# Nastooh (IRNA, ISNA, Mehr, Hamshahri) ---------------------------------------------------


class Nastooh(Template):
    name = "nastooh"
    page_query = "pi"
    stylesheets = (
        "/resources/theme/irna/css/bootstrap.rtl.min.css",
        "/resources/theme/irna/css/main.css",
    )
    scripts = ("/resources/theme/irna/js/main.js",)
    image_prefixes = ("/d/",)

    def article_path(self, article: DemoArticle) -> str:
        return f"/news/{article.news_id}/{article.slug}"

    def date_text(self, moment: datetime) -> str:
        return jalali_text(moment, "{d} {month} {y}، {H}:{M}")

    def aliases(self, article: DemoArticle) -> list[str]:
        return [f"/news/{article.news_id}", f"/amp/{article.news_id}"]

    def image_path(self, article: DemoArticle, n: int = 1) -> str:
        return f"/d/r2/{article.published:%Y/%m/%d}/4/{int(article.news_id) // 17 + n}.jpg"

    def header(self, source: DemoSource) -> str:
        return lines(
            '<header id="header"><div class="container"><div class="header-top">',
            '<a class="logo" href="/"><img src="/d/logo/irna.png" alt="ایرنا"></a>',
            '<form class="search" action="/search" method="get"><input name="q" '
            'placeholder="جستجو"><button type="submit">جستجو</button></form></div>',
            f'<nav class="menu"><ul>{self.menu_html(source)}</ul></nav></div></header>',
        )

    def sidebar(self, source: DemoSource) -> str:
        tags = "".join(
            f'<li><a href="/tag/{href(t)}">#{esc(t)}</a></li>' for t in self.hot_tags(source)
        )
        viewed = "".join(
            f'<li><a href="{self.article_href(a)}">{esc(a.story.title)}</a></li>'
            for a in self.most_viewed(source)
        )
        return lines(
            '<aside class="col-md-4 sidebar">',
            '<section class="box hot-topics"><header class="box-header"><h2>موضوعات داغ</h2>'
            f"</header><ul>{tags}</ul></section>",
            '<section class="box most-visited"><header class="box-header"><h2>پربازدیدترین'
            f'</h2></header><ul class="most-viewed">{viewed}</ul></section>',
            "</aside>",
        )

    def footer(self) -> str:
        return lines(
            '<footer id="footer"><div class="container"><ul class="footer-links">',
            '<li><a href="/page/about">درباره ما</a></li><li><a href="/page/contact">'
            'تماس با ما</a></li><li><a href="/rss">آر اس اس</a></li></ul>',
            "<p>کلیه حقوق این سایت متعلق به خبرگزاری جمهوری اسلامی است.</p></div></footer>",
        )

    def article(self, source: DemoSource, article: DemoArticle, base: str) -> str:
        story = article.story
        canonical = self.canonical(article, base)
        short = f"{base}/x/{short_code(article)}"
        tags = "".join(
            f'<li><a href="/tag/{href(t)}" rel="tag">{esc(t)}</a></li>' for t in story.tags
        )
        tag_metas = "".join(f'<meta property="article:tag" content="{esc(t)}">' for t in story.tags)
        related = "".join(
            f'<li class="news"><h3><a href="{self.article_href(a)}">{esc(a.story.title)}</a>'
            "</h3></li>"
            for a in article.related
        )
        province_path = source.profile.provinces.get(article.province) or "/service/province"
        modified = article.modified or article.published
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
            "headline": story.title,
            "description": story.lead,
            "datePublished": utc_z(article.published),
            "dateModified": utc_z(modified),
            "image": {"@type": "ImageObject", "url": base + self.image_path(article)},
            "publisher": {"@type": "Organization", "name": "ایرنا"},
            "keywords": ",".join(story.tags),
            "inLanguage": "fa",
        }
        views = fa_digits(number(article, 5000, 7) + 300)
        return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
<title>{esc(story.title)} - ایرنا</title>
<meta name="description" content="{esc(story.lead)}">
<meta name="keywords" content="{esc(",".join(story.tags))}">
<meta name="generator" content="www.nastooh.ir">
<meta name="robots" content="index, follow, max-image-preview:large">
<meta property="og:site_name" content="ایرنا">
<meta property="og:locale" content="fa_IR">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(story.title)}">
<meta property="og:description" content="{esc(story.lead)}">
<meta property="og:url" content="{canonical}">
<meta property="og:image" content="{base}{self.image_path(article)}">
<meta property="article:published_time" content="{utc_z(article.published)}">
<meta property="article:modified_time" content="{utc_z(modified)}">
<meta property="article:section" content="استان‌ها > {esc(article.section_name)}">
{tag_metas}
<meta property="nastooh:topic" content="Provinces">
<meta property="nastooh:subtopic" content="{article.province}">
<meta property="nastooh:pageType" content="news">
<meta property="nastooh:newsType" content="news">
<meta property="nastooh:publishDate" content="{article.published:%Y-%m-%d}">
<meta property="nastooh:code" content="{article.news_id}">
<meta property="nastooh:nid" content="{article.news_id}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:site" content="@IrnaNews">
<link rel="canonical" href="{canonical}">
<link rel="shortlink" href="{short}">
<link rel="amphtml" href="{base}/amp/{article.news_id}/">
<link rel="alternate" type="application/rss+xml" title="ایرنا" href="{base}/rss">
{self.head_assets()}
<script type="application/ld+json">{ld_json(ld)}</script>
</head>
<body class="news-page">
{self.header(source)}
<main class="container"><div class="row"><div class="col-md-8">
<article id="item" class="item-content news" itemscope itemtype="http://schema.org/NewsArticle">
<div class="item-header">
<ol class="breadcrumb"><li><a href="/">صفحه اول</a></li>
<li><a href="/service/province">استان‌ها</a></li>
<li><a href="{href(province_path)}">{esc(article.section_name)}</a></li></ol>
<div class="item-nav row">
<div class="item-date col-auto"><span>{self.date_text(article.published)}</span></div>
<div class="item-code col-auto"><span>کد خبر: {article.news_id}</span></div>
</div>
<div class="item-title"><h3 class="kicker">{esc(story.kicker)}</h3>
<h1 class="title" itemprop="headline"><a href="{canonical}">{esc(story.title)}</a></h1></div>
<p class="summary introtext" itemprop="description">{esc(story.lead)}</p>
<figure class="item-img"><img src="{self.image_path(article)}" alt="{esc(story.title)}"></figure>
</div>
<div class="item-body content-full-news">
<div class="item-share"><ul class="share">
<li><a class="telegram" href="https://t.me/share/url?url={short}">تلگرام</a></li>
<li><a class="whatsapp" href="https://api.whatsapp.com/send?text={short}">واتس‌اپ</a></li>
<li><a class="print" href="/print/{article.news_id}/">چاپ</a></li></ul></div>
<div class="item-text" itemprop="articleBody">
{self.body(source, article, base)}
<p>انتهای پیام</p>
<p>{views}</p>
</div>
<section class="box related"><header class="box-header"><h2>اخبار مرتبط</h2></header>
<ul>{related}</ul></section>
</div>
<footer class="item-footer">
<section class="box tags"><header class="box-header"><h2>برچسب‌ها</h2></header>
<div class="box-content"><ul>{tags}</ul></div></section>
<div class="short-link-container"><label for="short-url">لینک کوتاه</label>
<input id="short-url" type="text" value="{short}" readonly>
<button type="button" class="copy">کپی شد</button></div>
</footer>
<section id="comments" class="box comments"><header class="box-header"><h2>نظر شما</h2></header>
<form action="/comment/{article.news_id}" method="post"><textarea name="body"></textarea>
<button type="submit">ارسال نظر</button></form></section>
</article>
</div>
{self.sidebar(source)}
</div></main>
{self.footer()}
</body>
</html>
"""

    def listing(self, source: DemoSource, listing: Listing, page: int, base: str) -> str:
        items = []
        for article, query in listing.page(page):
            link = self.article_href(article, query)
            stamp = fa_digits(f"{jalali(article.published):%Y-%m-%d %H:%M}")
            items.append(
                lines(
                    '<li class="news">',
                    f'<figure><a href="{link}"><img src="{self.image_path(article)}" '
                    f'alt="{esc(article.story.title)}"></a></figure>',
                    f'<div class="desc"><h3><a href="{link}">{esc(article.story.title)}</a></h3>',
                    f'<p class="introtext">{esc(article.story.lead)}</p>',
                    f'<time><a href="{link}">{stamp}</a></time></div>',
                    "</li>",
                )
            )
        prev, nxt = self.pages(listing, page)
        pager = f'<li class="prev"><a href="{prev}">قبلی</a></li>' if prev else ""
        pager += f'<li class="active"><span>{fa_digits(page)}</span></li>'
        pager += f'<li class="next"><a href="{nxt}">بعدی</a></li>' if nxt else ""
        return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl">
<head>
<meta charset="utf-8">
<title>{esc(listing.title)} - ایرنا</title>
<meta name="generator" content="www.nastooh.ir">
<meta property="nastooh:pageType" content="archive">
<link rel="canonical" href="{base}{self.page_href(listing.path, page)}">
{self.head_assets()}
</head>
<body class="archive-page">
{self.header(source)}
<main class="container"><div class="row"><div class="col-md-8">
<section id="box202" class="box list list-thumbs thumbs-lg highlights">
<header class="box-header"><h1>{esc(listing.title)}</h1></header>
<div class="box-content"><ul>
{chr(10).join(items)}
</ul></div>
<footer><ul class="pagination">{pager}</ul></footer>
</section>
</div>
{self.sidebar(source)}
</div></main>
{self.footer()}
</body>
</html>
"""


# IranSamaneh (YJC, Tabnak, Asriran, IRIB News) --------------------------------------------


class IranSamaneh(Template):
    name = "iransamaneh"
    stylesheets = (
        "/client/themes/fa/main/css/bootstrap-rtl.min.css",
        "/client/themes/fa/main/css/news.css",
    )
    scripts = ("/client/themes/fa/main/js/jquery.min.js", "/client/themes/fa/main/js/news.js")
    image_prefixes = ("/files/fa/news/", "/client/themes/fa/main/img/")

    def article_path(self, article: DemoArticle) -> str:
        return f"/fa/news/{article.news_id}/{article.slug}"

    def aliases(self, article: DemoArticle) -> list[str]:
        return [f"/fa/news/{article.news_id}"]

    def image_path(self, article: DemoArticle, n: int = 1) -> str:
        j = jalali(article.published)
        serial = int(article.news_id) * 3 + n
        return f"/files/fa/news/{j.year}/{j.month}/{j.day}/{serial}_{number(article, 900)}.jpg"

    def header(self, source: DemoSource) -> str:
        today = jalali_text(source.articles[0].published, "{weekday} {d} {month} {y}")
        return lines(
            '<div id="header"><div class="container"><div class="header_top">',
            '<a class="logo" href="/fa"><img src="/client/themes/fa/main/img/logo.png" '
            'alt="باشگاه خبرنگاران جوان"></a>',
            f'<div class="today_date">{today}</div></div>',
            f'<ul class="main_menu">{self.menu_html(source)}',
            '<li><a href="/fa/rss/allnews">RSS</a></li></ul></div></div>',
        )

    def sidebar(self, source: DemoSource) -> str:
        tags = "".join(
            f'<li><a href="/fa/tags/{href(t)}">{esc(t)}</a></li>' for t in self.hot_tags(source)
        )
        viewed = "".join(
            f'<li><a class="most_title" href="{self.article_href(a)}">{esc(a.story.title)}</a></li>'
            for a in self.most_viewed(source)
        )
        return lines(
            '<div class="col-md-4 col-sm-12 left_col">',
            '<div class="box hot-topics"><div class="box_header">موضوعات داغ</div>'
            f"<ul>{tags}</ul></div>",
            '<div class="box most_viewed"><div class="box_header">پربازدیدترین</div>'
            f"<ul>{viewed}</ul></div>",
            "</div>",
        )

    def footer(self) -> str:
        return lines(
            '<div id="footer"><div class="container"><ul class="footer_links">',
            '<li><a href="/fa/about">درباره ما</a></li><li><a href="/fa/contact">تماس با ما</a>',
            '</li></ul><div class="copyright">تمامی حقوق برای باشگاه خبرنگاران جوان محفوظ '
            "است.</div></div></div>",
        )

    def figure_html(self, article: DemoArticle, base: str) -> str:
        caption = esc(article.story.caption)
        return (
            f'<figure class="news_image"><img src="{self.image_path(article, 2)}" '
            f'alt="{caption}"><figcaption>{caption}</figcaption></figure>'
        )

    def read_more_html(self, other: DemoArticle, base: str) -> str:
        return (
            f'<p><strong>بخوانید:</strong> <a href="{self.article_href(other)}">'
            f"{esc(other.story.title)}</a></p>"
        )

    def article(self, source: DemoSource, article: DemoArticle, base: str) -> str:
        story = article.story
        canonical = self.canonical(article, base)
        short = f"{base}/00{short_code(article)}"
        tags = "\n".join(f'<a href="/fa/tags/{href(t)}">{esc(t)}</a>' for t in story.tags)
        province_path = source.profile.provinces.get(article.province) or "/fa/provinces"
        related = "".join(
            f'<li><a class="title5" href="{self.article_href(a)}">{esc(a.story.title)}</a></li>'
            for a in article.related
        )
        signoff = {"qazvin": "ق", "kerman": "ک", "zanjan": "ز", "gilan": "گ"}
        views = fa_digits(number(article, 900, 3) + 40)
        return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(story.title)} | خبرگزاری باشگاه خبرنگاران | YJC</title>
<meta name="description" content="{esc(story.lead)}">
<meta name="keywords" content="{esc(",".join(story.tags))}">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(story.title)}">
<meta property="og:description" content="{esc(story.lead)}">
<meta property="og:url" content="{canonical}">
<meta property="og:image" content="{base}{self.image_path(article)}">
<link rel="canonical" href="{canonical}">
<link rel="shortlink" href="{short}">
{self.head_assets()}
</head>
<body class="news_page">
{self.header(source)}
<div class="container main_container"><div class="row">
<div class="col-md-8 col-sm-12 right_col">
<article class="news_body_content">
<div class="details-box-news">
<div class="photo-newspage-date">
<span class="date-color-news news-code">کد خبر: {fa_digits(article.news_id)}</span>
<span class="date-color-news">{self.date_text(article.published)}</span>
</div>
<div class="news-service"><a href="{href(province_path)}">{esc(article.section_name)}</a></div>
</div>
<div class="rutitr">{esc(story.kicker)}</div>
<h1 class="title-news">{esc(story.title)}</h1>
<div class="news_strong">{esc(story.lead)}</div>
<div class="news_toolbar"><a class="print" href="/fa/print/{article.news_id}">چاپ</a>
<ul class="share"><li><a href="https://t.me/share/url?url={short}">تلگرام</a></li>
<li><a href="https://eitaa.com/share/url?url={short}">ایتا</a></li></ul></div>
<div class="baznashr-body">
<div class="parent-lead-img">
<img class="lead-img" src="{self.image_path(article)}" alt="{esc(story.title)}"></div>
{self.body(source, article, base)}
<p>انتهای پیام/ {signoff.get(article.province, "ا")}</p>
{views}
<div class="path_bottom_body"><a href="/fa">صفحه نخست</a>
<a href="/fa/provinces">استان ها</a>
<a href="{href(province_path)}">{esc(article.section_name)}</a></div>
</div>
<div class="tags_title"><span>برچسب ها:</span>
{tags}</div>
<div class="short-link"><span>لینک کوتاه:</span>
<input type="text" readonly value="{short}"><button type="button">کپی شد</button></div>
</article>
<div class="related_news"><div class="box_header">اخبار مرتبط</div><ul>{related}</ul></div>
<div class="comments_container"><div class="box_header">نظرات کاربران</div>
<div class="comments_item"><div class="comm_info"><span class="comm_info_name">کاربر</span>
<span class="comm_info_date">{self.date_text(article.published)}</span></div>
<div class="comments">امیدواریم این وعده‌ها عملی شود.</div>
<div class="comm_answer_line"><span class="like">{fa_digits(number(article, 30))}</span></div>
</div>
<form class="comment_form" action="/fa/ajax/comment" method="post">
<div class="box_header">ارسال نظر</div><textarea name="body"></textarea>
<button type="submit">ارسال</button></form></div>
</div>
{self.sidebar(source)}
</div></div>
{self.footer()}
</body>
</html>
"""

    def listing(self, source: DemoSource, listing: Listing, page: int, base: str) -> str:
        items = []
        for article, query in listing.page(page):
            link = self.article_href(article, query)
            stamp = fa_digits(f"{jalali(article.published):%H:%M - %Y/%m/%d}")
            items.append(
                lines(
                    '<div class="news_item">',
                    f'<a class="img_link" href="{link}"><img src="{self.image_path(article)}" '
                    'alt=""></a>',
                    f'<div class="news_text"><div class="rutitr">{esc(article.story.kicker)}</div>',
                    f'<a class="title5" href="{link}">{esc(article.story.title)}</a>',
                    f'<div class="lead_linear">{esc(article.story.lead)}</div>',
                    f'<div class="news_pdate">{stamp}</div></div>',
                    "</div>",
                )
            )
        prev, nxt = self.pages(listing, page)
        pager = f'<a class="prev" href="{prev}">صفحه قبل</a>' if prev else ""
        pager += f'<span class="current">{fa_digits(page)}</span>'
        pager += f'<a class="next" href="{nxt}">صفحه بعد</a>' if nxt else ""
        return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl">
<head>
<meta charset="utf-8">
<title>{esc(listing.title)} | باشگاه خبرنگاران جوان</title>
<link rel="canonical" href="{base}{self.page_href(listing.path, page)}">
{self.head_assets()}
</head>
<body class="service_page">
{self.header(source)}
<div class="container main_container"><div class="row">
<div class="col-md-8 col-sm-12 right_col">
<h1 class="service_title">{esc(listing.title)}</h1>
<div class="service_news linear_news">
{chr(10).join(items)}
</div>
<div class="pagination">{pager}</div>
</div>
{self.sidebar(source)}
</div></div>
{self.footer()}
</body>
</html>
"""


# Asam / aasaam (Tasnim, Donya-e-Eqtesad, ILNA) --------------------------------------------

AASAAM_BANNER = r"""<!--
  .oooo.    .oooo.    .oooo.o  .oooo.    .oooo.   ooo. .oo.  .oo.
 `P  )88b  `P  )88b  d88(  "8 `P  )88b  `P  )88b  `888P"Y88bP"Y88b
  .oP"888   .oP"888  `"Y88b.   .oP"888   .oP"888   888   888   888
 d8(  888  d8(  888  o.  )88b d8(  888  d8(  888   888   888   888
 `Y888""8o `Y888""8o 8""888P' `Y888""8o `Y888""8o o888o o888o o888o

 aasaam software development group | https://aasaam.com
-->"""


class Asam(Template):
    name = "asam"
    stylesheets = ("/Static/css/site.min.css",)
    scripts = ("/Static/js/jquery.min.js",)
    image_prefixes = ("/Tasnim/Uploaded/", "/Static/img/")

    def article_path(self, article: DemoArticle) -> str:
        return f"/fa/news/{jalali_path_date(article.published)}/{article.news_id}/{article.slug}"

    def aliases(self, article: DemoArticle) -> list[str]:
        return [f"/{article.news_id}", f"/fa/tiny/news-{article.news_id}"]

    def image_path(self, article: DemoArticle, n: int = 1) -> str:
        j = jalali(article.published)
        return f"/Tasnim/Uploaded/Image/{j.year}/{j.month:02d}/{j.day:02d}/{article.news_id}{n}.jpg"

    def header(self, source: DemoSource) -> str:
        today = jalali_text(source.articles[0].published, "{weekday} {d} {month} {y}")
        return lines(
            '<div class="top-bar"><div class="container">',
            f'<span class="today">{today}</span></div></div>',
            '<header class="site-header"><div class="container">',
            '<a class="logo" href="/fa"><img src="/Static/img/logo-fa.png" alt="خبرگزاری تسنیم">',
            f'</a><nav class="main-menu"><ul class="list-inline">{self.menu_html(source)}</ul>',
            "</nav></div></header>",
        )

    def sidebar(self, source: DemoSource) -> str:
        tags = "".join(
            f'<li><a href="/fa/tag/{href(t)}">{esc(t)}</a></li>' for t in self.hot_tags(source)
        )
        viewed = "".join(
            f'<li><a href="{self.article_href(a)}">{esc(a.story.title)}</a></li>'
            for a in self.most_viewed(source)
        )
        return lines(
            '<aside class="col-md-4 sidebar">',
            '<section class="box most-visited"><h4 class="box-title">پربازدیدترین</h4>'
            f"<ul>{viewed}</ul></section>",
            '<section class="box hot-topics"><h4 class="box-title">موضوعات داغ</h4>'
            f"<ul>{tags}</ul></section>",
            "</aside>",
        )

    def footer(self) -> str:
        return lines(
            '<footer class="site-footer"><div class="container">',
            "<p>کلیه حقوق مادی و معنوی این سایت متعلق به خبرگزاری تسنیم است.</p>",
            '<a href="/fa/rss/feed/0/0/0/0/AllStories">آر اس اس</a></div></footer>',
        )

    def article(self, source: DemoSource, article: DemoArticle, base: str) -> str:
        story = article.story
        canonical = self.canonical(article, base)
        short = f"{base}/{article.news_id}"
        tags = "".join(f'<li><a href="/fa/tag/{href(t)}">{esc(t)}</a></li>' for t in story.tags)
        related = "".join(
            f'<li><a href="{self.article_href(a)}">{esc(a.story.title)}</a></li>'
            for a in article.related
        )
        likes = fa_digits(number(article, 60, 3))
        service = source.profile.provinces.get(article.province) or "/fa/service/6"
        if article.empty_body:  # a video report: the player, and no text at all
            video = (
                f'<div class="jwplayer" id="player-{article.news_id}">'
                f'<div class="jw-title">ویدیو: {esc(story.title)}</div></div>'
            )
            story_html = '<div class="story" itemprop="articleBody"></div>'
        else:
            video = ""
            story_html = lines(
                '<div class="story" itemprop="articleBody">',
                self.body(source, article, base),
                '<div class="hideTag">' + " | ".join(map(esc, story.tags)) + "</div>",
                "<p>انتهای پیام/</p>",
                "</div>",
            )
        return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl">
<head>
{AASAAM_BANNER}
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(story.title)} - تسنیم</title>
<meta name="description" content="{esc(story.lead)}">
<meta name="keywords" content="{esc(",".join(story.tags))}">
<link rel="canonical" href="{canonical}">
<link rel="shortlink" href="{short}">
<meta property="og:site_name" content="خبرگزاری تسنیم | Tasnim">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(story.title)}">
<meta property="og:description" content="{esc(story.lead)}">
<meta property="og:url" content="{canonical}">
<meta property="og:image" content="{base}{self.image_path(article)}">
<meta name="twitter:card" content="summary_large_image">
{self.head_assets()}
<link rel="alternate" type="application/rss+xml" href="/fa/rss/feed/0/0/0/0/AllStories">
</head>
<body class="fa rtl news-page">
{self.header(source)}
<div class="container main-container"><div class="row">
<div class="col-md-8 col-sm-12">
<article class="single-news">
<div class="_sticky"><ul class="list-inline details">
<li class="service"><a href="{href(service)}">{esc(article.section_name)}</a></li>
<li class="time">{self.date_text(article.published)}</li>
<li class="news-code">خبر: {fa_digits(article.news_id)}</li>
</ul></div>
<h3 class="kicker">{esc(story.kicker)}</h3>
<h1 class="title">{esc(story.title)}</h1>
<h3 class="lead">{esc(story.lead)}</h3>
<div class="share_news"><span>اشتراک گذاری</span>
<a href="https://t.me/share/url?url={short}" rel="nofollow">تلگرام</a>
<a href="https://eitaa.com/share/url?url={short}" rel="nofollow">ایتا</a></div>
{video}
{story_html}
<ul class="tags list-inline">{tags}</ul>
<div class="like_box"><span class="like-question">این مطلب برایم مفید است</span>
<span class="like-count">{likes} نفر این مطلب را پسندیده اند</span></div>
<div class="short-link"><span>لینک کوتاه:</span>
<input type="text" readonly value="{short}"><button type="button" class="copy-link">کپی</button>
</div>
<section class="related-news"><h4>اخبار مرتبط</h4><ul>{related}</ul></section>
<section class="comments"><h4>نظرات</h4>
<form class="comment-form" action="/fa/comment/{article.news_id}" method="post">
<textarea name="body" placeholder="نظر شما"></textarea><button type="submit">ارسال نظر</button>
</form></section>
</article>
</div>
{self.sidebar(source)}
</div></div>
{self.footer()}
</body>
</html>
"""

    def listing(self, source: DemoSource, listing: Listing, page: int, base: str) -> str:
        items = []
        for article, query in listing.page(page):
            link = self.article_href(article, query)
            items.append(
                lines(
                    '<article class="list-item">',
                    f'<a href="{link}"><figure><img src="{self.image_path(article)}" alt="">'
                    "</figure>",
                    f'<h2 class="title">{esc(article.story.title)}</h2>',
                    f'<h4 class="lead">{esc(article.story.lead)}</h4></a>',
                    f'<time class="time">{self.date_text(article.published)}</time>',
                    "</article>",
                )
            )
        prev, nxt = self.pages(listing, page)
        pager = f'<li class="prev"><a href="{prev}">صفحه قبل</a></li>' if prev else ""
        pager += f'<li class="active"><span>{fa_digits(page)}</span></li>'
        pager += f'<li class="next"><a class="next" href="{nxt}">صفحه بعد</a></li>' if nxt else ""
        return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl">
<head>
{AASAAM_BANNER}
<meta charset="utf-8">
<title>{esc(listing.title)} - تسنیم</title>
<link rel="canonical" href="{base}{self.page_href(listing.path, page)}">
{self.head_assets()}
</head>
<body class="fa rtl service-page">
{self.header(source)}
<div class="container main-container"><div class="row">
<div class="col-md-8 col-sm-12">
<h1 class="service-title">{esc(listing.title)}</h1>
<section class="news-list">
{chr(10).join(items)}
</section>
<ul class="pagination">{pager}</ul>
</div>
{self.sidebar(source)}
</div></div>
{self.footer()}
</body>
</html>
"""


# StudioKhabar / News Studio (Jahannews, Baharnews, Bloghnews) ----------------------------


class StudioKhabar(Template):
    name = "studiokhabar"
    stylesheets = ("/client/templates/fa/css/style.css",)
    scripts = ("/client/templates/fa/js/jquery.js",)
    image_prefixes = ("/images/docs/", "/client/templates/fa/images/")

    def article_path(self, article: DemoArticle) -> str:
        return f"/fa/doc/{article.kind}/{article.news_id}/{article.slug}"

    def aliases(self, article: DemoArticle) -> list[str]:
        return [f"/fa/doc/{article.kind}/{article.news_id}", f"/fa/doc/news/{article.news_id}"]

    def image_path(self, article: DemoArticle, n: int = 1) -> str:
        folder = int(article.news_id) // 1000
        name = f"n{int(article.news_id):08d}-s" if n == 1 else f"nf{int(article.news_id):08d}-{n}"
        return f"/images/docs/{folder:06d}/{name}.jpg"

    def date_text(self, moment: datetime) -> str:
        return jalali_text(moment, "{weekday} {d} {month} {y} - {H}:{M}")

    def header(self, source: DemoSource) -> str:
        today = jalali_text(source.articles[0].published, "{weekday} {d} {month} {y}")
        return lines(
            '<div id="mainDiv1">',
            f'<div id="mainDiv1Top"><span class="todayDate">{today}</span>',
            '<a href="/fa/archive">آرشیو</a> | <a href="/fa/search">جستجو</a></div>',
            '<div id="mainDiv1Logo"><a href="/fa/"><img src="/client/templates/fa/images/'
            'logo.png" alt="بلاغ نیوز"></a></div>',
            f'<div id="mainDiv1Menu"><ul>{self.menu_html(source)}</ul></div>',
            "</div>",
        )

    def sidebar(self, source: DemoSource) -> str:
        tags = " ".join(f'<a href="/fa/tags/{href(t)}">{esc(t)}</a>' for t in self.hot_tags(source))
        viewed = "".join(
            f'<li><a href="{self.article_href(a)}">{esc(a.story.title)}</a></li>'
            for a in self.most_viewed(source)
        )
        return lines(
            '<div id="mainDiv4">',
            f'<div class="hot-topics"><div class="boxTitle">موضوعات داغ</div>{tags}</div>',
            '<div class="mostVisited"><div class="boxTitle">پربازدیدترین</div>'
            f"<ul>{viewed}</ul></div>",
            "</div>",
        )

    def footer(self) -> str:
        return lines(
            '<div id="footer"><p>تمامی حقوق برای پایگاه خبری بلاغ محفوظ است.</p>',
            '<p class="powered">طراحی و تولید: <a href="https://news-studio.com">News Studio</a>',
            "</p></div>",
        )

    def figure_html(self, article: DemoArticle, base: str) -> str:
        caption = esc(article.story.caption)
        return (
            f'<figure class="docImage"><img src="{self.image_path(article, 2)}" alt="{caption}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )

    def read_more_html(self, other: DemoArticle, base: str) -> str:
        return (
            '<p><span style="color:#c00000;">بیشتر بخوانید: </span><a href="'
            f'{self.article_href(other)}">{esc(other.story.title)}</a></p>'
        )

    def article(self, source: DemoSource, article: DemoArticle, base: str) -> str:
        story = article.story
        canonical = self.canonical(article, base)
        short = f"{base}/fa/doc/news/{article.news_id}/"
        tags = "\n".join(f'<a href="/fa/tags/{href(t)}">{esc(t)}</a>' for t in story.tags)
        section_path = source.profile.sections.get(article.section or "", "/fa/")
        related = "".join(
            f'<li><a href="{self.article_href(a)}">{esc(a.story.title)}</a></li>'
            for a in article.related
        )
        likes = fa_digits(number(article, 40, 9))
        visits = fa_digits(number(article, 4000, 5) + 120)
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="fa" dir="rtl">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>بلاغ نیوز - {esc(story.title)}</title>
<meta name="generator" content="News Studio" />
<meta name="keywords" content="{esc(",".join(story.tags))}" />
<meta name="description" content="{esc(story.lead)}" />
<meta property="og:title" content="{esc(story.title)}" />
<meta property="og:url" content="{canonical}" />
<meta property="og:image" content="{base}{self.image_path(article, 2)}" />
<link rel="canonical" href="{canonical}" />
{self.head_assets()}
</head>
<body>
{self.header(source)}
<div id="mainDiv2">
<div class="doc_content">
<div class="doc-section-info"><a href="/fa/">بلاغ</a> » <a href="{href(section_path)}">\
{esc(article.section_name)}</a></div>
<div id="docDiv3">
<div class="docDiv3Info">
<span class="docDiv3Code">کد خبر: {article.news_id}</span>
<span class="docDiv3Date">{self.date_text(article.published)}</span>
</div>
<div id="docDiv3TitrRou">{esc(story.kicker)}</div>
<h1 id="docDiv3TitrMain">{esc(story.title)}</h1>
<div id="docDivLead1"><div id="docDivLead">{esc(story.lead)}</div></div>
<div class="doc-tools">
<a href="/fa/print/{article.news_id}" rel="nofollow">چاپ</a>
<a href="/fa/send/{article.news_id}" rel="nofollow">ارسال به دوستان</a>
<span class="doc-share">اشتراک گذاری: <a href="https://t.me/share/url?url={short}">تلگرام</a></span>
<span class="doc-like">این مطلب برایم مفید است</span>
<span class="doc-like-count">{likes} نفر این مطلب را پسندیده اند</span>
</div>
<div id="doctextarea">
<article class="doc-text">
{self.body(source, article, base)}
<div class="doc-related"><div class="doc-related-title">اخبار مرتبط</div><ul>{related}</ul></div>
<p>انتهای پیام/</p>
<div class="doc-short">لینک کوتاه: <a href="{short}">{short}</a></div>
<div class="doc-visit">{visits}</div>
</article>
</div>
<div id="docDivKeyword"><span>کلید واژه ها:</span>
{tags}</div>
<div class="doc-author">{esc(story.author)}</div>
</div>
<div class="user-comment-area"><div class="comment-title">نظرات بینندگان</div>
<div class="comment-note">{DISCLAIMER}</div>
<form id="commentForm" action="/fa/comment/{article.news_id}" method="post">
<textarea name="text" placeholder="نظر شما"></textarea><input type="submit" value="ارسال نظر">
</form></div>
</div>
</div>
{self.sidebar(source)}
{self.footer()}
</body>
</html>
"""

    def listing(self, source: DemoSource, listing: Listing, page: int, base: str) -> str:
        items = []
        for article, query in listing.page(page):
            link = self.article_href(article, query)
            items.append(
                lines(
                    '<div class="mainDiv5Body">',
                    f'<a href="{link}"><img class="mainDiv5Img" src="{self.image_path(article)}" '
                    'alt="" /></a>',
                    f'<div class="mainDiv5Routitr">{esc(article.story.kicker)}</div>',
                    f'<h3 class="mainDiv5Title"><a href="{link}" target="_blank">'
                    f"{esc(article.story.title)}</a></h3>",
                    f'<p class="mainDiv5Txt">{esc(article.story.lead)}</p>',
                    "</div>",
                )
            )
        prev, nxt = self.pages(listing, page)
        pager = f'<a class="prev" href="{prev}">قبلی</a> ' if prev else ""
        pager += f'<a class="next" href="{nxt}">بعدی</a>' if nxt else ""
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="fa" dir="rtl">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>بلاغ نیوز - {esc(listing.title)}</title>
<meta name="generator" content="News Studio" />
{self.head_assets()}
</head>
<body>
{self.header(source)}
<div id="mainDiv2"><div class="mainDiv5">
<div class="mainDiv5Head">{esc(listing.title)}</div>
{chr(10).join(items)}
<div class="pager">{pager}</div>
</div></div>
{self.sidebar(source)}
{self.footer()}
</body>
</html>
"""


# WordPress (most small regional portals) -------------------------------------------------


class WordPress(Template):
    name = "wordpress"
    version = "6.5.3"
    stylesheets = (
        "/wp-includes/css/dist/block-library/style-rtl.min.css",
        "/wp-content/themes/cafekhabar/style.css",
    )
    scripts = ("/wp-includes/js/jquery/jquery.min.js", "/wp-content/themes/cafekhabar/js/main.js")
    image_prefixes = ("/wp-content/uploads/",)

    def article_path(self, article: DemoArticle) -> str:
        return f"/news/{article.news_id}/{article.slug}/"

    def aliases(self, article: DemoArticle) -> list[str]:
        return [f"/news/{article.news_id}", f"/{article.news_id}"]

    def image_path(self, article: DemoArticle, n: int = 1) -> str:
        return f"/wp-content/uploads/{article.published:%Y/%m}/img-{article.news_id}-{n}.jpg"

    def listing_route(self, path: str, query: dict[str, str]) -> tuple[str, int] | None:
        head, sep, tail = path.rstrip("/").rpartition("/page/")
        if sep and tail.isdigit():
            return head + "/", int(tail)
        return path, 1

    def page_href(self, listing_path: str, page: int) -> str:
        return href(listing_path if page == 1 else f"{listing_path.rstrip('/')}/page/{page}/")

    def article_href(self, article: DemoArticle, query: str = "") -> str:
        return href(article.path, query)

    def head_assets(self, base: str = "") -> str:
        css = [
            f"<link rel='stylesheet' id='css-{n}' href='{base}{p}?ver={self.version}' "
            "media='all' />"
            for n, p in enumerate(self.stylesheets)
        ]
        js = [
            f"<script src='{base}{p}?ver={self.version}' id='js-{n}'></script>"
            for n, p in enumerate(self.scripts)
        ]
        return lines(*css, *js)

    def date_text(self, moment: datetime) -> str:
        return jalali_text(moment, "{weekday} {d} {month} {y} - {H}:{M}")

    def header(self, source: DemoSource, base: str) -> str:
        menu = "".join(
            f'<li class="menu-item"><a href="{base}{h}">{esc(t)}</a></li>'
            for h, t in self.menu(source)
        )
        today = jalali_text(source.articles[0].published, "{weekday} {d} {month} {y}")
        return lines(
            '<div class="top-bar"><div class="container">',
            f'<span class="today-date">{today}</span></div></div>',
            '<header id="masthead" class="site-header"><div class="container">',
            f'<div class="site-branding"><a href="{base}/" rel="home"><img src="{base}'
            '/wp-content/uploads/2018/11/logo-cafekhabar.png" alt="کافه خبر قزوین"></a>',
            '<p class="site-description">پایگاه خبری تحلیلی استان قزوین</p></div>',
            f'<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" '
            f'class="menu">{menu}</ul></nav>',
            "</div></header>",
        )

    def sidebar(self, source: DemoSource, base: str) -> str:
        tags = "".join(
            f'<li><a href="{base}/tag/{href(t)}/">{esc(t)}</a></li>' for t in self.hot_tags(source)
        )
        recent = "".join(
            f'<li><a href="{base}{self.article_href(a)}">{esc(a.story.title)}</a></li>'
            for a in source.articles[:5]
        )
        return lines(
            '<aside id="secondary" class="widget-area col-md-4">',
            '<section class="widget hot-topics"><h3 class="widget-title">موضوعات داغ</h3>'
            f"<ul>{tags}</ul></section>",
            '<section class="widget widget_recent_entries"><h3 class="widget-title">'
            f"آخرین اخبار</h3><ul>{recent}</ul></section>",
            "</aside>",
        )

    def footer(self) -> str:
        return lines(
            '<footer id="colophon" class="site-footer"><div class="site-info">',
            "تمامی حقوق برای کافه خبر قزوین محفوظ است. استفاده از مطالب با ذکر منبع آزاد است.",
            "</div></footer>",
        )

    def figure_html(self, article: DemoArticle, base: str) -> str:
        return (
            f'<figure class="wp-block-image size-large"><img decoding="async" src="{base}'
            f'{self.image_path(article, 2)}" alt="" class="wp-image-{int(article.news_id) + 1}"/>'
            f'<figcaption class="wp-element-caption">{esc(article.story.caption)}</figcaption>'
            "</figure>"
        )

    def read_more_html(self, other: DemoArticle, base: str) -> str:
        return (
            f'<p><strong>بیشتر بخوانید:</strong> <a href="{base}{self.article_href(other)}">'
            f"{esc(other.story.title)}</a></p>"
        )

    def article(self, source: DemoSource, article: DemoArticle, base: str) -> str:
        story = article.story
        canonical = self.canonical(article, base)
        shortlink = f"{base}/?p={article.news_id}"
        modified = article.modified or article.published
        section_path = source.profile.sections.get(article.section or "", "/category/اخبار/")
        category = (
            f'<a href="{base}{href(section_path)}" rel="category tag">'
            f"{esc(article.section_name)}</a>"
        )
        tags = "\n".join(
            f'<a href="{base}/tag/{href(t)}/" rel="tag">{esc(t)}</a>' for t in story.tags
        )
        related = "".join(
            f'<li><a href="{base}{self.article_href(a)}">{esc(a.story.title)}</a></li>'
            for a in article.related
        )
        views = number(article, 5000, 1) + 100
        likes = number(article, 9, 2)
        if article.source_credit:  # a dispatch republished from an agency
            signoff = (
                f"<p>منبع: {article.source_credit}</p>\n<p class='cfk-signoff'>انتهای پیام</p>"
            )
            publisher = "رضا طاهرخانی"
        else:
            signoff = "<p class='cfk-signoff'>پایان نوشتار///</p>"
            publisher = story.author
        graph = {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "NewsArticle",
                    "@id": canonical + "#article",
                    "headline": story.title,
                    "datePublished": utc_offset(article.published),
                    "dateModified": utc_offset(modified),
                    "author": {"name": story.author, "@id": f"{base}/#/schema/person/1"},
                    "articleSection": [article.section_name],
                    "keywords": story.tags,
                    "inLanguage": "fa-IR",
                },
                {
                    "@type": "WebPage",
                    "@id": canonical,
                    "url": canonical,
                    "name": f"{story.title} - کافه خبر قزوین",
                    "datePublished": utc_offset(article.published),
                },
            ],
        }
        body_class = (
            f"post-template-default single single-post postid-{article.news_id} "
            "single-format-standard rtl wp-embed-responsive"
        )
        return f"""<!DOCTYPE html>
<html dir="rtl" lang="fa-IR">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(story.title)} - کافه خبر قزوین</title>
<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1">
<link rel="canonical" href="{canonical}">
<meta property="og:locale" content="fa_IR">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(story.title)}">
<meta property="og:description" content="{esc(story.lead)}">
<meta property="og:url" content="{canonical}">
<meta property="og:site_name" content="کافه خبر قزوین">
<meta property="article:published_time" content="{utc_offset(article.published)}">
<meta property="article:modified_time" content="{utc_offset(modified)}">
<meta name="author" content="{esc(story.author)}">
<script type="application/ld+json" class="yoast-schema-graph">{ld_json(graph)}</script>
{self.head_assets(base)}
<link rel="https://api.w.org/" href="{base}/wp-json/" />
<link rel="shortlink" href="{shortlink}" />
<meta name="generator" content="WordPress {self.version}" />
</head>
<body class="{body_class}">
<div id="page" class="site">
{self.header(source, base)}
<div id="content" class="site-content container">
<nav class="breadcrumb" aria-label="breadcrumb"><a href="{base}/">خانه</a> » {category}</nav>
<div id="primary" class="content-area col-md-8"><main id="main" class="site-main">
<article id="post-{article.news_id}" class="post-{article.news_id} post type-post \
status-publish format-standard has-post-thumbnail hentry">
<header class="entry-header">
<div class="post-cat-wrap"><ul class="post-categories"><li>{category}</li></ul></div>
<h2 class="rotitr">{esc(story.kicker)}</h2>
<h1 class="entry-title">{esc(story.title)}</h1>
<div class="entry-meta"><span class="posted-on">\
<time class="entry-date published" datetime="{iso(article.published)}">\
{self.date_text(article.published)}</time>\
<time class="updated" datetime="{iso(modified)}">{self.date_text(modified)}</time></span>
<span class="by-author">نویسنده: <a href="{base}/author/editor/">{esc(story.author)}</a></span>
<span class="news-code">کد خبر: {article.news_id}</span></div>
</header>
<div class="single-post-excerpt">{esc(story.lead)}</div>
<div class="post-thumbnail"><img width="750" height="440" src="{base}{self.image_path(article)}" \
class="attachment-large size-large wp-post-image" alt=""></div>
<div class="entry-content clearfix">
{self.body(source, article, base)}
<div class="bs-irp"><div class="bs-irp-heading">مطالب مرتبط</div><ul>{related}</ul></div>
<div class="cfk-views"><span class="cfk-eye" aria-hidden="true"></span>{views}</div>
<div class="cfk-publisher">انتشار دهنده: {esc(publisher)}</div>
{signoff}
<div class="cfk-vote">
<div class="cfk-vote-question">این مطلب برایم مفید است</div>
<div class="cfk-vote-count">{likes} نفر این پست را پسندیده اند</div>
</div>
<h4 class="cfk-box-title">موضوعات داغ</h4>
<h4 class="cfk-box-title">نظرات و دیدگاه ها</h4>
<p class="cfk-disclaimer">{DISCLAIMER}</p>
<div class="heateor_sss_sharing_container"><span>اشتراک گذاری</span>
<a href="https://t.me/share/url?url={shortlink}">تلگرام</a></div>
</div><!-- .entry-content -->
<div class="post-tags"><span class="tags-title">برچسب ها:</span>
{tags}</div>
<div class="post-like"><a href="#" class="post-like-btn">این مطلب برایم مفید است</a>
<span class="post-like-count">{likes} نفر این پست را پسندیده اند</span></div>
<div class="share-box share"><span>اشتراک گذاری:</span>
<a href="https://t.me/share/url?url={shortlink}" rel="nofollow">تلگرام</a></div>
<div class="short-link"><label for="shortlink">لینک کوتاه:</label>
<input id="shortlink" type="text" readonly value="{shortlink}"></div>
</article>
<div class="yarpp yarpp-related"><h3>اخبار مرتبط</h3><ol>{related}</ol></div>
<div id="comments" class="comments-area"><h3 class="comments-title">نظرات و دیدگاه ها</h3>
<div id="respond" class="comment-respond"><h3 id="reply-title">ارسال نظر</h3>
<p class="comment-notes">{DISCLAIMER}</p>
<form action="{base}/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<textarea id="comment" name="comment"></textarea><input name="submit" type="submit" value="ارسال">
</form></div></div>
</main></div>
{self.sidebar(source, base)}
</div>
{self.footer()}
</div>
</body>
</html>
"""

    def listing(self, source: DemoSource, listing: Listing, page: int, base: str) -> str:
        items = []
        for article, query in listing.page(page):
            link = base + self.article_href(article, query)
            items.append(
                lines(
                    f'<article id="post-{article.news_id}" class="post-{article.news_id} post '
                    'type-post status-publish format-standard hentry archive-post">',
                    f'<div class="post-thumb"><a href="{link}"><img src="{base}'
                    f'{self.image_path(article)}" alt=""></a></div>',
                    f'<div class="post-body"><h2 class="entry-title"><a href="{link}" '
                    f'rel="bookmark">{esc(article.story.title)}</a></h2>',
                    f'<time class="entry-date published" datetime="{iso(article.published)}">'
                    f"{self.date_text(article.published)}</time>",
                    f'<div class="excerpt"><p>{esc(article.story.lead)} [&hellip;]</p></div>',
                    "</div></article>",
                )
            )
        prev, nxt = self.pages(listing, page)
        links = f'<a class="prev page-numbers" href="{base}{prev}">&raquo; قبلی</a>' if prev else ""
        for n in range(1, listing.pages + 1):
            if n == page:
                links += f'<span aria-current="page" class="page-numbers current">{n}</span>'
            else:
                links += (
                    f'<a class="page-numbers" href="{base}{self.page_href(listing.path, n)}">'
                    f"{n}</a>"
                )
        links += f'<a class="next page-numbers" href="{base}{nxt}">بعدی &laquo;</a>' if nxt else ""
        body_class = "home blog" if listing.path == "/" else "archive category"
        title = esc(listing.title) + (f" - برگه {fa_digits(page)}" if page > 1 else "")
        return f"""<!DOCTYPE html>
<html dir="rtl" lang="fa-IR">
<head>
<meta charset="UTF-8">
<title>{title}</title>
<link rel="canonical" href="{base}{self.page_href(listing.path, page)}">
{f'<link rel="next" href="{base}{nxt}">' if nxt else ""}
{self.head_assets(base)}
<link rel="alternate" type="application/rss+xml" title="کافه خبر قزوین &raquo; خوراک" \
href="{base}/feed/" />
<meta name="generator" content="WordPress {self.version}" />
</head>
<body class="rtl {body_class} hfeed">
<div id="page" class="site">
{self.header(source, base)}
<div id="content" class="site-content container">
<div id="primary" class="content-area col-md-8"><main id="main" class="site-main">
<header class="page-header"><p class="page-title">{esc(listing.title)}</p></header>
{chr(10).join(items)}
<nav class="navigation pagination" aria-label="نوشته‌ها">
<h2 class="screen-reader-text">صفحه‌بندی نوشته‌ها</h2>
<div class="nav-links">{links}</div></nav>
</main></div>
{self.sidebar(source, base)}
</div>
{self.footer()}
</div>
</body>
</html>
"""

    def feed(self, source: DemoSource, base: str) -> str:
        items = []
        for article in source.articles[:FEED_ITEMS]:
            link = base + self.article_href(article)
            items.append(
                lines(
                    "\t<item>",
                    f"\t\t<title>{esc(article.story.title)}</title>",
                    f"\t\t<link>{link}</link>",
                    f"\t\t<comments>{link}#respond</comments>",
                    f"\t\t<dc:creator><![CDATA[{article.story.author}]]></dc:creator>",
                    f"\t\t<pubDate>{rfc822(article.published)}</pubDate>",
                    f"\t\t<category><![CDATA[{article.section_name}]]></category>",
                    f'\t\t<guid isPermaLink="false">{base}/?p={article.news_id}</guid>',
                    f"\t\t<description><![CDATA[{article.story.lead} [&#8230;]]]></description>",
                    "\t</item>",
                )
            )
        return lines(
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"',
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"',
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"',
            '\txmlns:atom="http://www.w3.org/2005/Atom"',
            '\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/">',
            "<channel>",
            f"\t<title>{esc(source.profile.title)}</title>",
            f'\t<atom:link href="{base}/feed/" rel="self" type="application/rss+xml" />',
            f"\t<link>{base}</link>",
            "\t<description>پایگاه خبری تحلیلی استان قزوین</description>",
            f"\t<lastBuildDate>{rfc822(source.articles[0].published)}</lastBuildDate>",
            "\t<language>fa-IR</language>",
            f"\t<generator>https://wordpress.org/?v={self.version}</generator>",
            *items,
            "</channel>",
            "</rss>\n",
        )

    def robots(self, source: DemoSource, base: str) -> str:
        wp_admin = "Disallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
        rules = super().robots(source, base)
        return rules.replace("Disallow: /search\n", "Disallow: /search\n" + wp_admin)


TEMPLATES: dict[str, Template] = {
    t.name: t for t in (Nastooh(), IranSamaneh(), Asam(), StudioKhabar(), WordPress())
}
