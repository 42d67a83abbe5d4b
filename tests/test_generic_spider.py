"""The generic spider's parts: URL shapes, site names, its arguments and their one-line errors
(the crawls themselves: tests/e2e/test_generic.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawler.sites.unknown import article_id, site_name, unknown_site
from newscrawler.spiders.arguments import SpiderArgumentError
from newscrawler.spiders.generic import GenericSpider, hosts_of
from tests.support.processes import ROOT


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.irna.ir/news/85412345/عنوان-خبر", "85412345"),
        ("https://www.isna.ir/news/96030201379/", "96030201379"),
        ("https://www.yjc.ir/fa/news/9156716/slug", "9156716"),
        ("https://www.tasnimnews.com/fa/news/1403/02/29/3089765/slug", "3089765"),
        ("https://bloghnews.com/fa/doc/news/395727/slug", "395727"),
        ("https://example.ir/12345-a-slug", "12345"),
        ("http://www.farsnews.com/newstext.php?nn=13960302000065", "13960302000065"),
        ("https://example.ir/index.php?option=com_k2&id=78154", "78154"),
        ("https://example.ir/2024/05/18/a-long-slug/", ""),  # an article without a numeric id
    ],
)
def test_article_urls_by_their_shape(url: str, expected: str) -> None:
    assert article_id(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://example.ir/",
        "https://example.ir/fa/service/1391",
        "https://example.ir/tag/قزوین",
        "https://example.ir/category/economy/page/2/",
        "https://example.ir/archive?page=12345",
        "https://example.ir/fa/news",  # a section, no id
        "https://example.ir/author/12345",
        "http://www.farsnews.com/imgrep.php?nn=13960301001754",  # a photo report
        "https://example.ir/2024/05/",  # a month's archive
    ],
)
def test_other_links_are_not_articles(url: str) -> None:
    assert article_id(url) is None


def test_a_site_is_named_after_its_host() -> None:
    assert site_name("https://www.Kermaneno.ir/news/1") == "kermaneno.ir"
    assert site_name("http://127.0.0.1:8081/") == "127.0.0.1_8081"
    assert site_name("https://example.ir:443/") == "example.ir"
    profile = unknown_site("https://www.example.ir/x", province="yazd")
    assert (profile.name, profile.base_url, profile.province) == (
        "example.ir",
        "https://www.example.ir",
        "yazd",
    )


def test_hosts_come_from_a_list_or_a_file(tmp_path: Path) -> None:
    hosts = tmp_path / "hosts.txt"
    hosts.write_text("# regional portals\nkermaneno.ir\n\nhttp://127.0.0.1:8080/x\n", "utf-8")
    assert hosts_of("a.ir, b.ir", str(hosts)) == [
        "https://a.ir/",
        "https://b.ir/",
        "https://kermaneno.ir/",
        "http://127.0.0.1:8080/",
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({}, "generic needs a site"),
        ({"site": "not a host"}, "'not a host' is not a host name"),
        ({"site": "ftp://x"}, "'ftp://x' is not a host name or an http(s) URL"),
        ({"sites_file": "/nonexistent/hosts"}, "no such file"),
        ({"site": "a.ir", "start_url": "https://a.ir/"}, "not both"),
        ({"site": "a.ir", "province": "atlantis"}, "is not a province slug"),
        ({"start_url": "https://a.ir/", "colour": "blue"}, "unknown argument 'colour'"),
    ],
)
def test_bad_arguments_are_one_clear_error(arguments: dict[str, str], message: str) -> None:
    with pytest.raises(SpiderArgumentError, match=re.escape(message)):
        GenericSpider.check_arguments(**arguments)


def test_scrapy_crawl_generic_refuses_a_bad_host_in_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "scrapy", "crawl", "generic", "-a", "site=ok.ir,bad host"),
            *("-s", f"NEWSCRAWLER_OUTPUT_DIR={tmp_path}"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("newscrawler:")]
    assert errors == ["newscrawler: error: 'bad host' is not a host name or an http(s) URL"]
    assert not list(tmp_path.iterdir())  # nothing started
