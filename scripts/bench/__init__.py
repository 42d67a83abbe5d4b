"""The pieces of ``make bench`` (``scripts/bench.py``): the local site, its server, the ceiling
spider, crawl measurement and in-process stage costs."""
