"""The speed-ups of text normalization change no output.

:mod:`newscrawler.persian.hazm_light` loads hazm's normalizer without ``hazm/__init__`` and with a
compact lexicon, and :func:`newscrawler.persian.normalize.normalizer` overrides a few hazm methods
for speed;
:func:`~newscrawler.persian.normalize.match_key` skips a second normalization of text it has just
produced. Each is checked here against the plain way on every text of the golden fixtures plus edge
cases.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from parsel import Selector

from newscrawler.persian import normalize as text
from newscrawler.persian import spacing
from newscrawler.persian.chars import ZWNJ, text_key, translator
from newscrawler.persian.normalize import match_key, normalize_text

FIXTURES = Path(__file__).parent / "fixtures"
#: Recorded pages of real sites, when the shared folder beside the repository has them.
REAL_PAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "real-pages"


def test_normalizer_output_is_hazms(texts: list[str], reference_normalizer: object) -> None:
    fast = text.normalizer()
    different = [t for t in texts if fast.normalize(t) != reference_normalizer.normalize(t)]  # type: ignore[attr-defined]
    assert different == []


def test_light_import_leaves_no_trace_and_gives_the_same_output(
    texts: list[str], reference_normalizer: object
) -> None:
    """In a fresh process: no nltk, scipy or hazm package import; no placeholder left behind."""
    sample = texts[:: max(1, len(texts) // 400)]
    script = (
        "import json, sys\n"
        "from newscrawler.persian.normalize import normalizer\n"
        "n = normalizer()\n"
        "loaded = sorted(m for m in ('nltk', 'scipy', 'hazm', 'hazm.normalizer') "
        "if m in sys.modules)\n"
        "texts = json.load(sys.stdin)\n"
        "print(json.dumps({'loaded': loaded, 'out': [n.normalize(t) for t in texts]}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(sample),
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout)
    assert result["loaded"] == []
    expected = [reference_normalizer.normalize(t) for t in sample]  # type: ignore[attr-defined]
    assert result["out"] == expected


def test_translator_is_str_translate(texts: list[str]) -> None:
    from hazm.constants import TRANSLATION_DST, TRANSLATION_SRC
    from hazm.utils import maketrans

    table = maketrans(TRANSLATION_SRC, TRANSLATION_DST)
    fast = translator(table)
    rng = random.Random(7)
    alphabet = TRANSLATION_SRC + "abc ۱۲۳\u200c\n"
    noise = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(500)]
    assert [fast(t) for t in texts + noise] == [t.translate(table) for t in texts + noise]
    frequent = translator(table, frequent="يك")  # the normalizer's
    assert [frequent(t) for t in texts + noise] == [t.translate(table) for t in texts + noise]
    with pytest.raises(ValueError, match="frequent character"):
        translator(str.maketrans("ab", "bc"), frequent="a")  # a → b, which the table maps on


def test_zwnj_cleanup_in_two_passes_is_the_one_pass_rule() -> None:
    one_pass = re.compile(f"{ZWNJ}*[ ]+{ZWNJ}*|{ZWNJ}{{2,}}")
    rng = random.Random(11)
    for _ in range(3000):
        sample = "".join(rng.choice(["a", "ب", " ", ZWNJ]) for _ in range(rng.randint(0, 12)))
        expected = one_pass.sub(lambda m: " " if " " in m.group(0) else ZWNJ, sample)
        got = text._ZWNJ_RUN.sub(ZWNJ, text._ZWNJ_AT_SPACE.sub(" ", sample))
        assert got == expected, repr(sample)


def test_key_of_normalized_text_needs_no_second_normalization(texts: list[str]) -> None:
    """What match_key relies on: normalizing normalized text changes only spacing."""
    for value in texts:
        normalized = normalize_text(value)
        if normalized is None:
            continue
        again = normalize_text(normalized) or ""
        assert text_key(normalized) == text_key(again), repr(value)
        for line in normalized.split("\n"):
            assert text_key(line) == text_key(normalize_text(line) or ""), repr(line)


def test_match_key_same_with_and_without_the_memo(texts: list[str]) -> None:
    for value in texts:
        normalized = normalize_text(value) or ""
        text._NORMALIZED.clear()
        plain = text_key(normalize_text(normalized) or "")
        text.remember_normalized(normalized)
        assert match_key(normalized) == plain


def _noise(alphabet: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(count)]


def _plain_protect(value: str) -> tuple[str, list[str]]:
    """:func:`newscrawler.persian.normalize._protect` as one ``re.sub`` over the whole text."""
    if text._PLACEHOLDERS.search(value):
        return value, []
    saved: list[str] = []

    def hold(match: re.Match[str]) -> str:
        span, trailer = match.group(0), ""
        if match.lastgroup == "url":
            end = text._URL_TRAILER.search(span)
            if end:
                span, trailer = span[: end.start()], end.group(0)
        saved.append(span)
        held = chr(text._PLACEHOLDER_BASE + len(saved) - 1)
        if match.lastgroup == "number":
            before = value[match.start() - 1 : match.start()]
            after = value[match.end() : match.end() + 1]
            held = (
                (" " if text._PERSIAN_LETTER.match(before) else "")
                + held
                + (" " if text._PERSIAN_LETTER.match(after) else "")
            )
        return held + trailer

    return text._PROTECTED.sub(hold, value), saved


def test_protect_tries_the_pattern_only_where_a_match_can_start(texts: list[str]) -> None:
    alphabet = [*'ab wh tp:/.,-_@%+٪۱۲3 ٫٬ سلا\n«»"x9', "http://", "www.", "@x.com", "1,000"]
    for value in texts + _noise(alphabet, 20000, 3):
        assert text._protect(value) == _plain_protect(value), repr(value)


def test_tokenizer_is_hazms(texts: list[str]) -> None:
    from newscrawler.persian.hazm_light import TOKEN_PATTERN, Tokenizer

    def hazm_tokens(value: str) -> list[str]:
        spaced = TOKEN_PATTERN.sub(r" \1 ", value.replace("\n", " ").replace("\t", " "))
        return [word for word in spaced.split(" ") if word]

    alphabet = [*'ab سلا ۱2٣.:؟!?،؛»])}"«[({/\\\n\t-_', ZWNJ]
    tokenizer = Tokenizer()
    for value in texts + _noise(alphabet, 20000, 5):
        assert tokenizer.tokenize(value) == hazm_tokens(value), repr(value)


def test_spacing_guards_hold_whenever_a_pattern_changes_the_text(texts: list[str]) -> None:
    """A pattern whose guard says no would have left the text as it is."""
    from newscrawler.persian import hazm_light

    constants = hazm_light.constants()
    patterns = [
        *constants.EXTRA_SPACE_PATTERNS,
        *constants.AFFIX_SPACING_PATTERNS,
        *constants.PUNCTUATION_SPACING_PATTERNS,
    ]
    assert set(spacing.SPACING_GUARDS) <= {pattern for pattern, _ in patterns}
    alphabet = [*' \n\rـ"«»[](){}.:!،؛؟ هیامنترگ2۳٣', ZWNJ, "ه ی ", "می ", " تر", "هها"]
    samples = texts + _noise(alphabet, 20000, 9)
    for pattern, replacement in patterns:
        guard = spacing.SPACING_GUARDS.get(pattern)
        if guard is None:
            continue
        compiled = re.compile(pattern)
        for value in samples:
            if not guard(value):
                assert compiled.sub(replacement, value) == value, (pattern, value)


def test_token_spacing_with_join_heads_is_without(texts: list[str]) -> None:
    from newscrawler.persian import hazm_light

    normalizer = text.normalizer()
    if not isinstance(normalizer._words, hazm_light.Lexicon):
        pytest.skip("hazm's own lexicon")
    suffixes = frozenset(hazm_light.constants().SUFFIXES)
    heads = hazm_light.join_heads(normalizer._words, normalizer._verbs)
    tokenizer = hazm_light.Tokenizer()
    for value in texts:
        tokens = tokenizer.tokenize(value)
        args = (tokens, normalizer._words, normalizer._verbs, suffixes)
        assert hazm_light.token_spacing(*args, heads) == hazm_light.token_spacing(*args)


def test_one_pass_drop_query_finds_what_the_selector_group_finds() -> None:
    """The widget pseudo-classes (``:link-list``, …) are not CSS: ``drop_query`` leaves them
    to ``find_widgets``, and the selector group is compared without them. ``matches`` (what
    ``drop_all`` removes: class names looked up outside XPath) finds the same elements."""
    from newscrawler.extraction.dom import drop_query, matches
    from newscrawler.extraction.widgets import STRUCTURAL
    from newscrawler.sites.profile import COMMON_DROP, FIGURES

    groups = {COMMON_DROP, FIGURES, (*COMMON_DROP, "h1", "header", "footer", "nav", "aside")}
    groups |= {(*COMMON_DROP, *cls.profile.selectors.drop) for cls in _spider_classes()}
    groups.add(("div > p", "li:first-child", "p:nth-of-type(2)", "a[rel=next]", "*", ".a.b"))
    groups.add(("[class*=a]", "[class^=b]", "[class$=c]", "[class|=d]", "#e", "#f", "p.g", "[id]"))
    for html in [*sorted(FIXTURES.glob("*/*.html")), *sorted(REAL_PAGES.glob("*.html"))]:
        page = Selector(text=html.read_bytes().decode("utf-8", "replace"))
        for root in [page, *page.css("article, div[class]")[::40]]:  # the page, and blocks
            for group in groups:
                ours = [node.root for node in root.xpath(drop_query(group))]
                css = tuple(s for s in group if s not in STRUCTURAL)
                expected = [node.root for node in root.css(", ".join(css))]
                assert ours == expected, (html, group)
                assert set(matches(root, css)) == set(expected), (html, group)


def _spider_classes() -> list[Any]:
    from newscrawler.spiders.profiled import SPIDERS

    return list(SPIDERS.values())


def test_page_parse_is_scrapy_selectors() -> None:
    """extract_html parses with parsel's own function into lxml's plain elements; Scrapy's
    Selector decoded the text again (dropping a leading BOM) and gave the same tree, of
    ``lxml.html`` elements, otherwise: every page of the fixtures and the real pages."""
    from lxml import etree
    from scrapy.selector import Selector as ScrapySelector

    from newscrawler.extraction import article

    html = next((FIXTURES / "irna").glob("*article*.html")).read_text(encoding="utf-8")
    values = [html, "\ufeff" + html, "\ufeff\ufeff" + html, "  \n" + html, "\x00" + html, ""]
    for path in [*sorted(FIXTURES.glob("*/*.html")), *sorted(REAL_PAGES.glob("*.html"))]:
        values.append(path.read_bytes().decode("utf-8", "replace"))
    for value in values:
        plain = ScrapySelector(text=value, base_url="https://x.ir/")
        ours = article.parse_page(value, "https://x.ir/")
        assert type(ours.root) is etree._Element
        assert etree.tostring(ours.root) == etree.tostring(plain.root)
        assert ours.root.getroottree().docinfo.URL == plain.root.getroottree().docinfo.URL


def test_page_parsed_from_its_bytes_is_the_page_parsed_from_its_text() -> None:
    """:func:`charset.utf8_source` gives bytes only where parsing them gives the tree the text
    gives, as Scrapy decodes a response: every fixture and real page, with a BOM, white space
    (ASCII, no-break, ideographic) and NUL at either end, invalid UTF-8, windows-1256 and
    latin-1 bodies. The common page (UTF-8, a newline after ``</html>``) gets its bytes."""
    from scrapy.http import HtmlResponse

    from newscrawler.extraction import article
    from newscrawler.persian.charset import utf8_source

    pages = [
        p.read_bytes() for p in [*sorted(FIXTURES.glob("*/*.html")), *REAL_PAGES.glob("*.html")]
    ]
    html = next((FIXTURES / "irna").glob("*article*.html")).read_bytes()
    edges = [b"", b"\n", b" \t\r\n", b"\xef\xbb\xbf", "\xa0".encode(), "\u3000".encode()]
    edges += [b"\x00", b"\x1c", b"\xff", b"x"]
    bodies = pages + [start + html + end for start in edges for end in edges]
    bodies += [
        "<p>سلام دنيا</p>".encode("cp1256"),
        b"<p>caf\xe9</p>",
        html.replace(b"<p>", b"<p>\x00", 1),
    ]
    used = 0
    for body in bodies:
        for encoding in ("utf-8", "cp1256", "latin-1"):
            response = HtmlResponse("https://x.ir/a", body=body, encoding=encoding)
            source = utf8_source(response.body, response.encoding, response.text)
            if source is None:
                continue
            used += 1
            from_bytes = article.parse_page(response.text, response.url, source)
            from_text = article.parse_page(response.text, response.url)
            assert etree.tostring(from_bytes.root) == etree.tostring(from_text.root), body[:80]
            assert from_bytes.root.getroottree().docinfo.URL == "https://x.ir/a"
    assert used > len(pages)  # most UTF-8 pages are parsed from their bytes


def test_short_values_memo_gives_what_normalization_gives(texts: list[str]) -> None:
    """The memo of short values (:func:`normalize._normalize_short`) returns what a fresh
    normalization returns, in either language, on a first call and on a repeat; it is bounded."""
    text._normalize_short.cache_clear()
    short = [t for t in texts if len(t) <= text.SHORT_TEXT]
    assert len(short) > 1000
    for language in (None, "fa", "ar"):
        for value in short[:: 1 if language is None else 5]:
            plain = text._normalize_text(value, language)
            assert normalize_text(value, language) == plain, repr(value)
            assert normalize_text(value, language) == plain, repr(value)  # from the memo
    info = text._normalize_short.cache_info()
    assert info.hits > 0
    assert info.maxsize is not None
    assert info.currsize <= info.maxsize
    long_value = "کتاب هاي " * 40
    assert len(long_value) > text.SHORT_TEXT
    before = text._normalize_short.cache_info().currsize
    assert normalize_text(long_value) == text._normalize_text(long_value, None)
    assert text._normalize_short.cache_info().currsize == before  # long texts are not kept


def test_widget_anchor_search_is_the_word_loop(texts: list[str]) -> None:
    from newscrawler.persian import widgets

    def loop(line: str) -> bool:
        line = widgets._PERSIAN_LETTERS(line)
        return any(word in line for word in widgets._ANCHORS) or (
            len(line) <= widgets._SHORT_LINE and any(w in line for w in widgets._SHORT_ANCHORS)
        )

    lines = [line for t in texts for line in t.split("\n")]
    lines += [f"{w} " for w in (*widgets._ANCHORS, *widgets._SHORT_ANCHORS)]
    lines += ["x" * 90 + widgets._SHORT_ANCHORS[0]]
    arabic = str.maketrans("یک", "يك")
    lines += [f"{w.translate(arabic)} " for w in (*widgets._ANCHORS, *widgets._SHORT_ANCHORS)]
    lines += [f"{w.replace('ی', 'ى')}" for w in (*widgets._ANCHORS, *widgets._SHORT_ANCHORS)]
    lines += [f"{w} {'ك'}" for w in (*widgets._ANCHORS, *widgets._SHORT_ANCHORS)]
    for line in lines:
        fast = widgets._ANCHOR_SEARCH(line) is not None or (
            len(line) <= widgets._SHORT_LINE and widgets._SHORT_ANCHOR_SEARCH(line) is not None
        )
        assert fast == loop(line), repr(line)
        assert widgets._anchored(line) == (
            fast
            or (
                bool(widgets._LATIN.search(line.encode("ascii", "ignore")))
                and bool(widgets._LATIN_ANCHORS.search(line))
            )
        ), repr(line)


def test_latin_letter_test_on_ascii_characters_is_the_class(texts: list[str]) -> None:
    """``_anchored``'s Latin test, run on a line's ASCII characters, answers as the class
    ``[A-Za-z@]`` run on the line (non-ASCII letters such as «é», «Ａ», «ſ» are not in it)."""
    from newscrawler.persian import widgets

    lines = [line for t in texts for line in t.split("\n")]
    lines += ["@", "é", "Ａ", "ſ", "K", "ایرنا irna", "۱۲۳ ٪", "", "ab\u200cسلام", "\x00z"]
    latin = re.compile("[A-Za-z@]")
    found = 0
    for line in lines:
        expected = latin.search(line) is not None
        assert (widgets._LATIN.search(line.encode("ascii", "ignore")) is not None) is expected
        found += expected
    assert 0 < found < len(lines)


def test_image_and_caption_is_what_the_selectors_give() -> None:
    """:func:`dom.image_and_caption` against the two selector queries it replaces, on every
    figure and image of the fixtures and on made-up edge cases."""
    from newscrawler.extraction.dom import image_and_caption

    pages = [
        html.read_bytes().decode("utf-8", "replace") for html in sorted(FIXTURES.glob("*/*.html"))
    ]
    pages.append(
        "<div><figure class='x'><!-- c --><p class='a\twp-caption-text  b'> زیر<b>نویس</b></p>"
        "<figcaption>دوم</figcaption><img src='1.jpg'><img src='2.jpg'></figure>"
        "<figure><figcaption></figcaption></figure><div class='wp-caption-text'>خود</div>"
        "<figure><span class='wp-caption-textx'>نه</span><img data-src='3.jpg' alt='alt'>"
        "</figure><img src='4.jpg' alt='تنها'></div>"
    )
    checked = 0
    for html in pages:
        for node in Selector(text=html).css("figure, img, .wp-caption, .wp-caption-text"):
            attrib, caption = image_and_caption(node.root)
            img = node if node.root.tag == "img" else node.css("img")
            expected = None
            if node.root.tag != "img":
                expected = node.css("figcaption, .wp-caption-text").xpath("string()").get()
            assert (dict(attrib), caption) == (dict(img.attrib), expected), node.get()[:200]
            checked += 1
    assert checked > 50


def _first_alternative_matching(root: Selector, css: str | None) -> list[Any]:
    """What :func:`select.css_first` replaces: each alternative queried in turn."""
    from newscrawler.extraction.select import split_css

    for alternative in split_css(css or ""):
        found = root.css(alternative)
        if found:
            return [node.root for node in found]
    return []


def test_css_first_skips_only_what_cannot_match() -> None:
    """Every selector field of every profile, on every fixture page (from the page and from its
    article element, before and after a class is removed from the page), finds the same
    elements with the skip as by querying each alternative."""
    import dataclasses

    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    from newscrawler.extraction.select import _plan, css_first

    loader = SpiderLoader.from_settings(Settings({"SPIDER_MODULES": ["newscrawler.spiders"]}))
    profiles = [loader.load(n).profile for n in loader.list() if hasattr(loader.load(n), "profile")]
    fields = [f.name for f in dataclasses.fields(profiles[0].selectors)]
    queries = {
        value
        for profile in profiles
        for name in fields
        if isinstance(value := getattr(profile.selectors, name), str)
    }
    queries |= {"div#content p.lead", "#main > .x", "p.text-justify", "* .a.b", "#nowhere"}
    queries |= {"DIV.A > P", "ul li > a", "body > * > div", "div.x#y.z", "h1, h2.Title", ".-a"}
    queries |= {"div .x > .y", "ul > li.a", "* > #main", "div div p.x", "section > div > .x"}
    skipped = [q for q in queries for alt, needs, _ in _plan(q) if needs]
    assert len(skipped) > 20  # the skip applies to most profile alternatives
    compared = 0
    for html in [*sorted(FIXTURES.glob("*/*.html")), *sorted(REAL_PAGES.glob("*.html"))]:
        page = Selector(text=html.read_bytes().decode("utf-8", "replace"))
        # the page, its article and a few blocks of every page as roots
        inner = page.css("article, main, body, div[class], section, ul")
        roots = [page, *inner[:1], *inner[::7]]
        for root in roots:
            for css in sorted(queries):
                got = [node.root for node in css_first(root, css)]
                assert got == _first_alternative_matching(root, css), (html.name, css)
                compared += 1
        # elements removed after an element's classes were read (widgets dropped) are not
        # found again
        for node in roots[1:3]:
            for css in sorted(queries):
                css_first(node, css)
            for element in list(node.root.iter(etree.Element))[3::4]:
                if element.getparent() is not None:
                    element.getparent().remove(element)
            for css in sorted(queries):
                expected = _first_alternative_matching(node, css)
                assert [n.root for n in css_first(node, css)] == expected, (html.name, css)
        for element in page.root.iter(etree.Element):  # classes change: the page is asked again
            element.attrib.pop("class", None)
        for css in sorted(queries):
            assert [n.root for n in css_first(page, css)] == _first_alternative_matching(page, css)
    assert compared > 1000


def test_loader_processors_are_itemloaders_lookups() -> None:
    """The processors :class:`ArticleLoader` caches per class are the ones ItemLoader's own
    lookup returns, for every field, also for a subclass that overrides one."""
    import dataclasses

    from itemloaders import ItemLoader
    from itemloaders.processors import MapCompose

    from newscrawler.extraction.loader import ArticleLoader
    from newscrawler.items import Article

    class Shouting(ArticleLoader):
        title_in = MapCompose(str.upper)

    for loader_class in (ArticleLoader, Shouting):
        loader = loader_class()
        for field in (f.name for f in dataclasses.fields(Article)):
            for ours, theirs in (
                (loader.get_input_processor, ItemLoader.get_input_processor),
                (loader.get_output_processor, ItemLoader.get_output_processor),
            ):
                assert ours(field) is theirs(loader, field), (loader_class, field)
    assert Shouting().get_input_processor("title") is Shouting.title_in
    assert ArticleLoader().get_input_processor("title") is not Shouting.title_in


def test_faster_spacing_patterns_match_what_hazms_match(texts: list[str]) -> None:
    """Each rewritten spacing pattern (:data:`spacing.FASTER_PATTERNS`) gives hazm's result with
    hazm's replacement, on generated text rich in what the patterns look at and on every
    fixture text; each one replaces a pattern hazm still has."""
    from newscrawler.persian import hazm_light

    constants = hazm_light.constants()
    hazms = {
        pattern: replacement
        for table in (
            constants.EXTRA_SPACE_PATTERNS,
            constants.AFFIX_SPACING_PATTERNS,
            constants.PUNCTUATION_SPACING_PATTERNS,
        )
        for pattern, replacement in table
    }
    assert set(spacing.FASTER_PATTERNS) <= set(hazms)
    rng = random.Random(16)
    pieces = ["ا", "ب", "ه", "ی", "ت", "ر", "گ", "a", "_", "1", "۲", " ", " ", ZWNJ, ZWNJ, ZWNJ]
    pieces += [".", "«", ")", "\n", "ها", "تر", "ترین", "گری", "هاي", "ه ی ", "ه ا", "م", "ش"]
    generated = [
        "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(60000)
    ]
    for pattern, faster in spacing.FASTER_PATTERNS.items():
        slow, fast, replacement = re.compile(pattern), re.compile(faster), hazms[pattern]
        changed = 0
        for value in generated + texts:
            expected = slow.sub(replacement, value)
            assert fast.sub(replacement, value) == expected, (pattern, value)
            changed += expected != value
        assert changed > 100, pattern  # the pattern had work to do


def test_seperate_mi_is_hazms(texts: list[str]) -> None:
    """The normalizer's ``seperate_mi`` (its pattern without a leading ``\\b``) against hazm
    0.12's own method on the same instance (same verb forms)."""
    from newscrawler.persian import hazm_light

    fast = text.normalizer()
    hazms = hazm_light.normalizer_class().seperate_mi
    rng = random.Random(5)
    pieces = ["می", "نمی", "ن", "م", "ی", "رو", "دانم", "گفت", "ز", " ", ZWNJ, "a", "1", "_", "."]
    generated = [
        "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(40000)
    ]
    joined = 0
    for value in generated + texts:
        expected = hazms(fast, value)
        assert fast.seperate_mi(value) == expected, repr(value)
        joined += expected != value
    assert joined > 100


