"""The schema check's fast path: the fastjsonschema-compiled schema says what jsonschema says.

Every golden record, stamped like the pipeline sees it, and many mutations of it (each field
emptied, mistyped, given markup, bidi or control characters, a trailing newline, a bad URL or
timestamp; keys added and removed) go through both validators; their verdicts must agree.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from itemadapter import ItemAdapter

from newscrawler.contract.schema import (
    _fast_copy,
    article_schema,
    fast_validator,
    first_violation,
    validator,
)
from newscrawler.items import Article, Image
from tests.support.golden import all_fixtures

STAMP = "2026-11-26T09:00:00+00:00"  # what the contract stage stamps: isoformat(timespec="seconds")


def golden_records() -> list[dict[str, Any]]:
    return [
        dict(fixture.spec()["expected"], crawled_at=STAMP)
        for fixture in all_fixtures()
        if fixture.kind == "article"
    ]


#: Values any field may be set to.
ANY_VALUE: list[Any] = [
    None,
    "",
    " ",
    0,
    1,
    -1,
    1.0,
    2.5,
    True,
    False,
    [],
    {},
    ["x"],
    ("x",),
    "<b>x</b>",
    "x>y",
    "متن\u200eبا علامت",
    "متن\u200f",
    "\ufeffمتن",
    "x\x07y",
    "x\x1fy",
    "x\ty",
    "x\ny",
    "x\r",
    "https://example.ir/a b",
    "ftp://example.ir/x",
    "https://",
    "/news/1",
    "irna:123",
    "IRNA",
    "nastooh",
    "fa",
    "2024-05-18T10:25:23+03:30",
    "a" * 64,
]

#: Values tried on fields of one kind, besides :data:`ANY_VALUE` and the field's own value
#: with a suffix.
TIMESTAMPS = [
    "2024-05-18",
    "2024-05-18T10:25:23",
    "2024-05-18T10:25:23Z",
    "2024-05-18T10:25:23+0330",
    "2024-05-18 10:25:23+03:30",
    "2024-05-18T10:25:23.5+03:30",
    "۲۰۲۴-۰۵-۱۸T۱۰:۲۵:۲۳+۰۳:۳۰",  # \d takes Persian digits in both validators
    "2024-05-18T10:25:23+03:30\n",
    "2024-05-18T10:25:23+03:30\n\n",
    "\n2024-05-18T10:25:23+03:30",
    "۱۴۰۳/۰۲/۲۹",
]
BY_FIELD: dict[str, list[Any]] = {
    "id": ["irna:", ":1", "IRNA:1", "irna:۱۲", "irna:a-b", "1rna:1", "irna_x:Ab9"],
    "site": ["Irna", "irna-x", "irna_2", "_irna"],
    "cms": ["NASTOOH", "nastooh ", "generic", "drupal"],
    "news_id": ["۱۲۳", "12a", "0", "12\n"],
    "source_agency": ["IRNA1", "ایرنا", "Irna", "ISNA\n"],
    "content_hash": ["A" * 64, "a" * 63, "a" * 65, "g" * 64, "a" * 64 + "\n"],
    "language": ["FA", "fa ", "en"],
    "schema_version": [2, 1.0, Decimal(1), "1", [1]],
    "word_count": [10**20, 3.0, float("nan"), float("inf"), "12", Decimal(3)],
    "version": [2, 2.0, 0.5],
    "url": ["https://example.ir/x\n", "http://x", "https://a\u00a0b", "https://a\tb", "//a"],
    "canonical_url": ["HTTPS://example.ir/x", "https:/example.ir"],
    "published_at_raw": ["anything <b>", "\x00"],
    "tags": [
        ["ok", ""],
        ["ok", None],
        ["<b>x</b>"],
        ["x\u200e"],
        ["x\x01"],
        [1],
        "قزوین",
        ("قزوین", "صنعت"),
        [["x"]],
    ],
    "images": [
        [{"url": "https://example.ir/a.jpg", "caption": None}],
        [{"url": "https://example.ir/a.jpg", "caption": ""}],
        [{"url": "https://example.ir/a.jpg", "caption": "<i>x</i>"}],
        [{"url": "https://example.ir/a.jpg"}],
        [{"caption": None}],
        [{"url": "https://example.ir/a.jpg", "caption": None, "alt": "x"}],
        [{"url": "/a.jpg", "caption": None}],
        [{"url": "https://example.ir/a.jpg\n", "caption": None}],
        [{}],
        ["https://example.ir/a.jpg"],
        ({"url": "https://example.ir/a.jpg", "caption": None},),
        [("https://example.ir/a.jpg", None)],
    ],
}
TIMESTAMP_FIELDS = ("published_at", "modified_at", "changed_at", "crawled_at")
#: The schema's free-text fields (its "text" and "optionalText" definitions).
TEXT_FIELDS = tuple(
    name
    for name, spec in article_schema()["properties"].items()
    if spec.get("$ref") in ("#/$defs/text", "#/$defs/optionalText")
)


def field_values(name: str, value: Any, share: slice = slice(None)) -> list[Any]:
    values = ANY_VALUE[share] + BY_FIELD.get(name, [])
    if name in TIMESTAMP_FIELDS:
        values = values + TIMESTAMPS
    if isinstance(value, str):
        values = [*values, value + "\n", value + "\n\n", value + "<", value[:1], value + "\u202b"]
    if name in TEXT_FIELDS and isinstance(value, str):
        values = [*values, value.replace(" ", "\n"), value.replace(" ", "\x0b")]
    return values


def mutations(record: dict[str, Any], share: slice = slice(None)) -> Iterator[dict[str, Any]]:
    """The record, then one change at a time (``share``: which of :data:`ANY_VALUE` to try)."""
    yield record
    for name, value in record.items():
        for new in field_values(name, value, share):
            yield {**record, name: new}
        yield {key: v for key, v in record.items() if key != name}  # a missing key
    yield {**record, "extra": None}
    yield {**record, "extra": "x"}


def random_mutations(records: list[dict[str, Any]], count: int) -> Iterator[dict[str, Any]]:
    """Two to four fields changed at once, most of them to values valid on their own."""
    rng = random.Random(20261126)
    pool = {
        name: [r[name] for r in records] + field_values(name, records[0][name])
        for name in records[0]
    }
    for _ in range(count):
        record = dict(rng.choice(records))
        for name in rng.sample(sorted(pool), rng.randint(2, 4)):
            record[name] = copy.deepcopy(rng.choice(pool[name]))
        yield record


def agrees(fast: bool, expected: bool, record: dict[str, Any]) -> bool:
    """The fast path never accepts what jsonschema rejects, and rejects nothing jsonschema
    accepts unless the record holds a number of another type than ``int`` (``1.0``,
    ``Decimal(1)``): fastjsonschema versions differ on those (2.22 compares a ``const`` by
    type), and the contract stage then asks jsonschema. A record from the pipeline has ints."""
    if fast:
        return expected
    odd_numbers = any(isinstance(value, (float, Decimal, Fraction)) for value in record.values())
    return not expected or odd_numbers


def test_the_fast_validator_agrees_with_jsonschema() -> None:
    check, fast = validator(), fast_validator()
    records = golden_records()
    assert len(records) >= 10
    verdicts: list[bool] = []
    for n, base in enumerate(records):
        # the first record gets every value of ANY_VALUE, the others a quarter of them in turn
        # (jsonschema takes half a millisecond a record)
        for record in mutations(base, slice(None) if n == 0 else slice(n % 4, None, 4)):
            expected = check.is_valid(record)
            assert agrees(fast(record), expected, record), record
            verdicts.append(expected)
    for record in random_mutations(records, 400):
        expected = check.is_valid(record)
        assert agrees(fast(record), expected, record), record
        verdicts.append(expected)
    assert verdicts.count(True) > 1000  # the ones with a field changed to another valid value
    assert verdicts.count(False) > 4000


def test_every_golden_record_passes_the_fast_path() -> None:
    fast = fast_validator()
    for record in golden_records():
        assert fast(record)
        # and as the contract stage builds it: an Article through ItemAdapter
        images = [Image(**image) for image in record["images"]]
        item = Article(**{**record, "images": images})
        assert fast(ItemAdapter(item).asdict())


def test_where_jsonschema_is_lenient_the_fast_path_is_too() -> None:
    """The translations the compiled copy needs (see
    :func:`newscrawler.contract.schema._fast_copy`)."""
    fast, check = fast_validator(), validator()
    record = golden_records()[0]
    for change in (
        {"url": record["url"] + "\n"},  # jsonschema's "$" matches before a final newline
    ):
        assert check.is_valid({**record, **change}), change
        assert fast({**record, **change}), change
    for change in (
        {"schema_version": True},  # True == 1 in Python, not in JSON Schema
        {"tags": tuple(record["tags"])},  # fastjsonschema takes a tuple as an array
        {"images": [tuple(record["images"])]},
        {"url": record["url"] + "\n\n"},
    ):
        assert not check.is_valid({**record, **change}), change
        assert not fast({**record, **change}), change


def test_the_fast_copy_keeps_the_schema_file_as_it_is() -> None:
    schema = article_schema()
    before = copy.deepcopy(schema)
    fast_schema, arrays = _fast_copy(schema, root=True)
    assert schema == before
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert fast_schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert arrays


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "format": "date-time"},  # formats are not translated
        {"$ref": "#/$defs/x", "minLength": 2},  # draft-07 would ignore minLength
        {"type": "string", "pattern": "^a$|^b$"},  # "$" before the end
        {"const": True},
        {"enum": [[1], [2]]},
        {"type": "array", "items": [{"type": "string"}]},
    ],
)
def test_an_untranslated_schema_is_refused(schema: dict[str, Any]) -> None:
    from newscrawler.contract.schema import _NotMatched

    with pytest.raises(_NotMatched):
        _fast_copy({"type": "object", "properties": {"x": schema}}, root=True)


def old_message(record: dict[str, Any]) -> str | None:
    """What the schema stage logged before the fast path: jsonschema's first error."""
    error = next(iter(validator().iter_errors(record)), None)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "record"
    return f"schema_invalid: {record.get('url')} ({where}: {error.message[:120]})"


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"title": "<b>عنوان</b>"},
        {"body": "متن\u200fبا علامت جهت"},
        {"published_at": "۱۴۰۳/۰۲/۲۹"},
        {"word_count": 0},
        {"tags": ["ok", ""]},
        {"tags": ("ok",)},
        {"schema_version": True},
        {"extra_field": 1},
        {"images": [{"url": "/a.jpg", "caption": None}]},
        {"word_count": Fraction(3)},  # the fast path says no, jsonschema decides
        {"schema_version": 1.0},  # numbers jsonschema equates with 1 (kept, whoever decides)
        {"schema_version": Decimal(1)},
        {"word_count": 12.0},
        {"url": "https://www.irna.ir/news/1\n"},
    ],
)
def test_the_contract_decides_and_words_violations_as_jsonschema_does(
    change: dict[str, Any],
) -> None:
    record = {**golden_records()[0], **change}
    expected = old_message(record)
    found = first_violation(record)
    if expected is None:
        assert found is None
        return
    assert f"schema_invalid: {record.get('url')} ({found})" == expected


