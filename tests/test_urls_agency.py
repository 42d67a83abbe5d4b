"""Pure extraction helpers: URLs, source agency, CMS fingerprints, DOM text, page metadata."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from parsel import Selector

from newscrawler.extraction.agency import detect_agency
from newscrawler.extraction.detect import detect_cms
from newscrawler.extraction.dom import drop_all, paragraphs, text_of, texts_of
from newscrawler.extraction.metadata import PageMetadata
from newscrawler.extraction.urls import canonicalize, same_site
from newscrawler.persian.normalize import normalize_text

SLUG = "افتتاح-۴۰-طرح-صنعتی-در-قزوین"
SLUG_QUOTED = quote(SLUG)  # upper-case hex
CANONICAL_SLUG = f"https://irna.ir/news/85257749/{SLUG_QUOTED}"

# ---------------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # tracking parameters and the fragment go
        (
            "https://irna.ir/news/1?utm_source=telegram&utm_medium=social&fbclid=x#comments",
            "https://irna.ir/news/1",
        ),
        ("https://irna.ir/news/1?gclid=a&ref=home&s=1&amp=1", "https://irna.ir/news/1"),
        ("https://irna.ir/news/1?ref=home&id=5", "https://irna.ir/news/1?id=5"),
        # the query is sorted; real parameters stay
        (
            "https://tasnimnews.com/fa/archive?service=6&page=2",
            "https://tasnimnews.com/fa/archive?page=2&service=6",
        ),
        # www., upper case host, http → https, default port
        ("http://www.irna.ir/news/1", "https://irna.ir/news/1"),
        ("https://WWW.IRNA.IR/news/1", "https://irna.ir/news/1"),
        ("https://irna.ir:443/news/1", "https://irna.ir/news/1"),
        ("//irna.ir/news/1", "https://irna.ir/news/1"),
        # the path keeps its case
        ("https://irna.ir/News/1", "https://irna.ir/News/1"),
        # trailing slash
        ("https://irna.ir/news/1/", "https://irna.ir/news/1"),
        ("https://irna.ir/news/1//", "https://irna.ir/news/1"),
        ("https://irna.ir", "https://irna.ir/"),
        ("https://irna.ir/", "https://irna.ir/"),
        # local test servers keep scheme and port
        ("http://localhost:8080/news/1/", "http://localhost:8080/news/1"),
        ("http://127.0.0.1:8000/a/?b=2&a=1", "http://127.0.0.1:8000/a?a=1&b=2"),
        ("http://[::1]:8080/a/", "http://[::1]:8080/a"),
        # spaces and Persian query values are percent-encoded
        ("https://irna.ir/a b", "https://irna.ir/a%20b"),
        (
            "https://irna.ir/search?q=قزوین",
            "https://irna.ir/search?q=%D9%82%D8%B2%D9%88%DB%8C%D9%86",
        ),
        # credentials never reach a canonical URL
        ("https://user:secret@irna.ir/news/1", "https://irna.ir/news/1"),
    ],
)
def test_canonicalize(url: str, expected: str) -> None:
    assert canonicalize(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        f"https://irna.ir/news/85257749/{SLUG}",
        f"https://irna.ir/news/85257749/{SLUG_QUOTED}",
        f"https://irna.ir/news/85257749/{SLUG_QUOTED.lower()}",
        f"https://irna.ir/news/85257749/{quote(SLUG, safe='')}",
        f"http://www.irna.ir/news/85257749/{SLUG}/",
        f"https://irna.ir/news/85257749/{SLUG_QUOTED}/?utm_source=x#top",
    ],
)
def test_percent_encoding_variants_of_a_persian_slug_are_equal(url: str) -> None:
    assert canonicalize(url) == CANONICAL_SLUG


def test_canonicalize_is_idempotent() -> None:
    for url in (CANONICAL_SLUG, "http://127.0.0.1:8000/a?a=1&b=2", "https://irna.ir/"):
        assert canonicalize(canonicalize(url)) == canonicalize(url)


@pytest.mark.parametrize(
    ("url", "domain", "expected"),
    [
        ("https://irna.ir/news/1", "irna.ir", True),
        ("https://www.irna.ir/news/1", "irna.ir", True),
        ("https://qazvin.irna.ir/news/1", "irna.ir", True),
        ("https://IRNA.IR/news/1", "irna.ir", True),
        ("https://irna.ir/news/1", "www.irna.ir", True),
        ("https://www.irna.ir/news/1", "WWW.IRNA.IR", True),
        ("http://127.0.0.1:8000/news/1", "127.0.0.1", True),
        ("https://irna.ir.evil.com/", "irna.ir", False),
        ("https://notirna.ir/", "irna.ir", False),
        ("https://isna.ir/news/1", "irna.ir", False),
        ("/news/1", "irna.ir", False),
    ],
)
def test_same_site(url: str, domain: str, expected: bool) -> None:
    assert same_site(url, domain) is expected


# ------------------------------------------------------------------------- source agency


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["به گزارش ایرنا، حمیدرضا خانپور روز سه\u200cشنبه گفت"], "IRNA"),
        (["به گزارش خبرگزاری جمهوری اسلامی، استاندار قزوین گفت"], "IRNA"),
        (["به گزارش خبرگزاری ایرنا از قزوین، استاندار گفت"], "IRNA"),
        (["به گزارش گروه اقتصادی ایرنا، نرخ تورم"], "IRNA"),
        (["به گزارش ایسنا، رئیس دانشگاه گفت"], "ISNA"),
        (["به نقل از ایسنا، رئیس دانشگاه گفت"], "ISNA"),
        (["به گزارش خبرگزاری مهر، مدیرکل گفت"], "Mehr"),
        (["به گزارش خبرنگار مهر، مدیرکل گفت"], "Mehr"),
        (["به گزارش تسنیم، فرماندار گفت"], "Tasnim"),
        (["به گزارش خبرگزاری تسنیم از قزوین، فرماندار گفت"], "Tasnim"),
        (["به گزارش خبرگزاری فارس، نماینده گفت"], "Fars"),
        (["به گزارش گروه استان های باشگاه خبرنگاران جوان از قزوین، مدیرکل گفت"], "YJC"),
        (["به گزارش گروه استان\u200cهای باشگاه خبرنگاران جوان از قزوین، مدیرکل گفت"], "YJC"),
        (["به گزارش خبرگزاری صداوسیما مرکز قزوین، مدیرکل گفت"], "IRIB"),
        (["به گزارش خبرگزاری صدا و سیما مرکز قزوین، مدیرکل گفت"], "IRIB"),
        (["به گزارش خبرنگار ایلنا، کارگران گفتند"], "ILNA"),
        (["به گزارش ایکنا، مسابقات قرآن"], "IQNA"),
        # a source line at the end, after any amount of text
        (["متن خبر", "ادامه خبر", "پایان خبر", "منبع: ایسنا"], "ISNA"),
        (["متن خبر", "منبع : مهر"], "Mehr"),
        (["متن خبر", "منبع:تسنیم"], "Tasnim"),
        (["متن خبر", "منبع: خبرگزاری مهر"], "Mehr"),
        # datelines
        (["قزوین- ایرنا- استاندار قزوین گفت"], "IRNA"),
        (["قزوین - ایرنا - استاندار قزوین گفت"], "IRNA"),
        (["تهران– ایسنا– وزیر گفت"], "ISNA"),
        (["عنوان فرعی", "قزوین- ایرنا- استاندار قزوین گفت"], "IRNA"),
        # the first line wins
        (["به گزارش ایسنا، ...", "منبع: ایرنا"], "ISNA"),
        # blank lines are skipped
        (["", "  ", "به گزارش ایرنا، ..."], "IRNA"),
    ],
)
def test_detect_agency(lines: list[str], expected: str) -> None:
    assert detect_agency(lines) == expected


@pytest.mark.parametrize(
    "lines",
    [
        [],
        ["", "  "],
        ["شهردار گفت که مهر امسال پروژه تمام می\u200cشود"],
        ["به گزارش روابط عمومی استانداری قزوین، جلسه برگزار شد"],
        ["به گزارش مهرآباد نیوز، جلسه برگزار شد"],
        ["به گزارش برنامه\u200cریزی شده، جلسه برگزار شد"],
        ["به گزارش فارسی\u200cزبانان، ..."],
        ["منبع آگاه گفت که جلسه لغو شد"],
        ["متن خبر", "منبع: مهرداد رضایی"],
        # a citation deep in the text is a quote, not the source of the article
        ["متن اول", "متن دوم", "به گزارش ایرنا، خبر دیگری هم منتشر شد"],
        # a dateline is only believed in the first lines
        ["متن اول", "متن دوم", "قزوین- ایرنا- استاندار گفت"],
    ],
)
def test_detect_agency_negatives(lines: list[str]) -> None:
    assert detect_agency(lines) is None


def test_detect_agency_after_normalization_of_arabic_letters() -> None:
    lines = [normalize_text("به گزارش ايرنا، حميدرضا خانپور گفت") or ""]
    assert detect_agency(lines) == "IRNA"


# --------------------------------------------------------------------------- CMS families


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<html><head><meta name="generator" content="www.nastooh.ir"></head></html>', "nastooh"),
        ('<html><head><meta property="nastooh:code" content="85257749"></head></html>', "nastooh"),
        (
            '<html><head><link rel="stylesheet" href="/client/themes/fa/main/css/news.css">'
            "</head><body></body></html>",
            "iransamaneh",
        ),
        (
            '<html><head><script src="/client/themes/fa/main/js/news.js"></script></head></html>',
            "iransamaneh",
        ),
        ('<html><body><!-- aasaam cms --><div id="echo_detail">متن</div></body></html>', "asam"),
        ('<html><body data-ng-app="aasaamApp"><p>x</p></body></html>', "asam"),
        (
            '<html><body><div id="echo_detail">متن</div>'
            '<a href="/fa/tiny/news-123">لینک</a></body></html>',
            "asam",
        ),
        (
            '<html><head><meta name="generator" content="News Studio 4"></head></html>',
            "studiokhabar",
        ),
        ('<html><body><div id="docDiv3TitrMain">تیتر</div></body></html>', "studiokhabar"),
        (
            '<html><head><meta name="generator" content="WordPress 6.5.2"></head></html>',
            "wordpress",
        ),
        (
            '<html><head><link rel="stylesheet" href="https://x.ir/wp-content/themes/a/style.css">'
            "</head></html>",
            "wordpress",
        ),
        (
            '<html><body class="single-post"><script src="/wp-content/plugins/a.js"></script>'
            "</body></html>",
            "wordpress",
        ),
        # weak clues alone are not enough
        ('<html><body><div class="item-body">x</div></body></html>', "generic"),
        ('<html><body><div class="entry-content">x</div></body></html>', "generic"),
        ('<html><body><a href="/fa/doc/news/1">x</a></body></html>', "generic"),
        ("<p>hello</p>", "generic"),
    ],
)
def test_detect_cms(html: str, expected: str) -> None:
    family, scores = detect_cms(Selector(html))
    assert family == expected
    if expected != "generic":
        assert scores[expected] >= 5


def test_detect_cms_reports_scores() -> None:
    html = (
        '<html><body><div class="item-body"></div><div class="entry-content"></div></body></html>'
    )
    assert detect_cms(Selector(html)) == ("generic", {"nastooh": 2, "wordpress": 2})


# ---------------------------------------------------------------------------- DOM text


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<div><p>یک <b>دو</b></p>سه<br>چهار<ul><li>پنج</li></ul></div>",
            ["یک دو", "سه", "چهار", "پنج"],
        ),
        # <br> breaks lines; empty lines vanish
        ("<div>الف<br/>ب<br><br>ج</div>", ["الف", "ب", "ج"]),
        # nested blocks, and text after a nested block (its tail)
        ("<div><div><p>x</p><p>y</p></div>z</div>", ["x", "y", "z"]),
        ("<div><section><div><p>عمیق</p></div></section></div>", ["عمیق"]),
        # inline tags do not break words or lines
        ("<div><p>شهرک<span>\u200cهای</span> صنعتی</p>بعد</div>", ["شهرک\u200cهای صنعتی", "بعد"]),
        ("<div><p>a<span>b</span>c</p>d</div>", ["abc", "d"]),
        (
            "<div><p><a href='#'>پیوند</a> و <strong>متن</strong> و <em>تاکید</em></p></div>",
            ["پیوند و متن و تاکید"],
        ),
        # comment text goes, its tail stays
        ("<div>a <i>b</i> c <!-- comment --> d</div>", ["a b c d"]),
        # whitespace inside a paragraph collapses
        ("<div><p>  فاصله   \n\t زیاد </p></div>", ["فاصله زیاد"]),
        # headings, list items, quotes and table cells rows are paragraphs
        (
            "<div><h2>میان\u200cتیتر</h2><blockquote>نقل</blockquote><table><tr><td>خانه</td></tr></table></div>",
            ["میان\u200cتیتر", "نقل", "خانه"],
        ),
        # scripts and styles are not text
        ("<div><script>var x = 1;</script><p>متن</p></div>", ["متن"]),
        (
            "<div><style>.a { color: red }</style>متن<noscript>فعال کنید</noscript> پایان</div>",
            ["متن پایان"],
        ),
        # text after the node itself is not part of it
        ("<div><p>درون</p></div>بیرون", ["درون"]),
    ],
)
def test_paragraphs(html: str, expected: list[str]) -> None:
    assert paragraphs(Selector(html).css("div")[:1]) == expected


def test_paragraphs_of_several_nodes_and_of_none() -> None:
    sel = Selector("<body><p>یک</p><span>x</span><p>دو<br>سه</p></body>")
    assert paragraphs(sel.css("p")) == ["یک", "دو", "سه"]
    assert paragraphs(sel.css("article")) == []
    assert paragraphs(sel.xpath("//p/text()")) == []  # text nodes are not elements


def test_paragraphs_leaves_the_tree_unchanged() -> None:
    sel = Selector("<body><div><p>x</p></div>tail</body>")
    paragraphs(sel.css("div"))
    assert sel.css("body").xpath("string()").get() == "xtail"


def test_text_of_and_texts_of() -> None:
    sel = Selector(
        "<ul><li><a>قزوین</a></li><li> <a>صنعت</a> </li><li></li></ul>"
        "<h1><span>تیتر</span> اصلی</h1>"
    )
    assert text_of(sel.css("h1")) == "تیتر اصلی"
    assert text_of(sel.css("h2")) is None
    assert text_of(sel.css("li")) == "قزوین"
    assert list(texts_of(sel.css("li"))) == ["قزوین", "صنعت"]


def test_drop_all_removes_widgets() -> None:
    sel = Selector(
        '<div class="body"><p>متن</p><div class="share"><p>اشتراک</p></div>'
        '<div class="related"><div class="share">x</div></div><script>1</script></div>'
    )
    body = sel.css("div.body")
    assert drop_all(body, (".share", ".related", "script")) >= 3
    assert paragraphs(body) == ["متن"]
    assert drop_all(body, ()) == 0


# ------------------------------------------------------------------------- page metadata


def _meta(html: str) -> PageMetadata:
    return PageMetadata.from_selector(Selector(f"<html><head>{html}</head><body></body></html>"))


def test_json_ld_graph_is_walked() -> None:
    page = _meta(
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebSite", "name": "ایرنا"},'
        '{"@type": "WebPage", "name": "صفحه"},'
        '{"@type": "NewsArticle", "headline": "تیتر خبر",'
        ' "datePublished": "2024-05-18T10:25:00+03:30",'
        ' "author": {"@type": "Person", "name": "رضا اولادی"}}]}</script>'
    )
    assert page.ld["@type"] == "NewsArticle"
    assert page.ld_text("headline") == "تیتر خبر"
    assert page.ld_text("datePublished") == "2024-05-18T10:25:00+03:30"
    assert page.ld_text("author") == "رضا اولادی"


def test_json_ld_list_and_type_list() -> None:
    page = _meta(
        '<script type="application/ld+json">[{"@type": "BreadcrumbList"},'
        '{"@type": ["NewsArticle"], "headline": "h", "keywords": ["قزوین", "صنعت"],'
        ' "author": [{"name": "الف"}, {"name": "ب"}], "image": []}]</script>'
    )
    assert page.ld_text("headline") == "h"
    assert page.ld_text("keywords") == "قزوین"
    assert page.ld_text("author") == "الف"
    assert page.ld_text("image") is None
    assert page.ld_text("missing") is None


def test_broken_json_ld_is_ignored() -> None:
    page = _meta(
        '<script type="application/ld+json">{"@type": "NewsArticle", broken</script>'
        '<script type="application/ld+json">{"@type": "Article", "headline": "سالم"}</script>'
    )
    assert page.ld_text("headline") == "سالم"
    assert _meta('<script type="application/ld+json">{oops</script>').ld == {}
    assert _meta('<script type="application/ld+json">"just a string"</script>').ld == {}


def test_json_ld_with_raw_newlines_in_strings_is_read() -> None:
    page = _meta(
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "تیتر",'
        ' "articleBody": "بند اول\nبند دوم"}</script>'
    )
    assert page.ld_text("headline") == "تیتر"
    assert page.ld["articleBody"] == "بند اول\nبند دوم"


def test_news_article_beats_web_page_and_first_article_wins() -> None:
    page = _meta(
        '<script type="application/ld+json">{"@type": "WebPage", "headline": "صفحه"}</script>'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "اول"}</script>'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "دوم"}</script>'
    )
    assert page.ld_text("headline") == "اول"
    only_page = _meta(
        '<script type="application/ld+json">{"@type": "WebPage", "headline": "صفحه"}</script>'
    )
    assert only_page.ld_text("headline") == "صفحه"


def test_meta_tags_and_canonical() -> None:
    page = _meta(
        '<meta property="og:title" content="  تیتر  ">'
        '<meta name="og:title" content="دوم">'
        '<meta property="article:tag" content="قزوین">'
        '<meta property="article:tag" content="صنعت">'
        '<meta name="Description" content="خلاصه">'
        '<meta property="og:image">'
        '<link rel="canonical" href="https://www.irna.ir/news/85257749/">'
    )
    assert page.meta["og:title"] == "تیتر"
    assert page.meta_all["og:title"] == ["تیتر", "دوم"]
    assert page.meta_all["article:tag"] == ["قزوین", "صنعت"]
    assert page.first("twitter:title", "description") == "خلاصه"
    assert page.first("og:image") is None
    assert page.canonical == "https://www.irna.ir/news/85257749/"
    assert page.ld == {}


def test_empty_page_metadata() -> None:
    page = _meta("")
    assert (page.meta, page.meta_all, page.ld, page.canonical) == ({}, {}, {}, None)


def test_plain_http_urls_are_what_joining_and_quoting_give() -> None:
    """:data:`PLAIN_HTTP_URL`'s promise, on 100,000 generated URLs near its edges (long and
    punycode-looking labels, ports with leading zeros or out of range, dots, tildes): every one
    it matches comes back unchanged from ``urljoin`` with any base and from w3lib's
    ``safe_url_string``, and the contract's ``http_url`` gives it as it is."""
    import random
    from urllib.parse import urljoin

    from w3lib.url import safe_url_string

    from newscrawler.contract.sanitize import http_url
    from newscrawler.extraction.urls import PLAIN_HTTP_URL

    rng = random.Random(5)
    bases = ["https://irna.ir/news/1/x", "http://127.0.0.1:8080/a/b", "https://x.ir", "ftp://y/"]
    matched = 0
    for _ in range(100_000):
        host = "".join(rng.choice("abcxyz0189.-") for _ in range(rng.randint(1, 70)))
        host = ("xn--" + host) if rng.random() < 0.1 else host
        port = rng.choice(
            ["", ":80", ":8080", ":1", ":9999", ":0080", ":65536", ":", ":37627", ":65535"]
        )
        path = "/" + "".join(
            rng.choice([*"aZ09._~/-" * 5, *"%?#;", "%D8", "%b3", "%2F", "%25", "%2E", "%G1"])
            for _ in range(rng.randint(0, 30))
        )
        url = rng.choice(["http://", "https://", "HTTP://"]) + host + port + path
        if not PLAIN_HTTP_URL.fullmatch(url):
            continue
        matched += 1
        assert safe_url_string(urljoin(rng.choice(bases), url)) == url, url
        assert safe_url_string(url) == url == http_url(url), url
    assert matched > 5_000


