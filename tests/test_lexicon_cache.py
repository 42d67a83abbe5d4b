"""The on-disk copy of hazm's lexicon (:mod:`newscrawler.persian.lexicon_cache`): read back equal
to what hazm's files give, rebuilt when missing, corrupt or stale, never a failure."""

from __future__ import annotations

import marshal
import os
from array import array
from pathlib import Path

import pytest

from newscrawler.persian import hazm_light, lexicon_cache
from newscrawler.persian.lexicon_cache import LexiconLists


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "newscrawler"


@pytest.fixture
def sources(tmp_path: Path) -> tuple[Path, Path]:
    words, verbs = tmp_path / "words.dat", tmp_path / "verbs.dat"
    words.write_text("کتاب\t12\tN\n", encoding="utf-8")
    verbs.write_text("رفت#رو\n", encoding="utf-8")
    return words, verbs


LISTS = LexiconLists(bytes(16), ("کتاب",), ("می\u200cرود",), ("می",))


class Builder:
    def __init__(self, lists: LexiconLists = LISTS) -> None:
        self.calls = 0
        self.lists = lists

    def __call__(self) -> LexiconLists:
        self.calls += 1
        return self.lists


def test_built_once_then_read_back(cache_home: Path, sources: tuple[Path, Path]) -> None:
    build = Builder()
    assert lexicon_cache.load("0.12.1", sources, build) == LISTS
    assert build.calls == 1
    assert len(list(cache_home.glob("hazm-lexicon-*.marshal"))) == 1
    assert lexicon_cache.load("0.12.1", sources, build) == LISTS
    assert build.calls == 1  # the second process reads the file


def test_a_corrupt_or_malformed_file_is_rebuilt(
    cache_home: Path, sources: tuple[Path, Path]
) -> None:
    path = lexicon_cache.cache_path("0.12.1", sources)
    path.parent.mkdir(parents=True)
    malformed = marshal.dumps((b"odd", (), (), ()))  # codes not a whole number of int64
    for junk in (b"\x00garbage", b"", b"\xe9\x01\x00\x00\x00", malformed):
        path.write_bytes(junk)
        build = Builder()
        assert lexicon_cache.load("0.12.1", sources, build) == LISTS
        assert build.calls == 1
        assert lexicon_cache.load("0.12.1", sources, Builder()) == LISTS  # repaired


def test_a_changed_data_file_or_hazm_version_is_another_file(
    cache_home: Path, sources: tuple[Path, Path]
) -> None:
    first = lexicon_cache.cache_path("0.12.1", sources)
    assert lexicon_cache.cache_path("0.13.0", sources) != first
    stat = sources[0].stat()
    os.utime(sources[0], ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert lexicon_cache.cache_path("0.12.1", sources) != first


def test_an_unwritable_cache_costs_only_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sources: tuple[Path, Path]
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    build = Builder()
    assert lexicon_cache.load("0.12.1", sources, build) == LISTS
    assert lexicon_cache.load("0.12.1", sources, build) == LISTS
    assert build.calls == 2
    assert not list(tmp_path.glob("**/*.tmp"))


def test_missing_data_files_are_left_to_the_build(cache_home: Path, tmp_path: Path) -> None:
    build = Builder()
    assert lexicon_cache.load("0.12.1", (tmp_path / "gone.dat",), build) == LISTS
    assert build.calls == 1


def test_the_cached_lists_are_what_hazms_files_give(cache_home: Path) -> None:
    """The real lists, through the cache and rebuilt: equal; the lexicon read from the codes
    knows every word of hazm's list and the positive ones, and its heads are
    :func:`hazm_light.join_heads` of it."""
    modules = hazm_light._modules()
    if modules is None:
        pytest.skip("hazm release without the light loader")
    built = hazm_light._lexicon_lists(modules)
    utils = modules["hazm.utils"]
    sources = (Path(utils.default_words), Path(utils.default_verbs))
    first = lexicon_cache.load("test", sources, lambda: built)
    again = lexicon_cache.load("test", sources, Builder(LISTS))  # from the file
    assert again == first == built
    codes = array("q")
    codes.frombytes(again.codes)
    lexicon = hazm_light.Lexicon(codes, frozenset(again.positive))
    words = dict(hazm_light._words(utils.default_words))
    spaceless = [w for w in words if " " not in w]
    assert list(lexicon.codes) == sorted(lexicon.codes)
    assert set(lexicon.codes) == {hazm_light.word_code(word) for word in spaceless}
    assert set(again.positive) == {w for w in spaceless if words[w] > 0}
    assert all(word in lexicon for word in spaceless[::97])
    assert "کتابززز" not in lexicon
    assert "0" not in lexicon
    verbs = frozenset(again.verbs)
    assert frozenset(again.heads) == hazm_light.join_heads(lexicon, verbs)
    assert "می\u200cروم" in verbs
