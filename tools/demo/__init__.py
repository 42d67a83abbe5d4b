"""The offline demo: five Persian news sources served on 127.0.0.1 and crawled for real.

``python -m tools.demo`` (``make demo``) builds the sources (:mod:`.site`), serves them
(:mod:`.server`) and runs one ``scrapy crawl <site> -a base_url=…`` per source. Nothing here
extracts or cleans text: the crawls run exactly the code a crawl of the real sites runs.
"""
