"""Turning one article page into an :class:`~newscrawler.items.Article` (no crawling here).

``article.extract_article`` is used both by the spiders and by ``python -m newscrawler extract``,
so a saved page and a crawled page give the same record.
"""
