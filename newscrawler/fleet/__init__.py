"""Distributed mode (a fleet of workers): one frontier and one crawl state in Redis.

Off by default; on when ``REDIS_URL`` is set (Scrapy setting, or the environment variable of
the same name read by :mod:`newscrawler.settings`). With it off nothing here connects to Redis.

What is shared, in one Redis server (keys under ``NEWSCRAWLER_FLEET_PREFIX``, ``newscrawler``):

* the request queue and duplicate filter of each site (scrapy-redis' scheduler and priority
  queue: ``<prefix>:<site>:requests``, ``<prefix>:<site>:dupefilter``); fingerprints expire
  after ``NEWSCRAWLER_FLEET_FINGERPRINT_TTL`` seconds (:class:`ExpiringDupeFilter`);
* the seeds, JSON ``{"url": ..., "meta": {...}}`` in ``<prefix>:<site>:seeds`` (pushed by
  ``python -m newscrawler.fleet push``);
* the crawl state: every committed article (``<prefix>:art:<id>``), the URL keys that lead to
  it (``<prefix>:key:<site>:<key>``) and the cross-site keys (``<prefix>:seen:<key>``);
* the claims: before a worker writes an article it claims the article's keys (its id, news id,
  canonical URL, body hash) with one atomic Lua script (``SET ... PX`` on
  ``<prefix>:claim:<key>`` for all keys or none). Two workers therefore never write the same
  article. A claim is released when the file carrying the article is committed (the keys then
  become committed state) or when the worker closes. **A claim of a worker that dies expires
  after ``NEWSCRAWLER_FLEET_CLAIM_TTL`` seconds; a worker restarted with the same worker id
  (the same output directory) releases its own stale claims at once**, after reading back the
  files the dead run had renamed into place.

What is not shared: each worker writes its own files, manifests and local SQLite state under
its own ``NEWSCRAWLER_OUTPUT_DIR``, with the same ``.part`` → fsync → rename → commit rule; the
per-site ``flock`` guards that directory (crash recovery deletes ``.part`` files, which must be
the worker's own), so workers of one site need one directory each and never block each other.

The syndication index (near-duplicate stories) is shared too: with ``REDIS_URL`` set the
syndication pipeline keeps it in Redis (:mod:`newscrawler.syndication.redis_index`, keys
``<prefix>:synd:…``) instead of the worker's ``syndication.sqlite``."""
