"""The four in-body widgets (related news, photo credits, social calls to action, star ratings)
are removed on every CMS family's template and on a page of no family; article text stays.

Fixtures: ``tests/fixtures/_widgets/<family>-<date>-widgets.html``, full pages written to the
families' templates the way real sites print these widgets, each with a ``.json`` beside it:
the site whose profile extracts it (``null``: the generic extractor), the URL, the body's first
and last words, text that must stay (sentences that mention «عکس» or «تلگرام», a link inside a
sentence) and, per widget class, the phrases that must not reach the body.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from parsel import Selector

from newscrawler.extraction.article import extract_html
from newscrawler.extraction.dom import drop_all, paragraphs
from newscrawler.items import Article
from newscrawler.persian import boilerplate
from newscrawler.persian.boilerplate import is_boilerplate
from newscrawler.persian.chars import text_key
from newscrawler.persian.dates import TEHRAN
from newscrawler.persian.normalize import normalize_text
from newscrawler.sites import profiles
from newscrawler.sites.families import FAMILIES
from newscrawler.sites.profile import (
    CAPTIONS,
    COMMON_DROP,
    FIGURES,
    IN_BODY_WIDGETS,
    SiteProfile,
)

WIDGETS = Path(__file__).parent / "fixtures" / "_widgets"
PAGES = sorted(WIDGETS.glob("*-widgets.html"))
CLASSES = ("related", "credits", "social", "ratings")


@dataclass(frozen=True)
class Page:
    html: Path

    @property
    def spec(self) -> dict[str, Any]:
        return json.loads(self.html.with_suffix(".json").read_text(encoding="utf-8"))

    def profile(self) -> SiteProfile:
        site = self.spec["site"]
        if site:
            return profiles()[site]
        return SiteProfile(  # what ``python -m newscrawler extract`` uses for an unknown site
            name="generic",
            title="unknown",
            cms="generic",
            base_url="http://" + self.spec["url"].split("/")[2],
            selectors=FAMILIES["generic"],
            article_url=r"/(?P<id>\d{3,})(?:[-/][^/]*[^\d/][^/]*)?/?$",
            generic_fallback=True,
        )

    def extract(self) -> Article:
        day = re.search(r"\d{4}-\d{2}-\d{2}", self.html.name)
        assert day, self.html.name
        now = datetime.strptime(day.group(0), "%Y-%m-%d")
        return extract_html(
            self.html.read_text(encoding="utf-8"),
            self.spec["url"],
            self.profile(),
            now=now.replace(hour=12, tzinfo=TEHRAN),
        )

    def __str__(self) -> str:
        return self.html.name


def key(text: str) -> str:
    """Comparison key: normalized, no spaces or half-spaces, ASCII digits."""
    return text_key(normalize_text(text) or "")


def leaks(page: Page, article: Article) -> dict[str, list[str]]:
    body = key(article.body or "")
    return {
        kind: [phrase for phrase in page.spec["must_not_contain"][kind] if key(phrase) in body]
        for kind in CLASSES
    }


@cache
def extracted(html: Path) -> Article:
    return Page(html).extract()


@pytest.fixture(params=PAGES, ids=[p.name for p in PAGES])
def page(request: pytest.FixtureRequest) -> Page:
    return Page(request.param)


def test_every_family_has_a_widgets_page() -> None:
    families = {Page(html).spec["family"] for html in PAGES}
    assert families == set(FAMILIES), sorted(set(FAMILIES) - families)


def test_every_page_shows_every_widget_class(page: Page) -> None:
    assert all(page.spec["must_not_contain"][kind] for kind in CLASSES)


def test_no_widget_reaches_the_body(page: Page) -> None:
    assert leaks(page, extracted(page.html)) == {kind: [] for kind in CLASSES}


def test_body_start_and_end_are_intact(page: Page) -> None:
    body = extracted(page.html).body or ""
    lines = body.split("\n")
    assert key(lines[0]).startswith(key(page.spec["body_starts"])), lines[0]
    assert key(lines[-1]).endswith(key(page.spec["body_ends"])), lines[-1]


def test_article_text_that_mentions_photos_or_messengers_stays(page: Page) -> None:
    body = key(extracted(page.html).body or "")
    assert [p for p in page.spec["must_contain"] if key(p) not in body] == []


def test_widget_images_are_not_the_article_s(page: Page) -> None:
    urls = [image["url"] for image in extracted(page.html).images]
    assert urls, "the article's own photos are kept"
    assert [u for u in urls for name in page.spec.get("images_not", []) if name in u] == []


def test_every_class_leaks_without_the_widget_rules(
    page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages are a real test: with the widget rules off, every class reaches the body."""
    before = tuple(s for s in COMMON_DROP if s not in IN_BODY_WIDGETS)
    figures = tuple(s for s in FIGURES if s not in CAPTIONS)
    for module in [m for name, m in sys.modules.items() if name.startswith("newscrawler.")]:
        if getattr(module, "COMMON_DROP", None) is COMMON_DROP:
            monkeypatch.setattr(module, "COMMON_DROP", before)
        if getattr(module, "FIGURES", None) is FIGURES:
            monkeypatch.setattr(module, "FIGURES", figures)
    monkeypatch.setattr(boilerplate, "is_widget_line", lambda line: False)
    found = leaks(page, page.extract())
    assert [kind for kind in CLASSES if not found[kind]] == []


