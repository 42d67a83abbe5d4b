"""Turning one article page into an :class:`~newscrawler.items.Article` (no crawling here).

``article.extract_html`` is what a crawl runs, in its own process or on a worker process
(:mod:`newscrawler.crawl.extraction_pool`); ``article.extract_article``, which wraps it for a
response, is what ``python -m newscrawler extract`` and the golden tests use. So a saved page
and a crawled page give the same record.
"""
