"""Command line: ``python -m newscrawler extract PAGE.html|URL [--site S] [--url U]``.

``extract`` prints the cleaned article JSON for one saved page or URL, with the same extraction
a crawl uses. Without ``--site`` the profile is chosen from the page's host (a known site), else
from its CMS fingerprint (generator metas, asset paths, markup), else the generic extractor.
Errors are one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.http import HtmlResponse
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from newscrawler.dates import TEHRAN
from newscrawler.extraction.article import extract_article
from newscrawler.extraction.detect import detect_cms
from newscrawler.extraction.urls import same_site
from newscrawler.families import FAMILIES
from newscrawler.profiles import SiteProfile
from newscrawler.spiders.base import NewsSpider

USAGE_EXIT = 2
#: The news id of an unknown site: the last numeric path segment, maybe followed by a slug.
GENERIC_ARTICLE_URL = r"/(?P<id>\d{3,})(?:[-/][^/]*[^\d/][^/]*)?/?$"
MAX_PAGE_BYTES = 8 * 1024 * 1024


class CliError(Exception):
    """A problem the user can fix; printed as one line."""


def site_profiles() -> dict[str, SiteProfile]:
    """Every registered site's profile, by spider name."""
    loader = SpiderLoader.from_settings(get_project_settings())
    profiles = {}
    for name in loader.list():
        cls = loader.load(name)
        if issubclass(cls, NewsSpider):
            profiles[name] = cls.profile
    return profiles


def family_profile(family: str, url: str) -> SiteProfile:
    """A profile for a page of an unknown site built on a known CMS family (or none)."""
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}" if parts.netloc else "https://unknown.invalid"
    return SiteProfile(
        name=family,
        title=parts.hostname or "unknown",
        cms=family,
        base_url=base,
        selectors=FAMILIES[family],
        article_url=GENERIC_ARTICLE_URL,
        generic_fallback=True,
    )


def choose_profile(response: HtmlResponse, site: str | None) -> SiteProfile:
    profiles = site_profiles()
    if site:
        if site not in profiles:
            raise CliError(f"unknown site {site!r}; known sites: {', '.join(sorted(profiles))}")
        return profiles[site]
    for profile in profiles.values():
        if same_site(response.url, profile.domain):
            return profile
    family, _ = detect_cms(Selector(text=response.text))
    return family_profile(family, response.url)


def load_page(source: str, url: str | None, encoding: str | None) -> HtmlResponse:
    """A response for a saved file or a URL (fetched once, with the project's User-Agent)."""
    headers: dict[str, str] = {}
    if urlsplit(source).scheme in ("http", "https"):
        user_agent = get_project_settings().get("USER_AGENT")
        request = urllib.request.Request(source, headers={"User-Agent": user_agent})
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                body = reply.read(MAX_PAGE_BYTES + 1)
                headers = {"Content-Type": reply.headers.get("Content-Type", "text/html")}
                page_url = reply.geturl()
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise CliError(f"cannot fetch {source}: {getattr(exc, 'reason', exc)}") from None
    else:
        path = Path(source)
        if not path.is_file():
            raise CliError(f"no such file: {source}")
        body = path.read_bytes()
        page_url = url or ""
    if len(body) > MAX_PAGE_BYTES:
        raise CliError(f"{source} is larger than {MAX_PAGE_BYTES} bytes; not an article page")
    if not page_url:
        probe = Selector(text=body.decode("utf-8", "replace"))
        page_url = (
            probe.xpath("//link[@rel='canonical']/@href").get()
            or probe.xpath("//meta[@property='og:url']/@content").get()
            or Path(source).resolve().as_uri()
        )
    return HtmlResponse(url=page_url, body=body, headers=headers, encoding=encoding)


def cmd_extract(args: argparse.Namespace) -> int:
    response = load_page(args.page, args.url, args.encoding)
    profile = choose_profile(response, args.site)
    article = extract_article(response, profile, now=datetime.now(TEHRAN))
    record = dataclasses.asdict(article)
    print(json.dumps(record, ensure_ascii=False, indent=None if args.compact else 2))
    if not article.title or not article.body:
        missing = "title" if not article.title else "body"
        print(f"newscrawler: warning: no {missing} found on {response.url}", file=sys.stderr)
        return 1
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m newscrawler", description=__doc__.split("\n")[0])
    commands = main.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="print the article JSON of one page or URL")
    extract.add_argument("page", help="a saved HTML file or an http(s) URL")
    extract.add_argument("--site", help="site profile to use (default: detect)")
    extract.add_argument("--url", help="the URL a saved page came from")
    extract.add_argument("--encoding", help="charset of a saved page (default: detect)")
    extract.add_argument("--compact", action="store_true", help="one line of JSON")
    extract.set_defaults(func=cmd_extract)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"newscrawler: error: {exc}", file=sys.stderr)
        return USAGE_EXIT
