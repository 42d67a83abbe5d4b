"""``python -m newscrawler.fleet push|status|clear``: feed and inspect a fleet of workers.

``push SITE [--province P] [--section S] [--base-url U] [--sources ...]`` pushes the start URLs a
local run of the site would use (sitemaps, feeds, listing entry points; with ``--province`` the
province's listing only) as JSON seeds ``{"url": ..., "meta": {...}}`` onto
``<prefix>:<site>:seeds``; running workers of that site pick them up. ``--fresh`` first deletes
the site's queue and duplicate filter (a new round: do it only while the site's workers are
idle or stopped). ``status SITE`` prints the queue, seed and fingerprint counts. ``clear SITE
--yes`` deletes the site's frontier (queue, duplicate filter, seeds), not the crawl state.

The Redis URL comes from ``--redis-url``, else ``REDIS_URL`` (environment, then settings).
Errors are one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import redis
from scrapy.utils.project import get_project_settings

from newscrawler.fleet.config import connect, prefix, redis_url
from newscrawler.fleet.seeds import frontier_keys, push_seeds, seeds
from newscrawler.spiders.arguments import SpiderArgumentError
from newscrawler.spiders.news import NewsSpider
from newscrawler.spiders.profiled import SPIDERS

USAGE_EXIT = 2


class FleetError(Exception):
    """A problem the user can fix; printed as one line."""


def spider_class(site: str) -> type[NewsSpider]:
    """The site's spider (the registry's, as ``scrapy crawl`` loads it in local mode)."""
    if site not in SPIDERS:
        raise FleetError(f"unknown site {site!r}; known sites: {', '.join(sorted(SPIDERS))}")
    return SPIDERS[site]


def server_for(args: argparse.Namespace) -> tuple[Any, str]:
    settings = get_project_settings()
    url = args.redis_url or redis_url(settings)
    if not url:
        raise FleetError("no Redis: set REDIS_URL or pass --redis-url redis://host:port/0")
    return connect(url), prefix(settings)


def cmd_push(args: argparse.Namespace) -> int:
    cls = spider_class(args.site)
    arguments = {
        "province": args.province,
        "section": args.section,
        "base_url": args.base_url,
        "sources": args.sources,
    }
    try:
        items = seeds(cls, **arguments)
    except SpiderArgumentError as exc:
        raise FleetError(str(exc)) from None
    server, key_prefix = server_for(args)
    if args.fresh:
        server.delete(*frontier_keys(key_prefix, args.site))
    queued = push_seeds(server, key_prefix, args.site, items)
    print(f"pushed {len(items)} seed(s) for {args.site}; {queued} waiting")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    server, key_prefix = server_for(args)
    requests, dupefilter, seed_key, busy = frontier_keys(key_prefix, args.site)
    print(
        json.dumps(
            {
                "site": args.site,
                "seeds": server.llen(seed_key),
                "queued_requests": server.zcard(requests),
                "fingerprints": server.zcard(dupefilter),
                "fleet_active_at": server.get(busy),
            }
        )
    )
    return 0


def cmd_clear(args: argparse.Namespace) -> int:
    if not args.yes:
        raise FleetError(f"clear deletes the queue and duplicate filter of {args.site}; add --yes")
    server, key_prefix = server_for(args)
    removed = server.delete(*frontier_keys(key_prefix, args.site))
    print(f"cleared {args.site}: {removed} key(s) deleted (the crawl state is kept)")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m newscrawler.fleet", description=__doc__)
    main.add_argument("--redis-url", help="redis://host:port/db (default: REDIS_URL)")
    commands = main.add_subparsers(dest="command", required=True)
    push = commands.add_parser("push", help="push a site's start URLs as seeds")
    push.add_argument("site")
    push.add_argument("--province", help="only this province's listing")
    push.add_argument("--section", help="only this section's listing")
    push.add_argument("--base-url", help="a mirror of the site (the demo, a test server)")
    push.add_argument("--sources", help="comma list of listing, feed, sitemap")
    push.add_argument("--fresh", action="store_true", help="new round: clear queue and filter")
    push.set_defaults(func=cmd_push)
    status = commands.add_parser("status", help="queue, seeds and fingerprints of a site")
    status.add_argument("site")
    status.set_defaults(func=cmd_status)
    clear = commands.add_parser("clear", help="delete a site's frontier (not its state)")
    clear.add_argument("site")
    clear.add_argument("--yes", action="store_true")
    clear.set_defaults(func=cmd_clear)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except FleetError as exc:
        print(f"newscrawler.fleet: error: {exc}", file=sys.stderr)
        return USAGE_EXIT
    except redis.RedisError as exc:
        print(f"newscrawler.fleet: error: Redis: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
