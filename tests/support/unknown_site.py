"""A news site of no known CMS on 127.0.0.1, for ``scrapy crawl generic``: a home page with a
menu, two section pages (one paginated), article pages of its own markup (a logo ``<h1>``, the
headline in ``h2.news-headline``, the date printed under it, a related-news list and a comment
box with its rules in the body's container), a tag page and an «about us» page under paths
that are not articles, a feed announced with ``<link rel="alternate">``. Standard library only.
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

PARAGRAPHS = (
    "به گزارش پایگاه خبری دیار یزد، مدیرکل راهداری استان از آغاز عملیات بهسازی محور {city} "
    "خبر داد.",
    "وی افزود: این طرح با اعتباری بالغ بر {n} میلیارد ریال در دو فاز اجرا می‌شود و تا پایان سال "
    "به بهره‌برداری می‌رسد.",
    "مدیرکل راهداری یادآور شد: ایمنی تردد در این محور برای ساکنان روستاهای اطراف اهمیت زیادی "
    "دارد و رانندگان باید در روزهای اجرای طرح با احتیاط بیشتری رانندگی کنند.",
    "به گفته وی، بخش دوم عملیات شامل روکش آسفالت و خط‌کشی {km} کیلومتر از این محور است.",
)
CITIES = ("مهریز", "اردکان", "میبد", "تفت", "ابرکوه", "بافق", "خاتم", "اشکذر")


@dataclass(frozen=True)
class Story:
    news_id: int
    city: str

    @property
    def path(self) -> str:
        return f"/item/{self.news_id}-road-{self.city_slug}"

    @property
    def city_slug(self) -> str:
        return str(CITIES.index(self.city))

    @property
    def title(self) -> str:
        return f"آغاز بهسازی محور {self.city} با اعتبار {self.news_id % 90 + 10} میلیارد ریال"

    def paragraphs(self) -> list[str]:
        values = {"city": self.city, "n": self.news_id % 90 + 10, "km": self.news_id % 40 + 5}
        return [p.format(**values) for p in PARAGRAPHS]


STORIES = tuple(Story(70100 + i, CITIES[i]) for i in range(len(CITIES)))
#: Where each story is listed: the home page shows 3, the section's two pages the rest.
HOME = STORIES[:3]
SECTION_PAGES = (STORIES[3:6], STORIES[6:])


def _page(title: str, content: str) -> str:
    menu = (
        '<nav class="topnav"><a href="/">خانه</a> <a href="/section/roads">راه و ترابری</a> '
        '<a href="/about">درباره ما</a> <a href="/tag/یزد">یزد</a></nav>'
    )
    return f"""<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8">
<title>{html.escape(title)} | دیار یزد</title>
<link rel="alternate" type="application/rss+xml" title="دیار یزد" href="/export/rss">
</head><body><div class="wrap">
<h1 class="logo"><a href="/"><img src="/logo.png" alt="دیار یزد"></a></h1>
{menu}<div class="page">{content}</div>
<div class="foot">تمامی حقوق این سایت متعلق به پایگاه خبری دیار یزد است.</div>
</div></body></html>"""


def _teasers(stories: tuple[Story, ...]) -> str:
    items = "".join(
        f'<div class="teaser"><a class="t" href="{s.path}">{html.escape(s.title)}</a>'
        f"<span>{html.escape(s.paragraphs()[0][:60])}</span></div>"
        for s in stories
    )
    return f'<div class="list">{items}</div>'


def home() -> str:
    return _page("صفحه نخست", _teasers(HOME))


def section(page: int) -> str:
    pager = '<a class="next" href="/section/roads?pg=2">صفحه بعد</a>' if page == 1 else ""
    return _page("راه و ترابری", _teasers(SECTION_PAGES[page - 1]) + pager)


def article(story: Story) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs())
    related = "".join(
        f'<li><a href="{s.path}">{html.escape(s.title)}</a></li>' for s in STORIES if s != story
    )[:800]
    content = f"""<div class="news-box"><h2 class="news-headline">{html.escape(story.title)}</h2>
<div class="news-info">تاریخ انتشار: ۱۴ آبان ۱۴۰۳ - ۱۰:۲۵</div>
<div class="news-text">{body}
<div class="related"><b>اخبار مرتبط</b><ul>{related}</ul></div>
<div id="comments"><div class="cm-note">نظرات حاوی توهین منتشر نمی‌شود.</div><form>
<textarea></textarea></form></div></div></div>"""
    return _page(story.title, content)


def feed(base: str) -> str:
    items = "".join(
        f"<item><title>{html.escape(s.title)}</title><link>{base}{s.path}</link></item>"
        for s in STORIES[:2]
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>{items}</channel></rss>'
    )


class UnknownSite:
    """The server; ``hits`` counts requests by path."""

    def __init__(self) -> None:
        site = self
        self.hits: dict[str, int] = {}

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                status, body, kind = site.reply(self.path)
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def reply(self, target: str) -> tuple[int, str, str]:
        parts = urlsplit(target)
        path = unquote(parts.path)
        self.hits[path] = self.hits.get(path, 0) + 1
        page = "text/html; charset=utf-8"
        if path == "/":
            return 200, home(), page
        if path == "/section/roads":
            return 200, section(2 if "pg=2" in parts.query else 1), page
        if path == "/export/rss":
            return 200, feed(self.url), "application/rss+xml"
        if path == "/robots.txt":
            return 200, "User-agent: *\nDisallow: /admin/\n", "text/plain"
        for story in STORIES:
            if path == story.path:
                return 200, article(story), page
        if path in ("/about", "/tag/یزد"):
            return 200, _page("درباره ما", "<p>پایگاه خبری دیار یزد</p>"), page
        return 404, _page("یافت نشد", "<p>صفحه یافت نشد</p>"), page

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
