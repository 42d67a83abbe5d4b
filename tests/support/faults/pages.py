"""Pages of the fault site, in the WordPress template of ``cafekhabarqazvin``.

Every article has its own title and text (so body-hash dedupe cannot merge two cases) and a
marker sentence with the Persian-only letters پ چ ژ گ ک ی, which a wrong decoding destroys: a
test finds the marker in the written body or knows the text was damaged.
"""

from __future__ import annotations

import html
import random
from urllib.parse import quote

WORDS = (
    "استان",
    "قزوین",
    "کشاورزان",
    "گندم",
    "بازار",
    "شهر",
    "مدیر",
    "جلسه",
    "طرح",
    "توسعه",
    "پروژه",
    "آب",
    "برق",
    "جاده",
    "مدرسه",
    "دانشگاه",
    "بیمارستان",
    "کارخانه",
    "صنعت",
    "تولید",
    "سرمایه",
    "بودجه",
    "شورا",
    "استاندار",
    "فرماندار",
    "روستا",
    "کارگر",
    "اشتغال",
    "صادرات",
    "سد",
    "باران",
    "برف",
    "زمستان",
    "تابستان",
    "بهار",
    "نمایشگاه",
    "فرهنگ",
    "ورزش",
    "تیم",
    "مسابقه",
    "جوانان",
    "خبرنگار",
    "گزارش",
    "امروز",
    "دیروز",
    "افزود",
    "گفت",
    "در",
    "با",
    "از",
    "برای",
    "و",
    "نیز",
    "سال",
)
#: Present in every body; the letters پ ژ چ گ ک ی exist only in Persian (not in Arabic).
MARKER = "پژوهشگران چابک گندم کشت کردند"


def paragraphs(news_id: str) -> list[str]:
    """Four paragraphs of plain text for one article, the marker in the second."""
    rng = random.Random(int(news_id))
    result = []
    for index in range(4):
        words = [rng.choice(WORDS) for _ in range(rng.randint(11, 15))]
        sentence = " ".join(words) + f" شماره {news_id}."
        if index == 1:
            sentence = f"{MARKER} و {sentence}"
        result.append(sentence)
    return result


def title(news_id: str) -> str:
    rng = random.Random(-int(news_id))
    return f"{rng.choice(WORDS)} {rng.choice(WORDS)} در گزارش {news_id}"


def slug(news_id: str) -> str:
    """The WordPress slug of an article: its title, percent-encoded in lowercase."""
    return quote(title(news_id).replace(" ", "-")).lower()


def article(
    news_id: str,
    *,
    meta_charset: str | None = "UTF-8",
    body_class: str = "entry-content",
    title_html: str | None = None,
    body_html: str | None = None,
) -> str:
    """A WordPress single-post page (``body_html`` replaces the paragraphs, raw)."""
    head_charset = f'<meta charset="{meta_charset}">\n' if meta_charset else ""
    heading = title_html if title_html is not None else html.escape(title(news_id))
    text = (
        body_html
        if body_html is not None
        else "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(news_id))
    )
    day = 10 + int(news_id) % 18
    return f"""<!DOCTYPE html>
<html dir="rtl" lang="fa-IR">
<head>
{head_charset}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title(news_id))} - کافه خبر قزوین</title>
<link rel="canonical" href="/{news_id}/{slug(news_id)}/">
<meta property="og:type" content="article">
<meta property="article:published_time" content="2024-05-{day:02d}T06:30:00+00:00">
<meta name="generator" content="WordPress 6.4.3">
</head>
<body class="post-template-default single single-post postid-{news_id} rtl">
<div id="page" class="site">
<header class="site-header"><a href="/">کافه خبر قزوین</a></header>
<main id="main">
<article id="post-{news_id}" class="post type-post status-publish">
<header class="entry-header">
<h1 class="entry-title">{heading}</h1>
<time class="entry-date published" datetime="2024-05-{day:02d}T10:00:00+03:30">
{day} اردیبهشت ۱۴۰۳</time>
</header>
<div class="{body_class}">
{text}
</div>
<footer class="entry-footer"><a href="/category/economy/" rel="category tag">اقتصاد</a></footer>
</article>
</main>
<footer class="site-footer">کلیه حقوق محفوظ است</footer>
</div>
</body>
</html>
"""