def test_format_packages_say_which_formats_jsonschema_checks() -> None:
    """The fast path decides without importing jsonschema which formats it checks: the rule
    it copies (a format is checked when its optional package is installed) must still be
    jsonschema's, in this environment."""
    import importlib.util

    from jsonschema import Draft202012Validator

    from newscrawler.contract.schema import FORMAT_PACKAGES

    checkers = Draft202012Validator.FORMAT_CHECKER.checkers
    for name, package in FORMAT_PACKAGES.items():
        installed = importlib.util.find_spec(package) is not None
        assert (name in checkers) == installed, (name, package)
    # every format the schema uses is one the rule knows, or its records would all go the slow way
    used = set()
    stack: list[Any] = [article_schema()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                used.add(node["format"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    assert used
    assert used <= set(FORMAT_PACKAGES)


def test_a_format_the_rule_does_not_know_counts_as_checked() -> None:
    from newscrawler.contract.schema import _format_is_free

    assert not _format_is_free({"type": "string", "format": "email", "pattern": "@"})
    assert _format_is_free({"type": "string", "pattern": "@"})


def test_building_the_fast_path_does_not_import_jsonschema() -> None:
    """jsonschema is only needed for a rejected record's verdict; a crawl without one never
    imports it (124M instructions of every crawl's start)."""
    import subprocess
    import sys

    code = (
        "import sys; from newscrawler.contract import schema; "
        "schema.fast_validator(); print('jsonschema' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
