"""Scrapy settings of newscrawler: the one place where every default is declared.

Every ``NEWSCRAWLER_*`` setting is declared here with its default and a comment, and documented
in docs/operations.md; components read them without fallbacks of their own. Defaults are for
polite production crawls of real sites; tests and the offline demo turn the delays off with
``-s``.
"""

BOT_NAME = "newscrawler"
SPIDER_MODULES = ["newscrawler.spiders"]
NEWSPIDER_MODULE = "newscrawler.spiders"
COMMANDS_MODULE = "newscrawler.commands"

# Politeness: identify ourselves, obey robots.txt, adapt to the server.
USER_AGENT = (
    "Mozilla/5.0 (compatible; newscrawler/0.1; +https://github.com/newscrawler/newscrawler)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Limits: news pages are small; anything bigger is not an article.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
# A safety net against link chains, counted (newscrawler/skipped/depth_limit): listing
# pagination adds no depth (max_pages bounds it, whatever its value) and nested sitemaps are
# bounded by NEWSCRAWLER_SITEMAP_MAX_DEPTH, so a crawl of a profile never reaches it.
DEPTH_LIMIT = 20
# Scrapy's default (2,083 characters); longer links are counted (newscrawler/skipped/url_too_long).
URLLENGTH_LIMIT = 2083

# A dropped item is one log line (id, reason, URL), not the item (crawl/log_format.py).
LOG_FORMATTER = "newscrawler.crawl.log_format.OneLineLogFormatter"

# No remote code execution surfaces on an unattended crawler.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

ITEM_PIPELINES = {
    # sanitize, count coverage, validate, crawled_at, JSON Schema: the output contract
    "newscrawler.pipelines.contract.ContractPipeline": 100,
    "newscrawler.pipelines.dedupe.DedupePipeline": 200,
    # after exact dedupe, before the store
    "newscrawler.syndication.pipeline.SyndicationPipeline": 250,
    "newscrawler.pipelines.store.JsonlStorePipeline": 900,
}
SPIDER_MIDDLEWARES = {
    # Scrapy's depth and URL-length limits, counted under newscrawler/skipped/ (crawl/limits.py)
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "newscrawler.crawl.limits.CountedDepthMiddleware": 900,
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "newscrawler.crawl.limits.CountedUrlLengthMiddleware": 800,
    "newscrawler.crawl.incremental.IncrementalMiddleware": 950,
    # Crawler traps: query strings that keep growing (docs/faults.md).
    "newscrawler.crawl.guard.CrawlGuardMiddleware": 600,
}
# Faults of real sites that Scrapy's own middlewares do not handle (docs/faults.md). Numbers
# place them among Scrapy's: process_response runs from high to low.
DOWNLOADER_MIDDLEWARES = {
    # No connection to loopback/private/link-local/reserved addresses (SSRF), checked on the
    # resolved address at connect time; first, so robots.txt of such a host is not fetched either.
    "newscrawler.crawl.network_guard.NetworkGuardMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newscrawler.crawl.robots.StrictRobotsTxtMiddleware": 100,  # RFC 9309 failure rules
    "newscrawler.crawl.retry_after.RetryAfterMiddleware": 560,  # before RetryMiddleware (550)
    # after decompression, before meta refresh
    "newscrawler.crawl.page_check.PageCheckMiddleware": 585,
    "newscrawler.crawl.redirects.RedirectGuardMiddleware": 610,  # before RedirectMiddleware (600)
}
EXTENSIONS = {
    # Owns the crawl ledger: opens it (lock, crash recovery) when the spider opens, closes it
    # when the spider closes, before RunManifest writes the manifest.
    "newscrawler.state.ledger.CrawlLedger": 400,
    "newscrawler.state.manifest.RunManifest": 500,
    "newscrawler.crawl.gc_freeze.GcFreeze": 900,  # start-up objects out of the collector's way
}

# Private networks a crawl may connect to anyway, e.g. "127.0.0.1" for the offline demo or a
# local mirror (-a base_url=http://127.0.0.1:8080/), "127.0.0.1:8080" for one port only,
# "10.0.0.0/8", "[::1]:8080". Empty: public addresses only.
NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS: list[str] = []

# Where articles go: <NEWSCRAWLER_OUTPUT_DIR>/<site>/date=<YYYY-MM-DD>/<run-id>.jsonl
NEWSCRAWLER_OUTPUT_DIR = "output"
# Crawl state (per-site SQLite, the cross-site index, locks); default <output>/.state.
NEWSCRAWLER_STATE_DIR = None
# The ledger class (what was delivered, claims, commits); fleet workers use
# newscrawler.fleet.ledger.RedisLedger (set for them when REDIS_URL is set).
NEWSCRAWLER_LEDGER_CLASS = "newscrawler.state.ledger.Ledger"
# Skip articles already delivered; revisit those published in the last N days at most every M h.
NEWSCRAWLER_INCREMENTAL = True
NEWSCRAWLER_REVISIT_DAYS = 2
NEWSCRAWLER_REVISIT_INTERVAL_HOURS = 6
# Write articles at all (JsonlStorePipeline); off only for tools that measure the other stages.
NEWSCRAWLER_STORE_ENABLED = True
# Commit (fsync + rename + state) the output file every N records: a kill loses at most N.
NEWSCRAWLER_FILE_MAX_ITEMS = 500
# Drop articles whose body has fewer words than this (menus and stubs are not articles).
NEWSCRAWLER_MIN_BODY_WORDS = 20
# Longest text kept per field, in characters (issue 14: a page held a 5 MB title); a longer
# value is cut at a word and counted (newscrawler/truncated/<field>). TITLE: title, kicker,
# subtitle; LEAD: lead and each image caption; BODY: the body (the longest real articles, laws
# and reports, are under 100,000); SHORT: section, province, author, publisher,
# published_at_raw and each tag.
NEWSCRAWLER_MAX_TITLE_CHARS = 1_000
NEWSCRAWLER_MAX_LEAD_CHARS = 5_000
NEWSCRAWLER_MAX_BODY_CHARS = 300_000
NEWSCRAWLER_MAX_SHORT_CHARS = 300
# Republished copies (issue 5, docs/syndication.md): marked with duplicate_of, or dropped as
# "syndicated" when DROP is true; THRESHOLD is the calibrated MinHash similarity of a copy.
NEWSCRAWLER_SYNDICATION_ENABLED = True
NEWSCRAWLER_SYNDICATION_DROP = False
# 0.27: calibrated on tests/fixtures/_syndication/pairs.jsonl (docs/syndication.md); the same
# value as newscrawler.syndication.minhash.DEFAULT_THRESHOLD (tests/test_syndication.py checks).
NEWSCRAWLER_SYNDICATION_THRESHOLD = 0.27
# Extraction on the other CPU cores (newscrawler/crawl/extraction_pool.py): worker processes start
# once the crawl extracts POOL_RATE articles within a second (a polite crawl never does; 0:
# start with the crawl) and has POOL_WORK seconds of extraction ahead, queued and expected
# (newscrawler/crawl/pool_start.py; 0.8 s of CPU: at least a worker's start-up, so a short crawl
# never starts one; 0: the rate alone).
# WORKERS None: one per core beyond the first (at most 4); 0: always in the crawl process.
NEWSCRAWLER_EXTRACT_WORKERS = None
NEWSCRAWLER_EXTRACT_POOL_RATE = 10
NEWSCRAWLER_EXTRACT_POOL_WORK = 0.8
# gc.freeze() once the engine has started (start-up objects out of the collector's way), and
# the collector's first threshold (0: Python's own).
NEWSCRAWLER_GC_FREEZE = True
NEWSCRAWLER_GC_THRESHOLD = 0
# Longest Retry-After honoured (seconds); a longer one gives the page up as rate_limited.
NEWSCRAWLER_RETRY_AFTER_MAX = 120
# Longer query strings are crawler traps (calendars, session ids, filters).
NEWSCRAWLER_MAX_QUERY_LENGTH = 255
# Discovery budgets (newscrawler/spiders/discovery.py, docs/faults.md): one hostile page must not
# make unbounded work. What is cut is counted under newscrawler/skipped/<reason> and warned about
# once per run.
# Sitemap documents (indexes and urlsets, the site's own included) requested per run
# (skipped/sitemap_budget): an index naming new indexes at every level is a trap.
NEWSCRAWLER_SITEMAP_MAX_DOCUMENTS = 500
# How deep sitemap indexes may nest below the site's own sitemaps (skipped/sitemap_depth):
# 1 is index → urlset; real sites use 1 or 2.
NEWSCRAWLER_SITEMAP_MAX_DEPTH = 3
# Article links taken from one listing, feed or sitemap page, in page order
# (skipped/links_per_page): a listing shows tens, a Google News sitemap at most 1,000, Yoast's
# sitemaps 1,000 (the sitemap protocol allows 50,000; a 100,000-link page is a trap).
NEWSCRAWLER_MAX_LINKS_PER_PAGE = 1000

# Scrapy runs this many tasks per response to take its callback's output; a callback here
# yields one article or a page of links, and the pipelines are synchronous: 100 (the default)
# only adds task churn (~0.7 ms of CPU per response, measured with make bench).
CONCURRENT_ITEMS = 4

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0

# Distributed mode (issue 6, docs/fleet.md): on when REDIS_URL is set
# here, with -s, or as an environment variable; off (None) nothing connects to Redis. Then the
# spider loader makes every news spider a worker reading seeds from Redis (newscrawler/fleet/).
REDIS_URL = None
SPIDER_LOADER_CLASS = "newscrawler.fleet.loader.FleetSpiderLoader"
NEWSCRAWLER_FLEET_PREFIX = "newscrawler"  # Redis key prefix of the fleet
NEWSCRAWLER_WORKER_ID = None  # None: host name + digest of the state directory
NEWSCRAWLER_FLEET_IDLE_SECONDS = 30  # a worker closes once the site's fleet is idle this long
NEWSCRAWLER_FLEET_CLAIM_TTL = 3600  # a dead worker's article claims expire after this (s)
NEWSCRAWLER_FLEET_FINGERPRINT_TTL = 3600  # request fingerprints are forgotten after this (s)
NEWSCRAWLER_FLEET_POLL_SECONDS = 0.5  # how often an idle worker looks at the shared queue
