"""Repair the text of Persian pages whose bytes are not in the encoding they declare.

Scrapy decodes a page with the charset of its ``Content-Type`` header, else its BOM, else its
``<meta charset>``, else a guess among ASCII, UTF-8 and cp1252. Legacy Iranian pages break
this in three ways (research notes §4.8):

* windows-1256 bytes with no charset anywhere: Scrapy's guess is cp1252 (or UTF-8 with U+FFFD
  replacement characters), so «سلام» comes out as «Óáǻ» or «����»;
* a page that *declares* UTF-8 (header or meta) but is windows-1256, often a template in UTF-8
  with an article body pasted from an old system (then the page is a mix of both);
* the reverse: a header that says windows-1256 over UTF-8 bytes («ط³ظ„ط§ظ…»).

The repair is a choice among a few decodings, by a score that counts Arabic-script letters and
subtracts the marks of a wrong decoding (Latin-1 letters and cp1252/cp1256 symbols, U+FFFD).
A decoding replaces Scrapy's only when it scores clearly better, so a correct page is never
touched; a page that is valid UTF-8 and was decoded as UTF-8 is not even scored.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["decode_mixed", "repair", "score"]

_UTF8_BOM = codecs.BOM_UTF8
#: Letters of Persian and Arabic text (hamza … yeh, and the Persian پ چ ژ ک گ ی).
_ARABIC_LETTERS = re.compile("[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]")
#: What a wrong decoding of Arabic-script bytes leaves: Latin-1 letters and symbols, cp1252 and
#: cp1256 punctuation from the 0x80-0xBF rows, Latin Extended letters, and U+FFFD. The Persian
#: punctuation of those rows (« » ، ؛ ؟, no-break space, ZWNJ) is not counted.
_WRONG = re.compile(
    "[\u0080-\u009f\u00a1-\u00aa\u00ac-\u00ba\u00bc-\u00ff\u0100-\u024f\u02c6\u02dc"
    "\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\ufffd]"
)
#: Extra score a repair needs over Scrapy's decoding before it is used.
MARGIN = 8


#: Where a windows-1256 word that happens to be valid UTF-8 lands («شک» → U+0518, «رگ» →
#: U+0450): Latin Extended to Hebrew, and Syriac to NKo. Real Persian UTF-8 is U+0600-U+06FF.
_ACCIDENTAL_UTF8 = re.compile("[\u0100-\u05ff\u0700-\u07ff]")
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")


def _decode_run(run: bytes) -> str:
    try:
        text = run.decode("utf-8")
    except UnicodeDecodeError:
        return run.decode("cp1256")
    return run.decode("cp1256") if _ACCIDENTAL_UTF8.search(text) else text


def decode_mixed(body: bytes) -> str:
    """Decode a page that mixes UTF-8 and windows-1256 (a UTF-8 template around a body pasted
    from an old system), one run of non-ASCII bytes (about one word) at a time.

    >>> decode_mixed("خبر ".encode() + "بزرگ شک".encode("cp1256"))
    'خبر بزرگ شک'
    """
    parts, start = [], 0
    for match in _NON_ASCII_RUN.finditer(body):
        parts.append(body[start : match.start()].decode("ascii"))
        parts.append(_decode_run(match.group()))
        start = match.end()
    parts.append(body[start:].decode("ascii"))
    return "".join(parts)


def score(text: str) -> int:
    """How much ``text`` looks like correctly decoded Persian: letters minus four per mark of a
    wrong decoding.

    >>> score("سلام دنیا") > 0
    True
    >>> score("Óáǻ ÏäíÇ") < 0
    True
    """
    return len(_ARABIC_LETTERS.findall(text)) - 4 * len(_WRONG.findall(text))


def codec_name(name: str | None) -> str:
    """Python's name of the codec ``name`` stands for; ``""`` for none."""
    try:
        return codecs.lookup(name or "").name
    except LookupError:
        return ""


def repair(body: bytes, encoding: str | None, text: str) -> tuple[str, str] | None:
    """``(text, how)`` when ``body``, decoded by Scrapy with ``encoding`` into ``text``, reads
    better another way; ``None`` when Scrapy's text is right (the usual case).

    ``how`` names the repair for the stats: ``utf8``, ``cp1256`` or ``mixed``.

    >>> page = "<p>سلام دنيا، خبر تازه</p>".encode("cp1256")  # windows-1256 has Arabic yeh
    >>> fixed = repair(page, "cp1252", page.decode("cp1252"))
    >>> fixed is not None and fixed[1]
    'cp1256'
    >>> fixed[0]
    '<p>سلام دنيا، خبر تازه</p>'
    >>> utf8 = "<p>سلام دنیا</p>".encode()
    >>> repair(utf8, "utf-8", utf8.decode()) is None
    True
    """
    if body.isascii():
        return None
    declared = codec_name(encoding)
    if declared == "utf-8" and "\ufffd" not in text:
        # Scrapy's UTF-8 decoding replaced nothing: valid UTF-8 read as UTF-8 (the common,
        # correct case), known without decoding the body a second time (60-80 µs a page)
        return None
    try:
        as_utf8 = body.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is not None:
        if declared == "utf-8":
            return None  # valid UTF-8 read as UTF-8: the common, correct case
        # Real windows-1256 text is practically never valid UTF-8, so valid UTF-8 is UTF-8.
        candidates = {"utf8": as_utf8.removeprefix("\ufeff")}
    else:
        payload = body.removeprefix(_UTF8_BOM)
        candidates = {
            "cp1256": payload.decode("cp1256"),
            "mixed": decode_mixed(payload),
        }
    current = score(text)
    how, best = max(candidates.items(), key=lambda pair: score(pair[1]))
    if score(best) < current + MARGIN:
        return None
    return best, how


def utf8_source(body: bytes, encoding: str | None, text: str) -> bytes | None:
    """The bytes the page's parse would make of ``text`` (what Scrapy decoded ``body`` into
    with ``encoding``), taken from ``body``; ``None`` when they cannot be.

    parsel parses a text as ``text.strip().replace("\\x00", "")`` encoded in UTF-8: 40 KB
    copied twice and encoded again (0.1-0.2 ms a page) to give back the bytes the page came
    in. They are ``body`` without its white space at both ends when the page is UTF-8 that
    Scrapy decoded without replacing anything (no U+FFFD in the text), holds no NUL, and
    starts with ``<`` and ends with ``>`` once ASCII white space is stripped (so the text's
    own ``strip`` stops at the same characters; a BOM, which Scrapy drops, fails this too).

    >>> utf8_source("<p>سلام</p>\\n".encode(), "utf-8", "<p>سلام</p>\\n")
    b'<p>\\xd8\\xb3\\xd9\\x84\\xd8\\xa7\\xd9\\x85</p>'
    >>> utf8_source(b"<p>x</p>\\xc2\\xa0", "utf-8", "<p>x</p>\\xa0") is None
    True
    """
    if codec_name(encoding) != "utf-8" or b"\x00" in body:
        return None
    stripped = body.strip()
    if stripped[:1] != b"<" or stripped[-1:] != b">" or "\ufffd" in text:
        return None
    return stripped
