"""Command line: ``python -m newscrawler extract PAGE.html|URL [--site S] [--url U]`` and
``python -m newscrawler state show|reset|verify SITE``, ``load`` and ``schema`` (the warehouse:
docs/warehouse.md).

``extract`` prints the cleaned article JSON for one saved page or URL, with the same extraction
a crawl uses. Without ``--site`` the profile is chosen from the page's host (a known site), else
from its CMS fingerprint (generator metas, asset paths, markup), else the generic extractor.
``state show`` prints what the crawl state remembers of a site (articles, versions, committed
files, recent runs); ``state reset`` forgets it (refused while a run holds the site's lock);
``state verify`` checks the site's output tree against its manifests' SHA-256 (one line per
problem, exit status 1 when there is one). Errors are one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.http import HtmlResponse
from scrapy.utils.project import get_project_settings

from newscrawler.extraction.article import NotAnArticle, extract_article
from newscrawler.extraction.detect import detect_cms
from newscrawler.extraction.urls import same_site
from newscrawler.persian.dates import TEHRAN
from newscrawler.report.command import add_report_command
from newscrawler.sites import profiles
from newscrawler.sites.families import FAMILIES
from newscrawler.sites.profile import SiteProfile
from newscrawler.sites.registry import Source, counts, sources

USAGE_EXIT = 2
#: A reader that went away (``| head``): the shell's status for a process killed by SIGPIPE.
CLOSED_PIPE_EXIT = 141
#: The news id of an unknown site: the last numeric path segment, maybe followed by a slug.
GENERIC_ARTICLE_URL = r"/(?P<id>\d{3,})(?:[-/][^/]*[^\d/][^/]*)?/?$"
MAX_PAGE_BYTES = 8 * 1024 * 1024


class CliError(Exception):
    """A problem the user can fix; printed as one line."""


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
    known = profiles()
    if site:
        if site not in known:
            raise CliError(f"unknown site {site!r}; known sites: {', '.join(known)}")
        return known[site]
    for profile in known.values():
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
    try:
        article = extract_article(response, profile, now=datetime.now(TEHRAN))
    except NotAnArticle as exc:
        print(f"newscrawler: {response.url} is not an article page: {exc}", file=sys.stderr)
        return 1
    record = dataclasses.asdict(article)
    print(json.dumps(record, ensure_ascii=False, indent=None if args.compact else 2))
    if not article.title or not article.body:
        missing = "title" if not article.title else "body"
        print(f"newscrawler: warning: no {missing} found on {response.url}", file=sys.stderr)
        return 1
    return 0


def _site_paths(site: str, output_arg: str | None) -> tuple[Path, Path, str]:
    from newscrawler.state.layout import output_root, safe_token, state_dir

    settings = get_project_settings()
    if output_arg:
        settings.set("NEWSCRAWLER_OUTPUT_DIR", output_arg)
    if site not in profiles():
        raise CliError(f"unknown site {site!r}; known sites: {', '.join(sorted(profiles()))}")
    token = safe_token(site)
    return state_dir(settings), output_root(settings), token


def cmd_state(args: argparse.Namespace) -> int:
    """``state show|reset|verify SITE``: one function per action below."""
    root, output, site = _site_paths(args.site, args.output)
    if args.action == "show":
        return _state_show(root, output, site)
    if args.action == "verify":
        return _state_verify(root, output, site)
    return _state_reset(root, output, site, confirmed=args.yes)


#: What ``state show`` prints of each recent run's manifest.
_RUN_FIELDS = ("run_id", "finished_at", "finish_reason", "articles_written", "versions", "health")


def _state_show(root: Path, output: Path, site: str) -> int:
    """``state show``: the state file's counts and the recent runs, as JSON. Read-only, so it
    takes no lock; a site never crawled is reported, not an error."""
    from newscrawler.state.errors import StateError
    from newscrawler.state.layout import recent_manifests
    from newscrawler.state.ledger import Ledger

    if not (root / f"{site}.sqlite").exists():
        print(json.dumps({"site": site, "state": None, "note": "never crawled"}, indent=2))
        return 0
    try:
        ledger = Ledger(root, site, output / site)
    except StateError as exc:
        raise CliError(str(exc)) from None
    try:
        report = {
            "site": site,
            "state_file": str(ledger.state.path),
            **ledger.state.counts(),
            "recent_runs": [
                {k: run.get(k) for k in _RUN_FIELDS} for run in recent_manifests(output, site)
            ],
        }
    finally:
        ledger.close()
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def _state_verify(root: Path, output: Path, site: str) -> int:
    """``state verify``: every file the manifests (or the state) name, with their SHA-256, and
    every file nobody created; one line per problem on stdout, 1 when there is one."""
    from newscrawler.state.verify import verify_site

    checked, problems = verify_site(output, root, site)
    for problem in problems:
        print(problem)
    print(f"state verify {site}: {checked} file(s) checked, {len(problems)} problem(s)")
    return 1 if problems else 0


def _state_reset(root: Path, output: Path, site: str, *, confirmed: bool) -> int:
    """``state reset``: remove the site's state file and its keys in the shared index, under the
    site's lock so that a running crawl is never pulled from under. Committed output stays, and
    the message says what that means for the next run."""
    from newscrawler.state.errors import StateError
    from newscrawler.state.lock import SiteLock

    if not confirmed:
        raise CliError(f"state reset forgets everything delivered for {site}; add --yes to do it")
    lock = SiteLock(root / f"{site}.lock")
    try:
        lock.acquire()
    except StateError as exc:
        raise CliError(str(exc)) from None
    try:
        removed, forgotten = _forget_site(root, site)
    finally:
        lock.release()
    files = len(list((output / site).glob("date=*/*.jsonl")))
    print(f"reset {site}: state removed ({removed} file(s)), {forgotten} shared key(s) forgotten.")
    if files:
        print(
            f"{files} committed output file(s) remain under {output / site}: the next run reads "
            "them back into the state, so nothing is delivered twice. Move them away first to "
            "deliver everything again."
        )
    return 0


def _forget_site(root: Path, site: str) -> tuple[int, int]:
    """Delete the site's SQLite state (with its WAL and shared-memory files) and its keys in
    ``seen.sqlite``; the caller holds the site's lock. Returns the files removed and the shared
    keys forgotten."""
    from newscrawler.state.store import SharedIndex

    removed = 0
    for suffix in (".sqlite", ".sqlite-wal", ".sqlite-shm"):
        path = root / f"{site}{suffix}"
        if path.exists():
            path.unlink()
            removed += 1
    if (root / "seen.sqlite").exists():
        shared = SharedIndex(root / "seen.sqlite")
        forgotten = shared.forget_site(site)
        shared.close()
    else:
        forgotten = 0
    return removed, forgotten


def _crawl_with(line: Source) -> str:
    """The ``scrapy crawl`` arguments that crawl one source of ``sites``."""
    if line.type == "profile":
        return line.site
    if line.type == "desk":
        return f"{line.site} -a province={line.province}"
    return f"generic -a site={line.host}"


def cmd_sites(args: argparse.Namespace) -> int:
    """``sites [--province SLUG] [--json]``: every source of regional news, one per line, by
    province: profiled sites (their province, or ``national``), each agency's provincial desks
    and the registry's portals, with the CMS family and what to crawl them with; then the count
    per province and the provinces with fewer than two sources, so a gap in coverage shows. A
    bad registry row or an unknown province is one line and exit status 2."""
    try:
        found = sources(args.province)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    total = counts(found)
    if args.province:
        total = {args.province: total[args.province]}
    short = [slug for slug, count in total.items() if count < 2]
    if args.json:
        lines = [{**line._asdict(), "crawl": _crawl_with(line)} for line in found]
        report = {"sources": lines, "counts": total, "fewer_than_two": short}
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for line in found:
        print(
            f"{line.province:<16} {line.type:<11} {line.host:<26} {line.cms:<12} "
            f"{_crawl_with(line):<44} {line.name}"
        )
    print()
    for slug, count in total.items():
        print(f"sources {slug:<16} {count}")
    print(f"provinces with fewer than 2 sources: {', '.join(short) or 'none'}")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    """``load [OUTPUT ...] [--db PATH] [--parquet DIR]``: the files the run manifests name,
    not loaded yet, into DuckDB (docs/warehouse.md). A refused manifest is one line on stderr
    and exit status 1; no manifests or a database in use: one line, exit status 2."""
    from newscrawler import settings as defaults
    from newscrawler.warehouse.loader import DEFAULT_DB, LoadError, connect, load, summary

    # outside the project (no scrapy.cfg) Scrapy's project settings are empty: the default
    configured = get_project_settings().get("NEWSCRAWLER_OUTPUT_DIR")
    roots = [Path(p) for p in args.outputs] or [Path(configured or defaults.NEWSCRAWLER_OUTPUT_DIR)]
    db = Path(args.db) if args.db else roots[0] / DEFAULT_DB
    try:
        report = load(roots, db, Path(args.parquet) if args.parquet else None)
        con = connect(db)
    except LoadError as exc:
        raise CliError(str(exc)) from None
    try:
        rows, latest = summary(con)
    finally:
        con.close()
    for line in report.refused:
        print(f"newscrawler: {line}", file=sys.stderr)
    exported = f", {report.exported} Parquet file(s) written" if args.parquet else ""
    print(
        f"load: {report.manifests} manifest(s), {report.files} file(s) and {report.rows} "
        f"record(s) loaded, {report.skipped} file(s) already loaded, {len(report.refused)} "
        f"refused{exported}; {db}: {rows} row(s), {latest} in articles_latest"
    )
    return 1 if report.refused else 0


def cmd_schema(args: argparse.Namespace) -> int:
    """``schema --dialect duckdb|bigquery|clickhouse|postgres``: the article table's definition
    generated from the JSON Schema (BigQuery: the JSON schema file of ``bq load``)."""
    from newscrawler.warehouse.types import definition

    print(definition(args.dialect), end="")
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
    state = commands.add_parser(
        "state", help="show, reset or verify what a site's crawl state holds"
    )
    state.add_argument("action", choices=("show", "reset", "verify"))
    state.add_argument("site", help="site name (scrapy list)")
    state.add_argument("--yes", action="store_true", help="confirm a reset")
    state.add_argument("--output", help="output directory (default: NEWSCRAWLER_OUTPUT_DIR)")
    state.set_defaults(func=cmd_state)
    sites = commands.add_parser(
        "sites", help="list every source by province: profiles, agency desks, registry portals"
    )
    sites.add_argument("--province", help="only this province (a slug: qazvin, kerman, …)")
    sites.add_argument("--json", action="store_true", help="one JSON document, for machines")
    sites.set_defaults(func=cmd_sites)
    load = commands.add_parser(
        "load", help="load the files run manifests name into DuckDB (and Parquet), once"
    )
    load.add_argument(
        "outputs", nargs="*", help="output directories (default: NEWSCRAWLER_OUTPUT_DIR)"
    )
    load.add_argument("--db", help="DuckDB file (default: <first output>/warehouse.duckdb)")
    load.add_argument("--parquet", metavar="DIR", help="also export Parquet (site=/crawl_date=)")
    load.set_defaults(func=cmd_load)
    schema = commands.add_parser("schema", help="print the article table for a warehouse")
    schema.add_argument(
        "--dialect", required=True, choices=("duckdb", "bigquery", "clickhouse", "postgres")
    )
    schema.set_defaults(func=cmd_schema)
    add_report_command(commands)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"newscrawler: error: {exc}", file=sys.stderr)
        return USAGE_EXIT
    except BrokenPipeError:  # `… | head` stopped reading: not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the flush at exit
        return CLOSED_PIPE_EXIT
