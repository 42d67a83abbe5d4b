"""Tools around newscrawler that are not part of the crawler: the offline demo site, the
benchmark and evaluation scripts. Run from the repository root (``make demo``, ``make bench``,
``make eval``); not installed with the package."""