def _generated_spacing_text(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    pieces = ["ا", "ب", "ه", "ی", "ن", "م", "ت", "ش", "د", "a", "_", "1", "۲", "٣", " ", " "]
    pieces += [ZWNJ, "\n", ".", "«", "می ", "نمی ", "ه ا", "ه ی ", "ید", "ند", "۱۴", "x9"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(count)]


def test_faster_spacing_rules_give_what_hazms_pattern_gives(texts: list[str]) -> None:
    """Each pattern of :data:`spacing.FASTER_RULES`, applied as its steps (another replacement,
    or two passes), gives hazm's result with hazm's replacement; and the normalizer's compiled
    rules are exactly hazm's patterns with these rewrites."""
    from newscrawler.persian import hazm_light

    constants = hazm_light.constants()
    hazms = {
        pattern: replacement
        for table in (constants.AFFIX_SPACING_PATTERNS, constants.PUNCTUATION_SPACING_PATTERNS)
        for pattern, replacement in table
    }
    assert set(spacing.FASTER_RULES) <= set(hazms)
    generated = _generated_spacing_text(17, 60000)
    for pattern, steps in spacing.FASTER_RULES.items():
        slow, replacement = re.compile(pattern), hazms[pattern]
        compiled = [(re.compile(step), step_replacement) for step, step_replacement in steps]
        changed = 0
        for value in generated + texts:
            expected = slow.sub(replacement, value)
            fast = value
            for step, step_replacement in compiled:
                fast = step.sub(step_replacement, fast)
            assert fast == expected, (pattern, value)
            changed += expected != value
        assert changed > 100, pattern


def test_arabic_hint_is_its_pattern(texts: list[str]) -> None:
    """``ARABIC_HINT.search`` (substring searches) says yes exactly when its regular expression
    finds a match: on the fixtures and on generated text of its letters, words and spaces."""
    from newscrawler.persian.language import ARABIC_HINT, ARABIC_HINT_PATTERN

    rng = random.Random(23)
    pieces = ["في", "على", "إلى", "الى", "عن", "الذي", "التي", "هذا", "هذه", "كان", "ة", "أ"]
    pieces += ["ف", "ع", "ن", "ي", "ى", "ك", "ا", "ه", " ", " ", "\n", "\t", "\u00a0", "x", "."]
    pieces += ["عنوان", "فيلم", "امكان", ZWNJ]
    generated = [
        "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))) for _ in range(40000)
    ]
    found = 0
    for value in generated + texts:
        expected = ARABIC_HINT_PATTERN.search(value) is not None
        assert ARABIC_HINT.search(value) is expected, repr(value)
        found += expected
    assert 1000 < found < len(generated)


def test_token_spacing_is_hazms_loop_on_joinable_tokens() -> None:
    """The normalizer's ``token_spacing`` (with and without its heads) against hazm 0.12's own
    loop, on tokens drawn mostly from what can join: suffixes, «می», light verbs, heads."""
    from newscrawler.persian import hazm_light

    normalizer = text.normalizer()
    if not isinstance(normalizer._words, hazm_light.Lexicon):
        pytest.skip("hazm's own lexicon")
    base = hazm_light.normalizer_class()
    rng = random.Random(29)
    pool = [*sorted(hazm_light.constants().SUFFIXES), "می", "نمی", "شده", "است", "یک", "هزار"]
    pool += [*rng.sample(sorted(normalizer._join_heads), 300), "کتاب", "رفت", "خواهد", "شد"]
    joined = 0
    for _ in range(20000):
        tokens = [rng.choice(pool) for _ in range(rng.randint(0, 10))]
        expected = base.token_spacing(normalizer, tokens)  # hazm's loop, words[pair][0] > 0
        args = (tokens, normalizer._words, normalizer._verbs, normalizer._suffixes)
        assert hazm_light.token_spacing(*args) == expected, tokens
        assert hazm_light.token_spacing(*args, normalizer._join_heads) == expected, tokens
        joined += len(expected) != len(tokens)
    assert joined > 1000


def test_metadata_walk_finds_what_the_three_queries_find() -> None:
    """:func:`metadata._tagged` (one walk) against the three XPath queries it replaces, on
    every fixture and real page, and on pages made to trip it."""
    from newscrawler.extraction.article import parse_page
    from newscrawler.extraction.metadata import _tagged

    metas = etree.XPath("//meta[@content]")
    canonical = etree.XPath("//link[@rel='canonical']/@href", smart_strings=False)
    scripts = etree.XPath("//script[@type='application/ld+json']/text()", smart_strings=False)
    made = [
        "<link rel=canonical><link rel=canonical href=/b><link rel=canonical href=/c>",
        "<LINK REL='canonical' HREF='/a'><link rel=Canonical href=/x><link rel='canonical x'>",
        "<meta content=a><meta name=x><META NAME=y CONTENT=''><p><meta property=z content=1>",
        "<script type='application/ld+json'></script><script type=application/ld+json>{}",
        "<script type='application/LD+json'>{}</script><script>{}</script><body><script "
        "type='application/ld+json'>[1]</script><svg><script type='application/ld+json'>2",
        "",
    ]
    pages = [f"<html><head>{head}</head><body><p>x</p></body></html>" for head in made]
    for path in [*sorted(FIXTURES.glob("*/*.html")), *sorted(REAL_PAGES.glob("*.html"))]:
        pages.append(path.read_bytes().decode("utf-8", "replace"))
    found = 0
    for html in pages:
        root = parse_page(html, "https://x.ir/a").root
        expected = canonical(root)
        got_metas, got_canonical, got_scripts = _tagged(root)
        assert got_metas == metas(root), html[:200]
        assert got_canonical == (expected[0] if expected else None), html[:200]
        assert got_scripts == scripts(root), html[:200]
        found += bool(got_scripts) + bool(got_canonical)
    assert found > 30


#: Pieces for generated text that reaches every pass the normalizer may skip: diacritics,
#: special characters, Unicode replacements, repeated letters and digits, tatweel, odd spaces.
_PASS_PIECES = [
    *"ابهیمنکتد ",
    *"\u064e\u0650\u0651\u0670\u06d4\u0653ـ\t\u00a0\u2009\r",
    *["ﷲ", "ﻻ", "(ﷰ|ﷹ)", "﷼", "ممم", "سلامممم", "۰۰۰", "...", "!!!", "111", "٣٤", "۱۲"],
    *["می ", "نمی ", "ه ا", "ه ی ", " ها", "ي", "ك", "ى", ZWNJ, "\n", "«", ".", "COVID-19", "a"],
]


def test_normalizer_with_skipped_passes_is_hazms(reference_normalizer: object) -> None:
    """The normalizer skips the diacritics, special-character and Unicode-replacement passes
    when none of their characters is in the text, and the repeated-letter pass when no
    character is repeated three times: on generated text full of those, hazm's output."""
    fast = text.normalizer()
    rng = random.Random(31)
    generated = [
        "".join(rng.choice(_PASS_PIECES) for _ in range(rng.randint(0, 12))) for _ in range(6000)
    ]
    changed = 0
    for value in generated:
        expected = reference_normalizer.normalize(value)  # type: ignore[attr-defined]
        assert fast.normalize(value) == expected, repr(value)
        changed += expected != value
    assert changed > 3000


def test_normalize_skips_digit_and_space_passes_only_when_idle() -> None:
    """``_normalize`` checks once for Arabic-Indic digits and spaces other than « »; the two
    passes it skips would have left the text as it is."""

    def unskipped(value: str) -> str | None:
        value = text._ARABIC_INDIC_DIGITS(value)
        if "  " in value or text._OTHER_SPACES.search(value):
            value = text._SPACES.sub(" ", value)
        return value

    rng = random.Random(37)
    for _ in range(20000):
        value = "".join(rng.choice(_PASS_PIECES) for _ in range(rng.randint(0, 8)))
        odd = text._DIGIT_OR_SPACE.search(value) is not None
        if not odd:
            assert unskipped(value) == (text._SPACES.sub(" ", value) if "  " in value else value)
    for value in ["٣٤", "a\tb", "a\u00a0b", "a\u2009b", "a\u3000b", "۳٤"]:
        assert text._DIGIT_OR_SPACE.search(value) is not None


def test_text_key_is_the_regex_form(texts: list[str]) -> None:
    """:func:`text_key` without the regular expression: the same key, whitespace of every kind
    (``\\s`` and ``str.split`` agree on every code point) and ZWNJ removed."""
    from newscrawler.persian import chars

    spaces = [chr(c) for c in range(0x110000) if re.match(r"\s", chr(c))]
    assert spaces == [chr(c) for c in range(0x110000) if chr(c).isspace()]
    values = [*texts, "".join(spaces) + "a" + ZWNJ + "b ۱۲ ٣", *(f"x{s}y" for s in spaces)]
    for value in values:
        assert text_key(value) == chars._TO_LATIN_DIGITS(chars._KEY_JUNK.sub("", value))


def test_text_of_a_leaf_is_what_its_paragraphs_give() -> None:
    """``dom.text_of`` reads an element without children from its text: the same as the walk
    of :func:`dom.paragraphs`, on every element of the fixtures and real pages (and leaves
    made to trip it: ``<br>``, scripts, comments, white space only)."""
    from newscrawler.extraction.article import parse_page
    from newscrawler.extraction.dom import paragraphs, text_of

    made = "<br>x<script>s</script><style> </style><b> \n </b><i></i><!-- c --><U>Up</U>"
    pages = [f"<html><body><p>{made}</p></body></html>"]
    for path in [*sorted(FIXTURES.glob("*/*.html")), *sorted(REAL_PAGES.glob("*.html"))]:
        pages.append(path.read_bytes().decode("utf-8", "replace"))
    leaves = 0
    for html in pages:
        page = parse_page(html, "https://x.ir/")
        for element in page.root.iter():
            node = Selector(root=element, type="html")
            walked = " ".join(" ".join(paragraphs([node])).split()) or None
            assert text_of([node]) == walked, etree.tostring(element)[:200]
            leaves += len(element) == 0
    assert leaves > 5000


def test_loose_text_walk_is_the_xpath() -> None:
    """``widgets.loose_text`` against the XPath it replaces, on every element of the fixtures
    and real pages, and on elements made to trip it (text in links, in scripts, in comments'
    tails, 40 and 41 characters, inside a link from above)."""
    from newscrawler.extraction.article import parse_page
    from newscrawler.extraction.widgets import _LOOSE, loose_text

    query = etree.XPath(
        "boolean(descendant::text()[not(ancestor::a or parent::script or parent::style)]"
        f"[string-length() > 40 or translate(., '{_LOOSE}', '') != ''][1])"
    )
    made = (
        "<ul><li><a href=/1>یک</a> | </li><li>۱۲ <!-- c -->x</li></ul>"
        "<div><script>var a</script><style>p{}</style>" + "-" * 40 + "</div>"
        "<div>" + "-" * 41 + "</div><p><a href=/2>a<b>b</b>c</a>d</p><a href=/3><span>x"
        "<i>y</i></span></a><p><span>. <b>: </b></span>،</p>"
    )
    pages = [f"<html><body>{made}</body></html>"]
    for path in [*sorted(FIXTURES.glob("*/*.html")), *sorted(REAL_PAGES.glob("*.html"))]:
        pages.append(path.read_bytes().decode("utf-8", "replace"))
    answers = {True: 0, False: 0}
    for html in pages:
        for element in parse_page(html, "https://x.ir/").root.iter(etree.Element):
            expected = query(element)
            assert loose_text(element) is expected, etree.tostring(element)[:300]
            answers[expected] += 1
    assert min(answers.values()) > 1000
