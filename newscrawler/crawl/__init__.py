"""Middlewares for the hostile web: keep crawling, lose nothing, say what went wrong.

Scrapy already handles most faults of real news sites (see ``docs/faults.md`` for the table):
RetryMiddleware retries 5xx, 429, timeouts and dropped connections; RedirectMiddleware caps
redirect chains; ``DOWNLOAD_MAXSIZE`` cancels huge bodies; HttpErrorMiddleware turns 4xx into
errors. The code here covers what Scrapy gets wrong or does not see:

* :class:`StrictRobotsTxtMiddleware`: a robots.txt that fails to load (5xx, 429, no
  connection) means "disallow everything" (RFC 9309 §2.3.1.4), not "allow everything";
* :class:`RetryAfterMiddleware`: ``Retry-After`` on 429/503 pauses the host that long before
  the retry (Scrapy retries at once), and gives up when the wait is unreasonable;
* :class:`PageCheckMiddleware`: a 200 response that is not the page it claims to be: a PDF or
  image at an article URL, an anti-bot challenge (ArvanCloud «در حال بررسی مرورگر…»,
  Cloudflare) or a login wall, an article cut short, a page in windows-1256 that declares
  another charset (repaired with :mod:`newscrawler.persian.charset`);
* :class:`RedirectGuardMiddleware`: a redirect to another site or back into its own chain
  (Scrapy follows the first and silently dupe-filters the second);
* :class:`CrawlGuardMiddleware` (spider middleware): crawler traps (query strings that keep
  growing). Extracted articles are checked by the output-contract stage instead
  (:class:`newscrawler.pipelines.contract.ContractPipeline`: sanitizing, the body-selector
  health signal, the usability and schema checks).

Every page that does not become an article is counted once, by the spider's errback, under
``newscrawler/failed/<reason>`` (or ``newscrawler/skipped/<reason>`` when skipping it is policy,
as for robots.txt); :func:`failure_reason` names the reason. Signals that the site blocks us or
changed its layout are also counted under ``newscrawler/health/<signal>``."""