# --- what must stay ---------------------------------------------------------------------------

ARTICLE_LINES = [
    "وی گفت: عکس‌های این حادثه در تلگرام منتشر شد و پلیس در حال بررسی آنهاست.",
    "این عکس از سال ۱۳۵۷ به یادگار مانده است.",
    "عکس از بالا گرفته شد.",
    "عکاس خبرگزاری در این حادثه مجروح شد.",
    "وزیر ارتباطات گفت رفع فیلتر تلگرام در دستور کار نیست.",
    "پلیس فتا از مردم خواست در کانال‌های تلگرامی ناشناس عضو نشوند.",
    "سخنگوی وزارتخانه گفت: پیام‌رسان‌های داخلی مانند ایتا و بله باید تقویت شوند.",
    "بله، ما این طرح را اجرا می‌کنیم.",
    "ایتالیا در جام جهانی حضور ندارد.",
    "مقابله با آلودگی هوا را جدی دنبال کنید، این توصیه کارشناسان است.",
    "وی افزود: امتیاز این طرح ۴ از ۵ است و باید بهتر شود.",
    "تیم ملی با ۱۲ امتیاز در صدر جدول قرار گرفت.",
    "این بازیکن با ۵ امتیاز از ۶ بازی به کار خود پایان داد.",
    "نماینده مردم قزوین با ۱۸۰ رای به عنوان رئیس کمیسیون انتخاب شد.",
    "در حال بارگذاری کشتی‌ها در بندر شهید رجایی، صف کامیون‌ها طولانی شد.",
    "در همین رابطه، رئیس سازمان گفت که طرح تا پایان سال اجرا می‌شود.",
    "اخبار مرتبط با زلزله نشان می‌دهد که خسارت‌ها جدی است.",
    "تصویر: روایت زنی که سی سال در روستای دور افتاده معلمی کرد و هنوز به مدرسه می‌رود",
]

WIDGET_LINES = [
    "استاندار قزوین در جلسه شورای اداری / عکس: ایرنا",
    "عکس: علی محمدی",
    "عكس: ايرنا",
    "عکاس: سجاد صفری",
    "منبع عکس: ایسنا",
    "عکس از محمد حسن‌زاده",
    "(عکس: آرشیو)",
    "تصویر تزئینی است",
    "نمایی از سد طالقان | عکس: مهدی رضایی",
    "نمایی از سد طالقان (عکس: تسنیم)",
    "کانال تلگرام کافه خبر قزوین را دنبال کنید 👇",
    "به کانال خبرگزاری در ایتا بپیوندید: eitaa.com/qazvin_news",
    "📱 ما را در ایتا، بله و روبیکا دنبال کنید",
    "https://t.me/irna_qazvin",
    "🆔 @cafekhabar",
    "کانال تلگرام کافه خبر قزوین: @cafekhabarqazvin",
    "تلگرام | ایتا | بله | روبیکا",
    "عضویت در کانال تلگرام: t.me/abc",
    "Join us on Telegram",
    "به ما بپیوندید",
    "در حال بارگذاری...",
    "۱۲ رای، میانگین ۴٫۵ از ۵",
    "(12 رأی, میانگین: 4.50 از 5)",
    "امتیاز: ۴ از ۵",
    "[Total: 3 Average: 4.3]",
    "4.5/5 (12 votes)",
    "به این مطلب امتیاز دهید",
    "۱۲ رأی - ۴٫۵ از ۵ به طور میانگین",
    "خبرهای مرتبط",
    "پیشنهاد سردبیر:",
]


@pytest.mark.parametrize("line", ARTICLE_LINES)
def test_a_sentence_about_photos_messengers_or_votes_stays(line: str) -> None:
    assert not is_boilerplate(normalize_text(line) or "")


