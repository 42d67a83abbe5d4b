"""The JSON Schema of the article record (draft 2020-12), shipped inside the package.

Read with :mod:`importlib.resources` so it also works from a zipped egg (scrapyd).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def article_schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("article.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validator() -> Any:
    """A validator for article records (format checks for dates and URIs included)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        article_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
