"""The generic extractor on full pages of sites it has no profile for.

Each page under ``tests/fixtures/_unknown/`` (written for these tests, dated in its file name)
shows one class of problem real unknown sites have: a logo or empty ``<h1>``, a headline only
in ``h2.title``-like markup, bodies without ``<p>`` (``<br>`` lines, table cells of a classic
windows-1256 page), visible Jalali, Gregorian and Arabic dates beside a render-time
``<meta name=date>`` and sidebars of dated teasers, Arabic pages and Persian pages quoting
Arabic, comment policies inside the body container, and pages that are not articles (a
section page, a video page, a 404 page served with status 200). Its ``.json`` says what the
extractor must give: title, ISO date (or ``null``), language, the body's first and last words,
phrases that must (letters kept) and must not (chrome, comments, sidebars) be in the body.
The page is extracted as ``python -m newscrawler extract PAGE --url URL`` does: the profile from
:func:`newscrawler.cli.choose_profile`, the charset from the page when the JSON names none.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse

from newscrawler.cli import choose_profile
from newscrawler.extraction.article import NotAnArticle, extract_article
from newscrawler.extraction.chrome import policy_line
from newscrawler.extraction.generic import (
    headline,
    main_text_block,
    not_an_article,
    without_site_name,
)
from newscrawler.extraction.metadata import PageMetadata
from newscrawler.items import Article
from newscrawler.persian.chars import text_key
from newscrawler.persian.dates import TEHRAN, parse_date

UNKNOWN = Path(__file__).parent / "fixtures" / "_unknown"
PAGES = sorted(path.stem for path in UNKNOWN.glob("*.json"))


@cache
def spec(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((UNKNOWN / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def response(name: str) -> HtmlResponse:
    body = (UNKNOWN / f"{name}.html").read_bytes()
    return HtmlResponse(url=spec(name)["url"], body=body, encoding=spec(name).get("encoding"))


@cache
def extracted(name: str) -> Article:
    """The page's article, as the ``extract`` command makes it (noon of the page's day)."""
    page = response(name)
    now = datetime.strptime(name[:10], "%Y-%m-%d").replace(hour=12, tzinfo=TEHRAN)
    return extract_article(page, choose_profile(page, None), now=now)


def articles(field: str | None = None) -> list[Any]:
    """The article pages (those whose JSON names ``field``), each expected to fail where its
    JSON says the rule lives in code these tests do not cover (``xfail``)."""
    params = []
    for name in PAGES:
        if spec(name).get("not_an_article") or (field and field not in spec(name)):
            continue
        reason = spec(name).get("xfail", {}).get(field or "")
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(name, id=name, marks=marks))
    return params


def test_every_page_has_its_expectations() -> None:
    assert len(PAGES) >= 10
    for name in PAGES:
        assert (UNKNOWN / f"{name}.html").is_file(), name
        assert spec(name)["url"].startswith("http"), name
        assert spec(name)["what"], name


@pytest.mark.parametrize("name", articles())
def test_page_is_extracted_by_the_generic_rules(name: str) -> None:
    """No site profile, no CMS family: the generic rules; the charset read from the page."""
    assert extracted(name).cms == "generic"
    assert response(name).encoding == spec(name).get("encoding_detected", "utf-8")


@pytest.mark.parametrize("name", articles("title"))
def test_title_is_the_pages_own_headline(name: str) -> None:
    assert extracted(name).title == spec(name)["title"]


@pytest.mark.parametrize("name", articles("published"))
def test_published_is_the_articles_own_date(name: str) -> None:
    """Exact to the minute with the Asia/Tehran offset of that day; never the render time of
    ``<meta name=date>``, the masthead's «today» or a teaser's ``<time>``."""
    assert extracted(name).published_at == spec(name)["published"]


@pytest.mark.parametrize("name", articles("language"))
def test_language(name: str) -> None:
    assert extracted(name).language == spec(name)["language"]


@pytest.mark.parametrize("name", articles("body_first"))
def test_body_starts_and_ends_with_the_article(name: str) -> None:
    body = text_key(extracted(name).body or "")
    assert body.startswith(text_key(spec(name)["body_first"])), extracted(name).body
    assert body.endswith(text_key(spec(name)["body_last"])), extracted(name).body
    if "body_lines" in spec(name):
        assert len((extracted(name).body or "").split("\n")) == spec(name)["body_lines"]


@pytest.mark.parametrize("name", articles("must_contain"))
def test_body_keeps_each_languages_letters(name: str) -> None:
    """Arabic text keeps ي ك ى ة; Persian text is normalized (ي → ی), exactly as written
    here."""
    body = extracted(name).body or ""
    for phrase in spec(name)["must_contain"]:
        assert phrase in body, phrase


@pytest.mark.parametrize("name", articles("must_not_contain"))
def test_no_chrome_comments_or_other_stories_in_the_body(name: str) -> None:
    body = extracted(name).body or ""
    for phrase in spec(name)["must_not_contain"]:
        leaked = phrase in body if len(phrase) == 1 else text_key(phrase) in text_key(body)
        assert not leaked, phrase


@pytest.mark.parametrize(
    "name", [name for name in PAGES if spec(name).get("not_an_article")], ids=str
)
def test_page_that_is_not_an_article_gives_none(name: str) -> None:
    """A section page, a video page, a 404 served with status 200: no article, never a menu or
    a footer as a body."""
    with pytest.raises(NotAnArticle):
        extracted(name)


# The rules one at a time ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("کرمان روز | بارش باران پاییزی در کرمان", None, "بارش باران پاییزی در کرمان"),
        ("بارش باران پاییزی در کرمان - کرمان روز", "کرمان روز", "بارش باران پاییزی در کرمان"),
        ("آب‌بندان‌های گیلان آماده می‌شوند :: رشت آنلاین", None, "آب‌بندان‌های گیلان آماده می‌شوند"),
        ("افتتاح جسر جديد على نهر كارون | الأهواز اليوم", None, "افتتاح جسر جديد على نهر كارون"),
    ],
)
def test_title_without_the_site_name(title: str, site: str | None, expected: str) -> None:
    assert without_site_name(title, site) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("۱۴ آبان ۱۴۰۳ - ۱۰:۲۵", "2024-11-04T10:25:00+03:30"),
        ("۱۴ آبان‌ماه ۱۴۰۳ - ۱۰:۲۵", "2024-11-04T10:25:00+03:30"),
        ("۱۴۰۳/۰۸/۱۴ ساعت ۱۰:۲۵", "2024-11-04T10:25:00+03:30"),
        ("۱۴/۰۸/۱۴۰۳ ساعت ۱۰:۲۵", "2024-11-04T10:25:00+03:30"),
        ("یکشنبه ۳ نوامبر ۲۰۲۴، ساعت ۱۸:۳۰", "2024-11-03T18:30:00+03:30"),
        ("الأحد 3 نوفمبر 2024 - 10:15", "2024-11-03T10:15:00+03:30"),
        ("الأحد 3 نوفمبر 2024 - 10:15 م", "2024-11-03T22:15:00+03:30"),
        ("الأحد، 3 تشرين الثاني 2024", "2024-11-03T00:00:00+03:30"),
        ("03/11/2024 - 10:15", "2024-11-03T10:15:00+03:30"),
        ("2024/11/03 10:15", "2024-11-03T10:15:00+03:30"),
        ("چهارشنبه 24 تير 1388 ساعت 14:30", "2009-07-15T14:30:00+04:30"),
        ("۲۴ شهریور ۱۴۰۱ ساعت ۱۱:۵۰", "2022-09-15T11:50:00+04:30"),
        ("۳۰ شهریور ۱۴۰۱ ساعت ۱۱:۵۰", "2022-09-21T11:50:00+04:30"),
        ("۳۱ شهریور ۱۴۰۱ ساعت ۱۱:۵۰", "2022-09-22T11:50:00+03:30"),
        ("۱ تیر ۱۴۰۲ ساعت ۱۱:۵۰", "2023-06-22T11:50:00+03:30"),
    ],
)
def test_visible_date_shapes(raw: str, expected: str) -> None:
    """The shapes unknown sites print, with the Tehran offset of that day (summer time until
    the end of Shahrivar 1401, none after)."""
    parsed = parse_date(raw)
    assert parsed is not None
    assert parsed.isoformat() == expected


@pytest.mark.parametrize(
    ("line", "policy"),
    [
        ("نظرات حاوی توهین، افترا و تهمت منتشر نخواهد شد.", True),
        ("لطفاً از نوشتن نظرات با حروف لاتین (فینگلیش) خودداری کنید.", True),
        ("دیدگاه‌های ارسال‌شده پس از بررسی و تأیید مدیر سایت منتشر خواهد شد.", True),
        ("الآراء الواردة أدناه لا تعبر عن رأي الموقع، بل تعكس وجهات نظر أصحابها فقط.", True),
        ("يرجى عدم استخدام عبارات مسيئة، ولن يتم نشر التعليقات المكتوبة بحروف لاتينية.", True),
        ("نظر نهایی کمیسیون هفته آینده منتشر می‌شود.", False),
        ("متن کامل پیام رئیس‌جمهور به کنگره دیروز منتشر شد.", False),
        ("وقال المحافظ إن المشروع سيخفف الازدحام المروري في المدينة.", False),
    ],
)
def test_comment_policy_lines(line: str, policy: bool) -> None:
    assert policy_line(line) is policy


def _block_text(*parts: str) -> str:
    html = "<html><head><title>x</title></head><body><div class='text'>"
    block = main_text_block(Selector(text=html + "".join(parts) + "</div></body></html>"))
    assert block is not None
    return str(block.xpath("string()").get())


BODY = "<p>{}</p>".format("متن خبر درباره بودجه استان و طرح‌های عمرانی سال آینده است. " * 6)
COMMENTS = "<div class='comment-box'><p>{}</p></div>".format("نظر یک خواننده طولانی " * 30)


def test_a_closing_paragraph_stays_the_policy_at_the_end_goes() -> None:
    """The policy closing a body goes (its box may be loaded by script); a closing paragraph
    that only mentions a publication stays."""
    text = _block_text(
        BODY,
        "<p>نظر نهایی کمیسیون هفته آینده منتشر می‌شود.</p>",
        "<p>نظرات حاوی توهین منتشر نمی‌شود.</p>",
        COMMENTS,
    )
    assert "نظر نهایی کمیسیون" in text
    assert "توهین" not in text
    assert "خواننده" not in text


def test_the_policy_before_a_comment_box_goes_with_it() -> None:
    """Policy lines right before a comment widget go with it, even with text after the box."""
    text = _block_text(
        BODY,
        "<p>لطفاً از نوشتن نظرات با حروف لاتین خودداری کنید.</p>",
        COMMENTS,
        "<p>منبع: ایرنا</p>",
    )
    assert "منبع" in text
    assert "حروف لاتین" not in text
    assert "خواننده" not in text


def test_a_short_block_is_no_article() -> None:
    """A caption or a one-line message is no article, whatever the page's metadata says."""
    html = "<html><body><div><p>{}</p></div></body></html>".format("یک خط توضیح کوتاه " * 3)
    meta = PageMetadata.from_selector(Selector(text=html))
    block = main_text_block(Selector(text=html))
    assert block is not None
    assert not_an_article("https://example.ir/news/1234/", meta, block) is not None
    long_block = main_text_block(Selector(text=html.replace("کوتاه ", "کوتاه " * 8)))
    assert not_an_article("https://example.ir/news/1234/", meta, long_block) is None


def test_the_headline_is_marked_once() -> None:
    """The body rules measure from the mark after the headline; asking twice marks it once."""
    html = (
        "<html><head><title>بارش باران پاییزی در کرمان - کرمان روز</title></head><body>"
        "<h1>کرمان روز</h1><h1>بارش باران پاییزی در کرمان</h1><p>متن</p></body></html>"
    )
    sel = Selector(text=html)
    meta = PageMetadata.from_selector(sel)
    assert headline(sel, meta)[0] == headline(sel, meta)[0] == "بارش باران پاییزی در کرمان"
    assert len(sel.root.findall(".//nc-headline")) == 1
