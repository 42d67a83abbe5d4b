"""Table definitions generated from the article JSON Schema, one per warehouse dialect.

Why generated: every tool that guesses types from the data guesses some column wrong (an
all-null ``subtitle`` becomes NULL, ``news_id`` becomes an integer, timestamps stay strings).
The schema already says what each field is; this module says it in each dialect's words, and
the loader uses the DuckDB words itself, so the printed definition is the loaded one.

A property becomes one :class:`Column`: its kind (``string``, ``timestamp`` for a string of
``format: date-time``, ``integer``, ``strings`` for an array of strings, ``records`` for an
array of objects such as ``images``), whether it may be null, and the fields of a record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from newscrawler.contract.schema import article_schema

DIALECTS = ("duckdb", "bigquery", "clickhouse", "postgres")
TABLE = "articles"
#: Columns the loader adds to each record: where it came from. ``crawl_date`` is the
#: ``date=`` partition of the file (the UTC crawl date), ``run_id`` the run that wrote it.
LOAD_COLUMNS = (("crawl_date", "date"), ("run_id", "string"), ("source_file", "string"))


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    nullable: bool
    fields: tuple[Column, ...] = ()


def _resolve(spec: dict[str, Any], defs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The non-null branch of a property, with ``$ref`` followed, and whether null is allowed."""
    if "$ref" in spec:
        return _resolve(defs[spec["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in spec:
        branches = [b for b in spec["anyOf"] if b.get("type") != "null"]
        if len(branches) != 1:
            raise ValueError(f"a property with several non-null types: {spec}")
        inner, _ = _resolve(branches[0], defs)
        return inner, len(branches) < len(spec["anyOf"])
    return spec, False


def _column(name: str, spec: dict[str, Any], defs: dict[str, Any]) -> Column:
    inner, nullable = _resolve(spec, defs)
    kind = inner.get("type")
    if kind is None and "const" in inner:
        kind = "integer" if isinstance(inner["const"], int) else "string"
    if kind is None and "enum" in inner:
        kind = "string"
    if kind == "string" and inner.get("format") == "date-time":
        return Column(name, "timestamp", nullable)
    if kind in ("string", "integer"):
        return Column(name, kind, nullable)
    if kind == "array":
        items, _ = _resolve(inner["items"], defs)
        if items.get("type") == "object":
            fields = tuple(_column(n, s, defs) for n, s in items["properties"].items())
            return Column(name, "records", False, fields)
        return Column(name, "strings", False)
    raise ValueError(f"no column type for {name}: {spec}")


def columns(schema: dict[str, Any] | None = None) -> tuple[Column, ...]:
    """The record's columns in record order (the schema's ``properties`` order).

    >>> [c.kind for c in columns() if c.name in ("id", "tags", "images", "crawled_at")]
    ['string', 'strings', 'records', 'timestamp']
    """
    schema = schema or article_schema()
    defs = schema.get("$defs", {})
    return tuple(_column(name, spec, defs) for name, spec in schema["properties"].items())


def load_columns() -> tuple[Column, ...]:
    return tuple(Column(name, kind, False) for name, kind in LOAD_COLUMNS)


_DUCKDB = {"string": "VARCHAR", "timestamp": "TIMESTAMPTZ", "integer": "BIGINT", "date": "DATE"}
_POSTGRES = {"string": "text", "timestamp": "timestamptz", "integer": "bigint", "date": "date"}
_BIGQUERY = {"string": "STRING", "timestamp": "TIMESTAMP", "integer": "INT64", "date": "DATE"}
_CLICKHOUSE = {
    "string": "String",
    "timestamp": "DateTime64(0, 'UTC')",
    "integer": "Int64",
    "date": "Date",
}


def duckdb_type(column: Column) -> str:
    if column.kind == "strings":
        return "VARCHAR[]"
    if column.kind == "records":
        inner = ", ".join(f"{f.name} {duckdb_type(f)}" for f in column.fields)
        return f"STRUCT({inner})[]"
    return _DUCKDB[column.kind]


def duckdb_columns() -> dict[str, str]:
    """``{name: DuckDB type}`` of the record: what ``read_json(columns=…)`` is given."""
    return {c.name: duckdb_type(c) for c in columns()}


def _create(name_type: list[tuple[str, str, bool]], not_null: str, table: str) -> str:
    lines = [f"  {n} {t}{not_null if not nullable else ''}" for n, t, nullable in name_type]
    return f"CREATE TABLE IF NOT EXISTS {table} (\n" + ",\n".join(lines)


def duckdb_ddl(table: str = TABLE) -> str:
    """The DuckDB table the loader fills: the record's columns, then :data:`LOAD_COLUMNS`."""
    cols = [(c.name, duckdb_type(c), c.nullable) for c in (*columns(), *load_columns())]
    return _create(cols, " NOT NULL", table) + "\n);\n"


def postgres_type(column: Column) -> str:
    if column.kind == "strings":
        return "text[]"
    if column.kind == "records":
        return "jsonb"  # an array of {url, caption}: jsonb keeps it queryable without a type
    return _POSTGRES[column.kind]


def postgres_ddl(table: str = TABLE) -> str:
    cols = [(c.name, postgres_type(c), c.nullable) for c in (*columns(), *load_columns())]
    return _create(cols, " NOT NULL", table) + ",\n  PRIMARY KEY (id, version)\n);\n"


def clickhouse_type(column: Column) -> str:
    if column.kind == "strings":
        return "Array(String)"
    if column.kind == "records":
        inner = ", ".join(f"{f.name} {clickhouse_type(f)}" for f in column.fields)
        return f"Array(Tuple({inner}))"
    base = _CLICKHOUSE[column.kind]
    return f"Nullable({base})" if column.nullable else base


def clickhouse_ddl(table: str = TABLE) -> str:
    """A ReplacingMergeTree on (site, id) keeping the highest ``version``: the latest version
    per article after merges (``FINAL`` to read it before). Not partitioned: ClickHouse
    replaces rows only within a partition, and a new version may come months later."""
    cols = [(c.name, clickhouse_type(c), True) for c in (*columns(), *load_columns())]
    body = _create(cols, "", table)
    return body + "\n)\nENGINE = ReplacingMergeTree(version)\nORDER BY (site, id);\n"


def bigquery_field(column: Column) -> dict[str, Any]:
    if column.kind in ("strings", "records"):
        field: dict[str, Any] = {"name": column.name, "mode": "REPEATED"}
        if column.kind == "strings":
            return {**field, "type": "STRING"}
        return {**field, "type": "RECORD", "fields": [bigquery_field(f) for f in column.fields]}
    mode = "NULLABLE" if column.nullable else "REQUIRED"
    return {"name": column.name, "type": _BIGQUERY[column.kind], "mode": mode}


def bigquery_schema() -> str:
    """The JSON schema file ``bq load --source_format=NEWLINE_DELIMITED_JSON`` takes (the
    record's columns only: a bq load of the JSONL files has no load columns)."""
    return json.dumps([bigquery_field(c) for c in columns()], indent=2) + "\n"


def definition(dialect: str) -> str:
    """What ``newscrawler schema --dialect DIALECT`` prints."""
    makers = {
        "duckdb": duckdb_ddl,
        "postgres": postgres_ddl,
        "clickhouse": clickhouse_ddl,
        "bigquery": bigquery_schema,
    }
    if dialect not in makers:
        raise ValueError(f"unknown dialect {dialect!r}; one of {', '.join(DIALECTS)}")
    return makers[dialect]()
