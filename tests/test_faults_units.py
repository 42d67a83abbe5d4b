"""The hostile web (issue 4) without a crawl: the rules the fault crawls of
``tests/e2e/test_faults.py`` rely on (charset repair, trap rules, text cleaning, failure reasons),
checked on the fault site's pages and on hand-made cases.
"""

from __future__ import annotations

import pytest

from newscrawler.contract.sanitize import clean_text
from newscrawler.crawl.guard import trap_reason
from newscrawler.crawl.outcomes import unreachable
from newscrawler.persian import charset
from tests.support.faults import pages
from tests.support.faults.server import to_cp1256


@pytest.mark.parametrize("news_id", ["1050", "1052", "1053", "1056", "1057"])
def test_charset_repair_only_when_scrapy_decoded_wrong(news_id: str) -> None:
    from scrapy.http import HtmlResponse

    page = pages.article(news_id, meta_charset=None)
    variants = {
        "1050": (to_cp1256(page), "text/html; charset=windows-1256", None),
        "1052": (to_cp1256(page), "text/html", None),
        "1053": (to_cp1256(page), "text/html; charset=utf-8", "cp1256"),
        "1056": (page.encode(), "text/html; charset=windows-1256", "utf8"),
        "1057": (
            page.replace(pages.MARKER, "@").encode().replace(b"@", to_cp1256(pages.MARKER)),
            "text/html; charset=utf-8",
            "mixed",
        ),
    }
    body, content_type, how = variants[news_id]
    response = HtmlResponse("http://x.test/", body=body, headers={"Content-Type": content_type})
    fixed = charset.repair(response.body, response.encoding, response.text)
    assert (fixed[1] if fixed else None) == how
    text = fixed[0] if fixed else response.text
    assert pages.MARKER.replace("ی", "ي") in text or pages.MARKER in text
    assert pages.title(news_id).replace("ی", "ي") in text or pages.title(news_id) in text


def test_valid_utf8_is_never_rescored() -> None:
    body = pages.article("1001").encode()
    assert charset.repair(body, "utf-8", body.decode()) is None


@pytest.mark.parametrize(
    ("url", "trap"),
    [
        ("/archive/?page=3", False),
        ("/?s=" + "x" * 300, True),
        ("/calendar/?d=1&d=2&d=3", True),
        ("/news/1/?utm_source=a&utm_medium=b&utm_campaign=c", False),
    ],
)
def test_trap_rules(url: str, trap: bool) -> None:
    assert (trap_reason(url, 0) is not None) is trap


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("خبر <script>alert(1)</script> مهم", "خبر alert(1) مهم"),
        ("یک\u202bمتن\u202c\x00\x07", "یکمتن"),
        ("سطر اول\n\nسطر < دوم", "سطر اول\nسطر ‹ دوم"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_unreachable_needs_zero_responses() -> None:
    assert unreachable({"response_received_count": 1, "downloader/exception_count": 5}) is None
    why = unreachable(
        {"downloader/exception_type_count/scrapy.exceptions.DownloadConnectionRefusedError": 3}
    )
    assert why is not None
    assert "refused" in why


def test_failure_reasons() -> None:
    from scrapy.exceptions import (
        CannotResolveHostError,
        DownloadCancelledError,
        DownloadTimeoutError,
        IgnoreRequest,
        ResponseDataLossError,
    )
    from scrapy.http import Response
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.python.failure import Failure

    from newscrawler.crawl.outcomes import PageRejected, failure_reason

    cases: list[tuple[Exception, str]] = [
        (HttpError(Response("http://x.test/", status=410), "gone"), "http_410"),
        (PageRejected("challenge_page", "705 bytes"), "challenge_page"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots_disallowed"),
        (IgnoreRequest("max redirections reached"), "too_many_redirects"),
        (DownloadTimeoutError("took longer than 2.0 seconds"), "timeout"),
        (CannotResolveHostError("no such host"), "dns_error"),
        (ResponseDataLossError(), "connection_lost"),
        (DownloadCancelledError(""), "too_large"),
        (ValueError("unforeseen"), "download_error"),
    ]
    for exception, reason in cases:
        assert failure_reason(Failure(exception)) == reason, exception  # type: ignore[no-untyped-call]
