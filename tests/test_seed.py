"""The page this project started from: an IRNA dispatch republished by a Qazvin WordPress portal.

``tests/fixtures/cafekhabarqazvin/2019-05-21-article.html`` holds the 15 article paragraphs of
``shared/research/seed-article.txt`` followed, inside ``.entry-content``, by the remnants the
original copy ended with (view counter, publisher line, sign-off, like widget, widget headings,
comment disclaimer). Only the paragraphs may reach ``body``, changed by normalization alone
(half-spaces, spacing after «،»); the publisher line goes to ``publisher``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from newscrawler.persian.normalize import match_key
from tests.support.golden import FIXTURES, Fixture, article_record

SITE_DIR = FIXTURES / "cafekhabarqazvin"
SEED = Fixture("cafekhabarqazvin", SITE_DIR / "2019-05-21-article.html")
EXPECTED_BODY = (SITE_DIR / "seed-expected-body.txt").read_text(encoding="utf-8").rstrip("\n")

#: What the seed page printed after the article text; none of it is article text.
REMNANTS = (
    "3013",
    "انتشار دهنده: رضا اولادی",
    "انتشار دهنده",
    "رضا اولادی",
    "انتهای پیام",
    "این مطلب برایم مفید است",
    "0 نفر این پست را پسندیده اند",
    "پسندیده اند",
    "موضوعات داغ",
    "نظرات و دیدگاه ها",
    "مسئولیت نوشته ها بر عهده نویسندگان آنهاست و انتشار آن به معنی تایید این نظرات نیست.",
)


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    return article_record(SEED)


def test_body_is_the_expected_text(record: dict[str, Any]) -> None:
    assert record["body"] == EXPECTED_BODY


def test_body_is_the_article_paragraphs_only(record: dict[str, Any]) -> None:
    lines = record["body"].split("\n")
    # seed-article.txt has 15 article paragraphs before its first remnant («3013»).
    assert len(lines) == 15
    assert all(line.strip() == line and line for line in lines)
    assert record["body"].startswith("به گزارش ایرنا، حمیدرضا خانپور روز")
    assert record["body"].endswith("جبران کند.")


@pytest.mark.parametrize("phrase", REMNANTS)
def test_no_remnant_in_body(record: dict[str, Any], phrase: str) -> None:
    body = record["body"]
    assert phrase not in body
    # Also insensitive to half-spaces, spacing and Arabic/Persian letter forms.
    assert match_key(phrase) not in match_key(body)


def test_no_remnant_line_even_loosely(record: dict[str, Any]) -> None:
    squashed = {re.sub(r"[\s\u200c]+", "", line) for line in record["body"].split("\n")}
    for phrase in REMNANTS:
        assert re.sub(r"[\s\u200c]+", "", phrase) not in squashed


def test_metadata(record: dict[str, Any]) -> None:
    assert record["publisher"] == "رضا اولادی"
    assert record["author"] is None
    assert record["source_agency"] == "IRNA"
    assert record["province"] == "قزوین"
    assert record["published_at"] == "2019-05-21T14:37:12+04:30"  # Tehran summer time in 2019
    assert record["title"] == "تکرار حماسه سیاسی ملت آثار مثبتی در بخش صنعت دارد"
    assert record["news_id"] == "12407"


def test_expected_body_differs_from_the_seed_by_spacing_only() -> None:
    """Read independently of the code under test: the expected lines are the seed's paragraphs
    with only spaces, half-spaces and «،» spacing changed."""
    seed = FIXTURES.parent.parent.parent / "shared" / "research" / "seed-article.txt"
    if not seed.exists():
        pytest.skip("shared/research is not beside the repository")
    paragraphs = seed.read_text(encoding="utf-8").split("\n")[:15]

    def skeleton(text: str) -> str:
        return re.sub(r"[\s\u200c،]", "", text)

    assert [skeleton(p) for p in paragraphs] == [skeleton(e) for e in EXPECTED_BODY.split("\n")]
