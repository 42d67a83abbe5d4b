"""``make bench`` (``python -m tools.bench``, :mod:`tools.bench.__main__`): the local site, its
server, the ceiling spider, crawl measurement and in-process stage costs; the crawl state
(:mod:`tools.bench.state`), the syndication index (:mod:`tools.bench.syndication`) and a fleet
(:mod:`tools.bench.fleet`) at scale."""