def test_plain_url_check_is_the_pattern() -> None:
    """:func:`is_plain_http_url` and ``_is_plain_path`` (a loose class, then the escapes) say
    what :data:`PLAIN_HTTP_URL` and the path pattern say, on 200,000 generated URLs and paths
    with escapes of every kind (lower-case, short, at the end, doubled ``%%``)."""
    import random
    import re

    from newscrawler.extraction.urls import (
        _PLAIN_PATH_PATTERN,
        PLAIN_HTTP_URL,
        _is_plain_path,
        is_plain_http_url,
    )

    plain_path = re.compile(_PLAIN_PATH_PATTERN)
    rng = random.Random(11)
    pieces = [*"aZ09._~/-" * 3, *"%?#:", "%D8", "%b3", "%2", "%%", "%G1", "%2F", "س", "%A"]
    agreed = {True: 0, False: 0}
    for _ in range(200_000):
        path = "/" + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        url = rng.choice(["http://", "https://", "http:/", ""]) + rng.choice(
            [
                "irna.ir",
                "a-b.ir:8080",
                "x.ir:0",
                "X.ir",
                "",
                "x.ir:65535",
                "x.ir:65536",
                "x.ir:99999",
            ]
        )
        url += path
        expected = PLAIN_HTTP_URL.fullmatch(url) is not None
        assert is_plain_http_url(url) is expected, url
        assert _is_plain_path(path) is (plain_path.fullmatch(path) is not None), path
        agreed[expected] += 1
    assert min(agreed.values()) > 5_000  # both answers are tried often


