"""hazm's lexicon as the normalizer needs it, read from hazm's files once per machine.

Why: the normalizer asks three things of hazm's data (:mod:`newscrawler.persian.hazm_light`):
the words without a space (193,000), those of them with a positive count, and the verb forms
(67,000, conjugated from hazm's verb list by its ``Conjugation`` class). Reading the word list
and conjugating every verb cost about a second of CPU in every crawl process and in every
extraction worker, before the first page; a crawl of a few hundred articles paid more for it
than for its own pages.

So the four (the words' codes, the positive words, the verb forms, and the "join heads"
:func:`hazm_light.join_heads` derives from them) are kept in a :mod:`marshal` file under
``$XDG_CACHE_HOME/newscrawler`` (default ``~/.cache/newscrawler``), loaded in a fraction of
the time. The file's name is a digest of what
its content depends on: this format, hazm's version, the Python version (marshal's format) and
the size and modification time of hazm's two data files, so an upgrade of either reads the
files again. The cache is only a copy: a missing, unreadable, corrupt or unwritable file means
the lists are built from hazm's files as before (same lists), and a process never fails for it.

The words themselves are not kept: the :class:`~hazm_light.Lexicon` only needs their sorted
codes (BLAKE2b, the same in every process), which are read back as the array it searches.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

logger = logging.getLogger(__name__)

#: Bumped when what the file holds changes meaning.
FORMAT = 2


class LexiconLists(NamedTuple):
    """The normalizer's data as plain strings (what the cache file holds)."""

    codes: bytes
    """The sorted 64-bit codes (``hazm_light.word_code``) of every word of hazm's list without a
    space, as an ``array("q")``'s bytes (repeats kept)."""
    positive: tuple[str, ...]
    """The words whose last entry has a positive count."""
    verbs: tuple[str, ...]
    """The verb forms without a space."""
    heads: tuple[str, ...]
    """What can come before a half-space in a verb form or a positive word."""


def cache_dir() -> Path:
    """Where the file lives: ``$XDG_CACHE_HOME/newscrawler``, else ``~/.cache/newscrawler``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newscrawler"


def cache_path(version: str, sources: Sequence[Path]) -> Path:
    """The file for hazm ``version`` and its data files ``sources`` as they are now."""
    parts: list[object] = [FORMAT, version, sys.version_info[:2], marshal.version, sys.byteorder]
    for source in sources:
        stat = source.stat()
        parts.append((source.name, stat.st_size, stat.st_mtime_ns))
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
    return cache_dir() / f"hazm-lexicon-{digest}.marshal"


def _valid(data: object) -> bool:
    if not isinstance(data, tuple) or len(data) != len(LexiconLists._fields):
        return False
    codes, *lists = data
    return (
        isinstance(codes, bytes)
        and len(codes) % 8 == 0
        and all(isinstance(part, tuple) for part in lists)
        and all(isinstance(part[0], str) for part in lists if part)
    )


def load(version: str, sources: Sequence[Path], build: Callable[[], LexiconLists]) -> LexiconLists:
    """The lists from the cache file, else from ``build()`` (then written for next time)."""
    try:
        path = cache_path(version, sources)
    except OSError:  # a data file is missing: let build() say so the way hazm would
        return build()
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        data = marshal.loads(path.read_bytes())
        if _valid(data):
            return LexiconLists(*data)
        logger.debug("ignoring the malformed lexicon cache %s", path)
    lists = build()
    _write(path, lists)
    return lists


def _write(path: Path, lists: LexiconLists) -> None:
    """Write ``lists`` atomically (a concurrent reader sees the old file or the new one, whole);
    an unwritable cache only costs the next process the build."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(marshal.dumps(tuple(lists)))
        temporary.replace(path)
    except OSError as error:
        logger.debug("could not cache hazm's lexicon in %s: %s", path, error)
        with contextlib.suppress(OSError):
            temporary.unlink()