def listing(links: list[tuple[str, str]], next_href: str | None, *, changed: bool = False) -> str:
    """A WordPress archive page; ``changed`` renders the links in a new theme's markup that the
    profile's selectors do not know (a redesign)."""
    if changed:
        items = "\n".join(
            f'<div class="jeg_post"><h3 class="jeg_post_title"><a href="{html.escape(href)}">'
            f"{html.escape(text)}</a></h3></div>"
            for href, text in links
        )
        block = f'<div class="jeg_posts">{items}</div>'
    else:
        block = "\n".join(
            f'<article class="post"><h2 class="entry-title"><a href="{html.escape(href)}">'
            f"{html.escape(text)}</a></h2></article>"
            for href, text in links
        )
    nav = (
        f'<nav class="pagination"><a class="next page-numbers" href="{html.escape(next_href)}">'
        "بعدی</a></nav>"
        if next_href
        else ""
    )
    return f"""<!DOCTYPE html>
<html dir="rtl" lang="fa-IR">
<head><meta charset="UTF-8"><title>کافه خبر قزوین</title></head>
<body class="home blog rtl">
<main id="main">
{block}
{nav}
</main>
</body>
</html>
"""


def rss(items: list[tuple[str, str]]) -> str:
    entries = "\n".join(
        f"<item><title>{html.escape(text)}</title><link>{html.escape(link)}</link>"
        "<pubDate>Mon, 13 May 2024 08:00:00 +0000</pubDate></item>"
        for link, text in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>کافه خبر قزوین</title>{entries}</channel></rss>\n"
    )


def sitemap_index(locations: list[str]) -> str:
    entries = "".join(f"<sitemap><loc>{html.escape(loc)}</loc></sitemap>" for loc in locations)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>\n'
    )


def urlset(locations: list[str]) -> str:
    entries = "".join(
        f"<url><loc>{html.escape(loc)}</loc><lastmod>2024-05-13T08:00:00+00:00</lastmod></url>"
        for loc in locations
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>\n'
    )


CHALLENGE = """<!DOCTYPE html>
<html lang="fa"><head><meta charset="utf-8"><title>ArvanCloud | در حال بررسی مرورگر</title>
<script>window.AR_Key='__arcsrc';var __arcsjs='8f2c1d';</script>
<style>body{font-family:Tahoma;text-align:center;margin-top:20%}</style></head>
<body><div class="ar-box"><h1>در حال بررسی مرورگر، پیش از انتقال به سایت هستیم</h1>
<p>این فرایند خودکار است و مرورگر شما به زودی به محتوای درخواستی منتقل خواهد شد.</p>
<p>لطفا چند لحظه صبر کنید…</p><small>DDoS protection by ArvanCloud</small></div>
<script src="/cdn-ar/challenge.js?ver=3"></script></body></html>
"""

LOGIN_WALL = """<!DOCTYPE html>
<html dir="rtl" lang="fa-IR"><head><meta charset="UTF-8"><title>ورود به حساب کاربری</title></head>
<body class="login wp-core-ui rtl">
<div id="login"><h1>کافه خبر قزوین</h1>
<p class="message">برای مشاهده این مطلب ابتدا وارد حساب کاربری خود شوید.</p>
<form name="loginform" id="loginform" action="/wp-login.php" method="post">
<p><label for="user_login">نام کاربری</label><input type="text" name="log" id="user_login"></p>
<p><label for="user_pass">رمز عبور</label><input type="password" name="pwd" id="user_pass"></p>
<p class="submit"><input type="submit" name="wp-submit" value="ورود"></p>
</form></div></body></html>
"""
