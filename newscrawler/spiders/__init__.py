"""Site spiders: one module per news source, each only a profile (see ``base.py``)."""
