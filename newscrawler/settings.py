"""Scrapy settings of newscrawler. Every ``NEWSCRAWLER_*`` setting is documented in README.md.

Defaults are for polite production crawls of real sites; tests and the offline demo turn the
delays off with ``-s``.
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
DEPTH_LIMIT = 20

# No remote code execution surfaces on an unattended crawler.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

ITEM_PIPELINES = {
    "newscrawler.pipelines.ValidatePipeline": 100,
    "newscrawler.pipelines.SchemaPipeline": 150,
    "newscrawler.pipelines.DedupePipeline": 200,
    "newscrawler.pipelines.StampPipeline": 300,
    "newscrawler.pipelines.JsonlStorePipeline": 900,
}
SPIDER_MIDDLEWARES = {
    "newscrawler.incremental.IncrementalMiddleware": 950,
}
EXTENSIONS = {
    "newscrawler.extensions.RunManifest": 500,
}

# Where articles go: <NEWSCRAWLER_OUTPUT_DIR>/<site>/date=<YYYY-MM-DD>/<run-id>.jsonl
NEWSCRAWLER_OUTPUT_DIR = "output"
# Crawl state (per-site SQLite, the cross-site index, locks); default <output>/.state.
NEWSCRAWLER_STATE_DIR = None
# Skip articles already delivered; revisit those published in the last N days at most every M h.
NEWSCRAWLER_INCREMENTAL = True
NEWSCRAWLER_REVISIT_DAYS = 2
NEWSCRAWLER_REVISIT_INTERVAL_HOURS = 6
# Commit (fsync + rename + state) the output file every N records: a kill loses at most N.
NEWSCRAWLER_FILE_MAX_ITEMS = 500
# Drop articles whose body has fewer words than this (menus and stubs are not articles).
NEWSCRAWLER_MIN_BODY_WORDS = 20

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0
