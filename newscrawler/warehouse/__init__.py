"""The last mile: committed JSONL files into a warehouse, typed from the JSON Schema.

Design notes (the user's guide is docs/warehouse.md):

* One source of truth for types. :mod:`newscrawler.warehouse.types` reads the packaged JSON
  Schema (``newscrawler/contract/article.schema.json``) and turns each property into a column
  for DuckDB, BigQuery, ClickHouse and PostgreSQL. The loader creates its table from the very
  same DuckDB definition that ``newscrawler schema --dialect duckdb`` prints, so a printed
  definition can never drift from what is loaded.
* Manifests, never globs. :mod:`newscrawler.warehouse.loader` loads only files a run manifest
  names, after checking their SHA-256: a ``.part`` file, a file of a run still crawling (no
  manifest yet) or a stray file is never read, which is what makes a load safe beside a crawl.
* Exactly once. A ``loaded_files`` table keyed by (path, SHA-256) is written in the same DuckDB
  transaction as the rows of that manifest's files: a crash rolls both back, a second load
  skips what the first committed. DuckDB's file lock keeps a second loader out.
"""