def test_join_plain_is_joining_and_quoting() -> None:
    """:func:`join_plain` answers only where it gives ``safe_url_string(urljoin(base, src))``:
    200,000 generated paths (dots, empty segments, escapes, queries, colons) on bases with
    user names, ports, upper-case hosts, queries, fragments, no path, no scheme."""
    import random
    from urllib.parse import urljoin

    from w3lib.url import safe_url_string

    from newscrawler.extraction.urls import join_plain

    rng = random.Random(7)
    bases = [
        "https://irna.ir/news/1/x",
        "http://127.0.0.1:8080/a/b",
        "http://127.0.0.1:45479/news/1",
        "http://127.0.0.1:65536/a",
        "https://x.ir",
        "http://bench-irna.example/news/86689319/",
        "HTTP://X.ir/a",
        "https://u@x.ir/a",
        "https://x.ir?q",
        "https://x.ir:0080/a",
        "https://x.ir#f",
        "ftp://x/a",
        "x.ir/a",
        "",
        "https://[::1]/a",
        "https://x.ir/a;p?q#f",
    ]
    answered = 0
    for _ in range(200_000):
        pieces = [*"/" * 3, *"ab09._~-" * 3, *"%?#;: ", "%D8", "%b3", "%2F", "%2E", "%2e"]
        src = "".join(rng.choice(pieces) for _ in range(20))
        src = src[: rng.randint(0, 20)]
        src = "/" + src if rng.random() < 0.5 else src
        base = rng.choice(bases)
        joined = join_plain(base, src)
        if joined is not None:
            answered += 1
            assert joined == safe_url_string(urljoin(base, src)), (base, src)
    assert answered > 5_000
