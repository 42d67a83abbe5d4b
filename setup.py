"""Shim for ``scrapyd-deploy``, which builds the project's egg with ``python setup.py bdist_egg``
(without this file it would write its own ``setup.py`` here). Everything else, the package data
and the ``scrapy`` entry point scrapyd reads the settings module from included, is declared in
pyproject.toml; ``pip install`` does not need this file.
"""

from setuptools import setup

setup()
