"""The JSON Schema of the article record (draft 2020-12), shipped inside the package.

Read with :mod:`importlib.resources` so it also works from a zipped egg (scrapyd).

Two validators read it: :func:`validator` (jsonschema, the authority: its error messages are
what a dropped record is logged with) and :func:`fast_validator` (the same schema compiled to
Python code by fastjsonschema, about ten times faster). A record the fast one accepts is valid;
one it rejects is handed to jsonschema for the verdict and the message.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
from collections.abc import Callable
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


@lru_cache(maxsize=1)
def fast_validator() -> Callable[[Any], bool]:
    """``record -> bool``: True only for records :func:`validator` finds valid.

    Compiled once per process. False means "invalid" for every record jsonschema rejects, and
    for a few odd valid ones (values that are not plain JSON types): ask :func:`validator`.
    If the schema uses a keyword whose meaning has not been matched to jsonschema's below, the
    function always answers False, so every record goes to jsonschema.
    """
    try:
        schema, arrays = _fast_copy(article_schema(), root=True)
    except _NotMatched:
        return _never
    schema = _inline_refs(schema, schema.get("$defs", {}))
    _merge_nullable(schema)
    import fastjsonschema  # type: ignore[import-untyped]

    check = fastjsonschema.compile(schema, use_default=False, use_formats=False)

    def is_valid(record: Any) -> bool:
        try:
            check(record)
        except Exception:  # a rejection, or a value its generated code cannot handle
            return False
        # fastjsonschema takes a tuple for an array, jsonschema only a list (the record is a
        # dict now: it passed the "object" check)
        return not (arrays and _holds_tuple(record))

    return is_valid


def _never(record: Any) -> bool:
    return False


class _NotMatched(Exception):
    """The schema uses something :func:`_fast_copy` does not translate."""


#: Keywords on which fastjsonschema's draft-07 code and jsonschema's draft 2020-12 agree for
#: every value, given the changes :func:`_fast_copy` makes (``$defs`` is not a draft-07
#: keyword, but ``$ref`` JSON pointers into it resolve all the same).
_MATCHED = frozenset(
    {
        "$schema", "$id", "$defs", "$ref", "title", "description",
        "type", "properties", "additionalProperties", "required", "items",
        "anyOf", "const", "enum", "pattern", "minLength", "minimum", "format",
    }
)  # fmt: skip
#: JSON types of the const and enum values translated (booleans, arrays, objects are not).
_KINDS: dict[type, str] = {str: "string", int: "number", float: "number", type(None): "null"}
_DOLLAR = re.compile(r"(?<!\\)\$")  # fastjsonschema turns every unescaped $ into \Z
_DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def _fast_copy(node: Any, root: bool = False) -> tuple[Any, bool]:
    """A copy of a schema node for fastjsonschema, and whether it has an array type.

    * ``$schema`` becomes draft-07, the newest draft fastjsonschema implements;
    * a pattern's final ``$`` becomes ``\\n?$``: jsonschema's ``re.search`` lets ``$`` match
      before a final newline, fastjsonschema compiles ``$`` as ``\\Z``;
    * a numeric ``const`` or ``enum`` without a ``type`` gets one (``"number"``, and the JSON
      types of its other values), which excludes booleans: fastjsonschema compares with ``!=``
      and ``in`` (``True == 1``), jsonschema tells booleans from numbers.
    """
    if isinstance(node, bool):
        return node, False
    if not isinstance(node, dict) or not set(node) <= _MATCHED or not _format_is_free(node):
        raise _NotMatched(node)
    if "$ref" in node and len(node) > 1:
        raise _NotMatched(node)  # draft-07 ignores the siblings of $ref, 2020-12 applies them
    if ("$schema" in node or "$id" in node) and not root:
        raise _NotMatched(node)
    out: dict[str, Any] = {}
    arrays = node.get("type") == "array" or (
        isinstance(node.get("type"), list) and "array" in node["type"]
    )
    for key, value in node.items():
        if key in ("properties", "$defs"):
            out[key] = {}
            for name, sub in value.items():
                out[key][name], has = _fast_copy(sub)
                arrays |= has
        elif key in ("additionalProperties", "items"):
            if isinstance(value, list):
                raise _NotMatched(node)  # items as a list: tuple validation in draft-07
            out[key], arrays_below = _fast_copy(value)
            arrays |= arrays_below
        elif key == "anyOf":
            out[key] = []
            for sub in value:
                copied, has = _fast_copy(sub)
                out[key].append(copied)
                arrays |= has
        elif key == "pattern":
            ends = [m.start() for m in _DOLLAR.finditer(value)]
            if ends and ends != [len(value) - 1]:
                raise _NotMatched(node)
            out[key] = value[:-1] + "\\n?$" if ends else value
        elif key in ("const", "enum"):
            values = value if key == "enum" else [value]
            kinds = {_KINDS.get(type(v)) for v in values}
            if None in kinds:
                raise _NotMatched(node)  # bool, list, object: jsonschema's equality differs
            out[key] = copy.deepcopy(value)
            if "number" in kinds and "type" not in node:
                out["type"] = sorted(kinds)  # "number" and "integer" exclude booleans
            elif "number" in kinds and "boolean" in node["type"]:
                raise _NotMatched(node)
        elif key != "format":  # a format left out: see _format_is_free
            out[key] = copy.deepcopy(value)
    if root:
        out["$schema"] = _DRAFT_07
    return out, arrays


#: What a string schema may hold to be merged with ``{"type": "null"}``: keywords that
#: apply to strings only.
_STRING_ONLY = frozenset({"type", "minLength", "pattern"})


def _inline_refs(node: Any, defs: dict[str, Any], depth: int = 0) -> Any:
    """The fast copy with each ``{"$ref": "#/$defs/X"}`` replaced by a copy of ``X``.

    fastjsonschema calls a function per ``$ref`` and, inside an array, names the item for its
    error message before the call, with ``str.format(**locals())`` over the validator's
    hundred locals: 14 µs for each tag and image of every record."""
    if depth > 20:
        raise _NotMatched(node)  # a recursive definition: keep the $ref
    if isinstance(node, list):
        return [_inline_refs(sub, defs, depth) for sub in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
        return _inline_refs(copy.deepcopy(defs[ref.removeprefix("#/$defs/")]), defs, depth + 1)
    return {key: _inline_refs(value, defs, depth) for key, value in node.items()}


def _merge_nullable(node: Any) -> None:
    """Rewrite, in place in the fast copy, ``anyOf: [S, {"type": "null"}]`` (S a string
    schema) as ``S`` with ``"type": ["string", "null"]``.

    The same values pass: ``minLength`` and ``pattern`` apply to strings only. fastjsonschema
    checks an ``anyOf`` by trying each branch and catching the exception of the one that
    fails, and an article has a dozen optional fields, null or not."""
    if isinstance(node, list):
        for sub in node:
            _merge_nullable(sub)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _merge_nullable(value)
    branches = node.get("anyOf")
    if not (isinstance(branches, list) and len(branches) == 2 and {"type": "null"} in branches):
        return
    other = branches[1 - branches.index({"type": "null"})]
    if isinstance(other, dict) and other.get("type") == "string" and set(other) <= _STRING_ONLY:
        del node["anyOf"]
        node.update({**other, "type": ["string", "null"]})


#: Formats jsonschema checks only when an optional package is installed, and that package
#: (``jsonschema/_format.py``; ``tests/test_schema_fast.py`` compares this with its checker).
FORMAT_PACKAGES = {"date-time": "rfc3339_validator"}


def _format_is_free(node: dict[str, Any]) -> bool:
    """Whether a ``format`` can be left out of the fast copy: jsonschema does not check it
    (``date-time`` is checked only when the optional ``rfc3339-validator`` is installed) and a
    ``pattern`` beside it says the shape. The schema declares ``format: date-time`` for the
    tools that read it (docs/warehouse.md); its pattern is what both validators enforce.

    Answered without importing jsonschema (124M instructions at a crawl's first article), which
    a crawl without a rejected record never needs: a format not in
    :data:`FORMAT_PACKAGES` counts as checked, and its records all go to jsonschema."""
    if "format" not in node:
        return True
    package = FORMAT_PACKAGES.get(node["format"])
    checked = package is None or importlib.util.find_spec(package) is not None
    return "pattern" in node and not checked


def _holds_tuple(value: dict[str, Any] | list[Any]) -> bool:
    """Whether a tuple is anywhere in ``value``. A loop over a stack, not a call per nested
    dict or list (an article's record has ~30 values, the tags and images nested)."""
    # only dicts and lists get past fastjsonschema's "object" and "array" checks
    stack = [value]
    while stack:
        node = stack.pop()
        for item in node.values() if isinstance(node, dict) else node:
            if isinstance(item, tuple):
                return True
            if isinstance(item, (dict, list)):
                stack.append(item)
    return False


@lru_cache(maxsize=1)
def _authority() -> Any:
    return validator()


def first_violation(record: dict[str, Any]) -> str | None:
    """How ``record`` breaks the schema, as ``<path>: <message>`` in jsonschema's words, or
    ``None`` when it fits.

    One code path: the compiled check answers for the valid records (nearly all of them), and
    a record it rejects is judged by jsonschema, whose verdict and wording count.
    """
    if fast_validator()(record):
        return None
    error = next(iter(_authority().iter_errors(record)), None)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "record"
    return f"{where}: {error.message[:120]}"