@pytest.mark.parametrize("line", WIDGET_LINES)
def test_a_widget_line_goes(line: str) -> None:
    assert is_boilerplate(normalize_text(line) or "")
    assert is_boilerplate(line)


def body_after_drop(html: str, url: str = "https://www.irna.ir/news/1") -> list[str]:
    body = Selector(text=f"<html><body><div id='b'>{html}</div></body></html>", base_url=url)
    node = body.css("#b")
    drop_all(node, COMMON_DROP)
    return paragraphs(node)


SENTENCE = "وزیر نیرو در این نشست گفت که طرح انتقال آب تا پایان سال آینده به بهره‌برداری می‌رسد."


def test_a_link_inside_a_sentence_stays() -> None:
    html = f"<p>به گفته وی <a href='/news/12345/x'>مصوبه دولت</a> اجرا می‌شود. {SENTENCE}</p>"
    assert body_after_drop(html) == [f"به گفته وی مصوبه دولت اجرا می‌شود. {SENTENCE}"]


def test_one_paragraph_that_is_one_link_stays() -> None:
    html = f"<p>{SENTENCE}</p><p><a href='/news/12345/x'>متن کامل بیانیه</a></p><p>{SENTENCE}</p>"
    assert body_after_drop(html) == [SENTENCE, "متن کامل بیانیه", SENTENCE]


def test_a_list_of_links_to_other_sites_stays() -> None:
    html = "<ul><li><a href='https://www.who.int/x'>گزارش سازمان جهانی بهداشت</a></li>"
    html += "<li><a href='https://example.org/y'>گزارش بانک جهانی</a></li></ul>"
    assert body_after_drop(html) == ["گزارش سازمان جهانی بهداشت", "گزارش بانک جهانی"]


def test_a_list_with_text_items_stays() -> None:
    html = "<ul><li><a href='/news/1/x'>مرحله نخست</a></li><li>مرحله دوم: ساخت تصفیه‌خانه</li></ul>"
    assert body_after_drop(html) == ["مرحله نخست", "مرحله دوم: ساخت تصفیه‌خانه"]


def test_a_paragraph_with_a_messenger_link_and_text_stays_for_the_text_rules() -> None:
    html = f"<p>{SENTENCE} <a href='https://t.me/x/12'>پیام سخنگو</a> را ببینید.</p>"
    assert body_after_drop(html) == [f"{SENTENCE} پیام سخنگو را ببینید."]


def test_a_heading_then_text_keeps_the_text() -> None:
    html = f"<h4>در همین زمینه</h4><p>{SENTENCE} <a href='/news/9/x'>گزارش قبلی</a> را ببینید.</p>"
    assert body_after_drop(html) == [f"{SENTENCE} گزارش قبلی را ببینید."]


def test_a_read_more_label_inside_a_sentence_stays() -> None:
    html = f"<p>{SENTENCE} <strong>بیشتر بخوانید</strong> <a href='/news/3/x'>گزارش</a> را.</p>"
    assert body_after_drop(html) == [f"{SENTENCE} بیشتر بخوانید گزارش را."]


# --- what the structural rules remove ---------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<ul><li><a href='/news/1/a'>خبر یک</a></li><li><a href='/news/2/b'>خبر دو</a></li></ul>",
        "<ul><li><a href='https://www.irna.ir/news/1/a'>خبر یک</a></li>"
        "<li><a href='https://irna.ir/news/2/b'>خبر دو</a></li></ul>",
        "<p><a href='/news/1/a'>خبر یک</a></p><p><a href='/news/2/b'>خبر دو</a></p>",
        "<h3>خبرهای مرتبط:</h3><ul><li><a href='/news/1/a'>خبر یک</a> ۱۴۰۴/۰۸/۱۲</li></ul>",
        "<p><strong>بیشتر بخوانید:</strong><br><a href='/news/1/a'>خبر یک</a></p>",
        "<div><a href='/news/1/a'>خبر یک</a><br><a href='/news/2/b'>خبر دو</a></div>",
        "<p><a href='https://t.me/irna'>تلگرام</a> | <a href='https://eitaa.com/irna'>ایتا</a></p>",
        "<p><a href='https://ble.ir/irna'><img src='/bale.png'></a></p>",
    ],
)
def test_a_widget_block_goes(html: str) -> None:
    assert body_after_drop(f"<p>{SENTENCE}</p>{html}<p>{SENTENCE}</p>") == [SENTENCE, SENTENCE]
