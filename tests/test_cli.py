"""Bad input is refused in one line, and ``extract`` prints clean articles of any family."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawler.cli import main
from newscrawler.persian.boilerplate import EXACT_LINES
from newscrawler.persian.chars import ZWNJ
from tests.support.golden import FIXTURES, all_fixtures

ROOT = Path(__file__).resolve().parent.parent
UNKNOWN_PAGE = FIXTURES / "_unknown" / "2025-03-10-hamedan-wordpress.html"


def scrapy(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl", "nosuchsite"], "unknown site 'nosuchsite'"),
        (["crawl", "irna", "-a", "province=atlantis"], "no listing for province 'atlantis'"),
        (["crawl", "irna", "-a", "section=sports-betting"], "has no section 'sports-betting'"),
        (["crawl", "irna", "-a", "since=yesterday"], "since='yesterday' is not a date"),
        (["crawl", "irna", "-a", "since=2024-02-30"], "since='2024-02-30' is not a valid date"),
        (["crawl", "irna", "-a", "since=2999-01-01"], "is in the future"),
        (["crawl", "irna", "-a", "max_articles=-3"], "max_articles='-3' must be 1 or more"),
        (["crawl", "irna", "-a", "max_pages=ten"], "max_pages='ten' is not a whole number"),
        (["crawl", "irna", "-a", "colour=blue"], "unknown argument 'colour'"),
        (["crawl", "irna", "-a", "base_url=ftp://x"], "is not an http(s) URL"),
        (["crawl", "irna", "-a", "sources=twitter"], "sources='twitter'"),
    ],
)
def test_bad_crawl_input_is_one_line_and_exit_2(
    args: list[str], message: str, tmp_path: Path
) -> None:
    result = scrapy(*args, "-s", f"NEWSCRAWLER_OUTPUT_DIR={tmp_path / 'out'}")
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if "newscrawler: error:" in line]
    assert len(errors) == 1
    assert message in errors[0]
    assert "Traceback" not in result.stderr
    assert not list((tmp_path / "out").rglob("*.jsonl"))


@pytest.mark.e2e
def test_unwritable_output_dir_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = scrapy("crawl", "irna", "-s", f"NEWSCRAWLER_OUTPUT_DIR={blocker / 'out'}")
    assert result.returncode == 2
    assert "is not writable" in result.stderr


@pytest.mark.e2e
def test_scrapy_list_names_every_profile() -> None:
    result = scrapy("list")
    assert result.returncode == 0
    sites = result.stdout.split()
    assert len(sites) >= 8
    assert {"irna", "yjc", "tasnim", "bloghnews", "cafekhabarqazvin"} <= set(sites)


def run_extract(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    code = main(["extract", *args])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


FAMILY_FIXTURES = {
    f.site: f for f in all_fixtures() if f.kind == "article" and not f.html.stem[-2:].isdigit()
}


@pytest.mark.parametrize("site", sorted(FAMILY_FIXTURES))
def test_extract_detects_the_site_and_prints_the_golden_article(
    site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = FAMILY_FIXTURES[site]
    expected = fixture.spec()["expected"]
    code, record = run_extract(capsys, str(fixture.html), "--url", fixture.spec()["url"])
    assert code == 0
    assert record["site"] == site
    for field in ("title", "body", "news_id", "published_at", "canonical_url"):
        assert record[field] == expected[field], field


@pytest.mark.parametrize("site", sorted(FAMILY_FIXTURES))
def test_extract_without_url_or_site_uses_the_cms_fingerprint(
    site: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A page saved from an unknown host (no canonical link): the family must be detected."""
    fixture = FAMILY_FIXTURES[site]
    html = fixture.html.read_text(encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    code, record = run_extract(capsys, str(page), "--url", "https://unknown-mirror.example/x/1")
    assert record["cms"] == fixture.spec()["expected"]["cms"]
    assert code == 0
    assert record["title"] == fixture.spec()["expected"]["title"]


def test_extract_unknown_regional_wordpress_page(capsys: pytest.CaptureFixture[str]) -> None:
    code, record = run_extract(capsys, str(UNKNOWN_PAGE))
    assert code == 0
    assert record["cms"] == "wordpress"
    assert record["news_id"] == "48211"
    assert record["title"] == "بازگشایی دوباره جاده گنجنامه پس از بارش برف"
    assert record["published_at"] == "2025-03-10T08:45:00+03:30"
    assert record["tags"] == ["گنجنامه", "راهداری", "برف"]
    body = str(record["body"])
    lines = body.split("\n")
    assert len(lines) == 6
    assert lines[0].startswith("به گزارش همدان فردا، جاده گنجنامه")
    assert lines[-1].endswith("در آماده‌باش کامل خواهند ماند.")
    for junk in EXACT_LINES:
        assert junk not in lines
    for phrase in ("تبلیغات", "پسندیده", "بیشتر بخوانید", "لینک کوتاه", "دست راهدارها", "مسئولیت"):
        assert phrase not in body
    # every half-space word of the page survives
    for word in (
        "حمل\u200cونقل",
        "ماشین\u200cآلات",
        "قندیل\u200cهای",
        "روبه\u200cرو",
        "راه\u200cها",
    ):
        assert word in body
    assert body.count(ZWNJ) >= 15
    assert "ي" not in body
    assert [image["url"] for image in record["images"]] == [  # type: ignore[attr-defined]
        "https://hamedanfarda.ir/wp-content/uploads/2025/03/ganjnameh-696x464.jpg"
    ]


def test_extract_page_with_only_json_ld(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    body = " ".join(["کشاورزان دشت قزوین امسال گندم بیشتری به سیلوها تحویل دادند."] * 8)
    page = tmp_path / "ld.html"
    page.write_text(
        '<html><head><script type="application/ld+json">'
        + json.dumps(
            {
                "@context": "https://schema.org",
                "@graph": [
                    {"@type": "WebSite", "name": "x"},
                    {
                        "@type": "NewsArticle",
                        "headline": "خرید تضمینی گندم در قزوین",
                        "datePublished": "2023-06-10T09:00:00+03:30",
                        "articleBody": body,
                    },
                ],
            },
            ensure_ascii=False,
        )
        + '</script></head><body><div id="app"></div></body></html>',
        encoding="utf-8",
    )
    code, record = run_extract(capsys, str(page), "--url", "https://example.org/news/5551")
    assert code == 0
    assert record["cms"] == "generic"
    assert record["title"] == "خرید تضمینی گندم در قزوین"
    assert record["published_at"] == "2023-06-10T09:00:00+03:30"
    assert str(record["body"]).startswith("کشاورزان دشت قزوین")


def test_extract_refuses_missing_file_and_unknown_site(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "/nonexistent/page.html"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["extract", str(UNKNOWN_PAGE), "--site", "nosuchsite"]) == 2
    assert "unknown site 'nosuchsite'" in capsys.readouterr().err


@pytest.mark.e2e
def test_corrupt_state_file_is_refused_without_damage(tmp_path: Path) -> None:
    output = tmp_path / "out"
    (output / ".state").mkdir(parents=True)
    corrupt = output / ".state" / "irna.sqlite"
    corrupt.write_bytes(b"not a database at all " * 200)
    before = corrupt.read_bytes()
    result = scrapy("crawl", "irna", "-s", f"NEWSCRAWLER_OUTPUT_DIR={output}")
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "newscrawler: error:" in line]
    assert len(errors) == 1
    assert "is corrupt" in errors[0]
    assert "state reset" in errors[0]
    assert corrupt.read_bytes() == before  # left as it was, for inspection
    assert not list(output.rglob("*.jsonl*"))


@pytest.mark.e2e
@pytest.mark.parametrize(
    "damage", ["truncate", "garble"], ids=["truncated-committed-file", "damaged-uncommitted-file"]
)
def test_damaged_previous_output_is_refused(tmp_path: Path, damage: str) -> None:
    from newscrawler.state.ledger import Ledger

    output = tmp_path / "out"
    ledger = Ledger(output / ".state", "irna", output / "irna")
    path = output / "irna" / "date=2024-05-18" / "r1-0001.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text('{"id": "irna:1"}\n{"id": "irna:2"}\n', encoding="utf-8")
    if damage == "truncate":
        ledger.stage({"id": "irna:1"})
        ledger.commit(path, "r1")
        path.write_text('{"id": "irna:1"}\n{"id": "ir', encoding="utf-8")
    else:  # a file this crawl created (recorded before it was written), never committed
        ledger.opening(path, "r1")
        path.write_text('{"id": "irna:1"}\n{"id": "ir', encoding="utf-8")
    ledger.close()
    result = scrapy("crawl", "irna", "-s", f"NEWSCRAWLER_OUTPUT_DIR={output}")
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "newscrawler: error:" in line]
    assert len(errors) == 1
    assert str(path) in errors[0]
    assert ("changed size" if damage == "truncate" else "is damaged at line 2") in errors[0]
    assert path.read_text(encoding="utf-8").endswith('"ir')  # nothing repaired behind our back


def test_extract_into_a_closed_pipe_ends_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    """``python -m newscrawler extract PAGE | head -1``: the reader goes away; no traceback."""
    from newscrawler import cli

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written
    closed = os.fdopen(write_end, "w", buffering=1, encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", closed)
    page = str(FIXTURES / "irna" / "2024-05-18-article.html")
    try:
        assert cli.main(["extract", page]) == cli.CLOSED_PIPE_EXIT
    finally:
        monkeypatch.undo()
        closed.close()  # its descriptor now writes to /dev/null
