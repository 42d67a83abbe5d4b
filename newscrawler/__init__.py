"""newscrawler: Scrapy spiders for Persian regional news, cleaned with hazm, written as JSONL."""

__version__ = "0.1.0"
