"""Persian text: normalization (hazm), boilerplate rules, dates, charset repair.

The one place where article text is cleaned. Pure functions, no Scrapy: extraction wires them
into the item loader (:mod:`newscrawler.extraction.loader`).
"""
