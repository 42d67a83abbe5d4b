"""The texts the normalizer's fast paths are compared on, and hazm's own normalizer as the
reference they are held to (the ``texts`` and ``reference_normalizer`` fixtures of
``tests/conftest.py``)."""

from __future__ import annotations

from pathlib import Path

from parsel import Selector

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REAL_PAGES = Path(__file__).resolve().parent.parent.parent.parent / "shared" / "real-pages"
DEMO_CORPUS = Path(__file__).resolve().parent.parent.parent / "tools" / "demo" / "corpus.txt"

EDGE_CASES = [
    "",
    " ",
    "\n\n",
    "سلامممممم دنیااااا",
    "ســـــلام",
    "مي روم و نمي آيم، ميروم",
    "كتاب هاي   درسي\u200c\u200c ها",
    "\u200cسلام\u200c \u200cبه\u200c همه\u200c",
    "حَذفِ اِعرابِ قُرآن",
    "﷼ و ﷽ و ﻻ",
    "پیامبر اکرم ﷺ",
    '" سلام به همه "  ( پرانتز ) [ کروشه ]',
    "قیمت۱٬۲۰۰تومان و ۵۰درصد و 3.5 درصد",
    "زمین لرزه ای به بزرگی ۶ ریشتر",
    "تکمیل شده است و انجام شد",
    "یک میلیون و یک هزار",
    "می\nروم\n\nمی شود",
    "آ ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف ق ک گ ل م ن و ه ی",
    "ؠػػؽؾؿكيٮٯٷٸٹٺٻټ ﭐﭑﭒﭓ ﺁﺃﺄﺅ",
    "می روم، نمی روم؛ می\u200cروم و نمیروم. می ",
    "نمی خواهد\nمی خواهد",
    "خانه ای و خانه اش، نامه ها و جمعهها؛ بزرگ تر و بزرگ ترین",
    "سال۱۴۰۳ و ۱۴۰۲تا ۱۴۰۱/۰۲/۲۹ و ۱۲۳۴۵۶ و ٣٤٥ و ۱۲.۵ درصد و 3.14",
    "COVID-19 و iPhone15 در www.irna.ir/news/123 و info@irna.ir ساعت 12:30",
    "في هذا اليوم كان على الذي عن التي هذه إلى الى",
    "ة أ إ عنوان فيلم امكان",
    "\u200c\u200cسلام\u200c\u200c \u200c دنیا\u200c",
    "«سلام»(دنیا)[کروشه]{آکولاد} . : ! ، ؛ ؟",
]


def corpus() -> list[str]:
    """Every text node of the fixtures (articles and listings) and of the real pages, the demo's
    text pool, and edge cases."""
    texts: list[str] = list(EDGE_CASES)
    for html in [*sorted(FIXTURES.glob("*/*.html")), *sorted(REAL_PAGES.glob("*.html"))]:
        page = Selector(text=html.read_bytes().decode("utf-8", "replace"))
        texts += [t for t in page.xpath("//body//text()").getall() if t.strip()]
        texts += page.xpath("//meta/@content").getall()
    if DEMO_CORPUS.exists():
        lines = DEMO_CORPUS.read_text(encoding="utf-8").splitlines()
        texts += [line.partition(" = ")[2] for line in lines if " = " in line]
    texts += ["\n".join(texts[i : i + 7]) for i in range(0, len(texts), 7)]  # multi-line values
    return texts


def reference_normalizer() -> object:
    """hazm's ``Normalizer`` with the one override newscrawler makes on purpose (a joined token
    that was two words of the text is split again), with the project's options."""
    from hazm import Normalizer

    from newscrawler.persian import normalize, spacing

    class Reference(Normalizer):  # type: ignore[misc]
        def token_spacing(self, tokens: list[str]) -> list[str]:
            original = set(tokens)
            spaced: list[str] = super().token_spacing(tokens)
            return [word for token in spaced for word in spacing._unjoin(token, original)]

    return Reference(**normalize.NORMALIZER_OPTIONS)
