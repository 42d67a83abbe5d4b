"""Widget lines: the four widgets real sites print inside the article body, recognised as text.

The DOM rules (``extraction/widgets.py`` and ``COMMON_DROP``) remove the widgets first, by the
class names of their plugins and by their shape; these rules catch what reaches the text as a
plain paragraph:

- **related news**: the headings of an in-body box («خبرهای مرتبط», «پیشنهاد سردبیر»; the
  :data:`RELATED_HEADINGS`, also read by the DOM rule that drops the list under such a heading);
- **photo credits**: a credit, alone or after a caption («… / عکس: ایرنا», «عکاس: …», «منبع
  عکس: …»), at most :data:`CREDIT_WORDS` words and no verb after its label;
- **social calls to action**: a messenger and an imperative («کانال تلگرام … را دنبال کنید», «به
  کانال … در ایتا بپیوندید»), a messenger label ending in a handle or link, a line of handles or
  messenger links, a line of messenger names;
- **star ratings**: «در حال بارگذاری…», «۱۲ رای، میانگین ۴٫۵ از ۵», «امتیاز: ۴ از ۵», the prompts of
  the rating plugins.

Lines are folded first (Arabic ي/ك/ى and hamza forms to Persian, digits to ASCII, half-spaces
to spaces, lower case), so a rule holds whatever the spelling. A line longer than
:data:`WIDGET_LINE_CHARS` is never a widget: article paragraphs skip every rule at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from newscrawler.persian.chars import has_arabic_yeh_kaf, translator

#: Headings of a related-news box. Exact lines (see ``boilerplate.EXACT_LINES``), and the
#: DOM rule drops the list of links under such a heading.
RELATED_HEADINGS: tuple[str, ...] = (
    "اخبار مرتبط",
    "خبرهای مرتبط",
    "خبر مرتبط",
    "مطالب مرتبط",
    "مطلب مرتبط",
    "مرتبط",
    "بیشتر بخوانید",
    "همچنین بخوانید",
    "بخوانید",
    "پیشنهاد سردبیر",
    "پیشنهاد ما",
    "پیشنهاد خبرنگار",
    "پیشنهاد ویژه",
    "مطالب پیشنهادی",
    "اخبار پیشنهادی",
    "خبرهای پیشنهادی",
    "مطالب مشابه",
    "اخبار مشابه",
    "در همین زمینه",
    "در همین زمینه بخوانید",
    "در همین رابطه بخوانید",
    "اقرأ أيضا",
    "اقرأ المزيد",
    "أخبار ذات صلة",
    "ذات صلة",
)

#: Longest line any widget rule looks at; article paragraphs are longer.
WIDGET_LINE_CHARS = 300
#: Most words a credit's name may have («عکس: سید علی محمدی / ایرنا»).
CREDIT_WORDS = 6
#: Most words of the caption a credit follows.
CAPTION_WORDS = 30

_FOLD = translator(
    str.maketrans(
        "يىئكأإٱۀة\u200c\u00a0٫٬۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩",
        "یییکاااهه  .," + "0123456789" * 2,
    )
)


def fold(line: str) -> str:
    """The spelling the widget rules read: Persian letters, ASCII digits, single spaces.

    >>> fold("عكس‌ها:  ۱۲ رأی")
    'عکس ها: 12 رای'
    """
    return " ".join(_FOLD(line).lower().split())


# --- photo credits -------------------------------------------------------------------------
_CREDIT_LABEL = (
    r"(?:منبع (?:عکس|تصویر|تصاویر)|(?:عکس|عکس ها|عکسها|تصویر|تصاویر|فیلم و عکس|عکس و فیلم)"
    r"(?: از)?|عکاس(?:ان)?|عکس و (?:گزارش|خبر)|photos?(?: by)?|image|credit|صوره|تصویر|عدسه)"
)
#: A verb after the label makes it a sentence («عکس از بالا گرفته شد»), not a credit.
_NOT_A_NAME = (
    rf"(?!(?:[^ ]+ ){{0,{CREDIT_WORDS - 1}}}"
    r"(?:است|شد|شده|بود|کرد|کرده|گرفت|گرفته|می|نمی|دارد|داشت)(?: |\.|$))"
)
_NAME = rf"{_NOT_A_NAME}[^ .:!?؟؛]+(?: [^ .:!?؟؛]+){{0,{CREDIT_WORDS - 1}}}\.?"
_CREDIT = (
    rf"(?:{_CREDIT_LABEL} ?[:：] ?{_NAME}|(?:عکس|عکس ها|عکسها|تصاویر) از {_NAME}|عکاس {_NAME}"
    r"|(?:عکس|تصویر|تصاویر) (?:تزئینی|تزیینی|آرشیوی|آرشیو)(?: است)?)"
)
_CAPTION = rf"(?:[^ ]+ ){{0,{CAPTION_WORDS - 1}}}[^ ]+"
_CREDIT_LINE = re.compile(
    rf"[(\[]? ?{_CREDIT} ?[)\]]?"  # the credit alone
    rf"|{_CAPTION} ?[/|–—؛-] ?[(\[]? ?{_CREDIT} ?[)\]]?"  # caption / credit
    rf"|{_CAPTION} ?[(\[] ?{_CREDIT} ?[)\]]"  # caption (credit)
    rf"|{_CREDIT} ?[/|–—-] ?{_CAPTION}"  # credit / caption
)

# --- social calls to action ----------------------------------------------------------------
_MESSENGER = (
    r"(?<!\w)(?:تلگرام|تلگرامی|ایتا|بله|روبیکا|سروش(?: پلاس)?|اینستاگرام|اینستا|آپارات|واتساپ"
    r"|واتس اپ|ویراستی|آی ?گپ|توییتر|یوتیوب|پیام ?رسان(?: ها| های)?(?: داخلی| بومی)?"
    r"|شبکه های اجتماعی|تلغرام|انستغرام|telegram|eitaa|bale|rubika|soroush|instagram"
    r"|aparat|whatsapp|twitter|youtube)ی?(?!\w)"  # «کانال ایتای ما»: with its ezafe
)
_CTA_VERB = (
    r"(?<!\w)(?:دنبال کنید|بپیوندید|عضو شوید|عضو بشوید|ملحق شوید|همراه باشید|کلیک کنید"
    r"|تابعونا|انضموا|join|follow|subscribe)(?!\w)"
)
_SOCIAL_LINK = (
    r"(?:@[a-z0-9_]{3,}|(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me|eitaa\.com|ble\.ir|rubika\.ir"
    r"|splus\.ir|sapp\.ir|instagram\.com|aparat\.com|wa\.me|virasty\.com|igap\.net|gap\.im"
    r"|twitter\.com|x\.com|youtube\.com)/[^ ]*)"
)
_CHANNEL = r"(?:کانال|صفحه|پیج|آدرس|شناسه|لینک|id|آیدی)"
_CTA_LINE = re.compile(
    # a messenger, then an imperative, then nothing but links, handles, messengers, symbols
    rf".*{_MESSENGER}.*{_CTA_VERB}(?: ?(?:{_SOCIAL_LINK}|{_MESSENGER}|[^\w ]))*"
    # an imperative first («عضویت در کانال تلگرام: …», "join us on telegram")
    rf"|[^\w]*(?:عضویت|لینک عضویت|{_CTA_VERB})(?: us| ما)?\b(?: [^ ]+){{0,12}}"
    rf" ?(?:{_MESSENGER}|{_SOCIAL_LINK})(?: ?(?:{_SOCIAL_LINK}|[^\w ]))*"
    # a short messenger or channel label that ends in a handle or link
    rf"|(?:[^ ]+ ){{0,10}}(?:{_MESSENGER}|{_CHANNEL})(?: [^ ]+){{0,6}} ?[:：]? ?{_SOCIAL_LINK}"
    rf"(?: ?(?:{_SOCIAL_LINK}|[^\w ]))*"
    rf"|[^\w@]*{_SOCIAL_LINK}(?: ?(?:{_SOCIAL_LINK}|[^\w@ ]))*"  # handles and links only
    rf"|[^\w]*{_MESSENGER}(?:[^\w]+{_MESSENGER})+[^\w]*"  # messenger names only
    r"|[^\w]*(?:به ما بپیوندید|با ما همراه باشید|join us|follow us)[^\w]*"
)

# --- star ratings (over the folded line without spaces) ------------------------------------
_NUMBER = r"\d+(?:[./]\d+)?"
_OUT_OF = r"(?:از|/|outof)"
_RATING_PIECE = (
    rf"(?:\d+(?:رای|آرا|نفر|votes?|ratings?)"
    rf"|(?:میانگین|average)(?:امتیاز(?:ات)?|rating)?:?{_NUMBER}(?:{_OUT_OF}\d+)?(?:بهطورمیانگین)?"
    rf"|(?:امتیاز(?:شما|کاربران|این(?:مطلب|خبر))?|rating|score):?{_NUMBER}(?:{_OUT_OF}\d+)?"
    rf"|{_NUMBER}{_OUT_OF}\d+(?:ستاره)?(?:بهطورمیانگین)?|\d+ستاره"
    r"|(?:total|مجموع|تعدادآرا|تعدادرای|رای|آرا|votecount|votes?):?\d+)"
)
_RATING_PROMPT = (
    r"(?:درحالبارگذاری|درحالبارگزاری|لطفاصبرکنید|loading|جاریالتحمیل"
    r"|بهاین(?:مطلب|خبر|پست|نوشته|مقاله)امتیاز(?:بدهید|دهید)|امتیاز(?:بدهید|دهید|دهی|شما)"
    r"|ثبتامتیاز|رایدهید|(?:هنوز)?(?:امتیازی|رایی)(?:ثبت|داده)نشده(?:است)?"
    r"|(?:اولین|نخستین)نفری?باشیدکه.{0,40}|برایامتیاز(?:دادن|دهی).{0,40}"
    r"|(?:clickto)?rate(?:this)?(?:post|article)?|submitrating|novotessofar.{0,60}"
    r"|bethefirsttorate.{0,40}|averagerating.{0,40})"
)
_RATING_LINE = re.compile(
    rf"[\W_]*(?:{_RATING_PROMPT}|{_RATING_PIECE})(?:[\W_]*(?:{_RATING_PROMPT}|{_RATING_PIECE}))*"
    r"[\W_]*"
)


#: Words one of the rules needs: a line with none of them is no widget line, and most lines
#: are let through on these ``in`` tests, before folding (each a fast substring search; one
#: regular expression of the same words scans a line ten times slower). Persian words as the
#: normalized body spells them; Latin ones only looked for when the line has a Latin letter.
_ANCHORS = (
    # credits: عکس, عکاس, تصویر, تصاویر, the Arabic عدسة
    "عکس", "عکاس", "تصویر", "تصاویر", "عدس",
    # calls to action: the imperatives (a line of messenger names is short, below)
    "دنبال کنید", "بپیوندید", "عضو شوید", "عضو بشوید", "ملحق شوید", "همراه باشید",
    "کلیک کنید", "عضویت", "تابعونا", "انضموا",
    # ratings
    "امتیاز", "میانگین", "ستاره", "بارگذاری", "بارگزاری", "صبر کنید", "تحميل",
)  # fmt: skip
#: Words that open the rules to a short line only: too common inside sentences («برای»,
#: «صورت», «مقابله»), and the lines that need them (a vote count, a list of messengers, an
#: Arabic credit) are short.
_SHORT_ANCHORS = (
    "رای", "رأی", "آرا", "صور", "تلگرام", "ایتا", "بله", "روبیکا", "سروش", "اینستا",
    "آپارات", "واتس", "ویراستی", "گپ", "توییتر", "یوتیوب", "تلغرام", "انستغرام",
)  # fmt: skip
_SHORT_LINE = 80
_LATIN_ANCHORS = re.compile(
    r"@|\.(?:me|com|ir|im|net)/|photo|image|credit|telegram|eitaa|bale|rubika|soroush|instagram"
    r"|aparat|whatsapp|twitter|youtube|join|follow|subscribe|vote|rate|rating|average|total"
    r"|loading|score",
    re.IGNORECASE,
)
#: A Latin letter or ``@``, searched in a line's ASCII characters only (``str.encode`` with
#: ``"ignore"`` keeps them, in order): a Persian line of 180 characters is 1.5 µs this way, 4.2
#: by the same class searched in the line itself.
_LATIN = re.compile(b"[A-Za-z@]")
#: What a line not normalized may hold for the Persian letters of the anchors: Arabic ي, ى, ك.
_PERSIAN_LETTERS = translator(str.maketrans("يكى", "یکی"))
_LETTER_VARIANTS = {"ی": "[یيى]", "ک": "[کك]"}


def _anchor_search(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for whether ``_PERSIAN_LETTERS(line)`` holds one of ``words``, run on the
    line itself: each «ی» and «ک» of a word matches its Arabic forms too, and a word that
    holds an Arabic form cannot be in a line those were translated out of. Saves a scan of
    every body line for the translation."""
    found = [word for word in words if word == _PERSIAN_LETTERS(word)]
    return re.compile(
        "|".join("".join(_LETTER_VARIANTS.get(c, re.escape(c)) for c in w) for w in found)
    )


#: Whether a line holds one of :data:`_ANCHORS` (or :data:`_SHORT_ANCHORS`) once its Arabic
#: letters are made Persian: one scan of the line instead of one per word.
_ANCHOR_SEARCH = _anchor_search(_ANCHORS).search
_SHORT_ANCHOR_SEARCH = _anchor_search(_SHORT_ANCHORS).search
#: The words the two patterns look for, as they are (Persian letters only).
_PERSIAN_ANCHORS = tuple(w for w in _ANCHORS if w == _PERSIAN_LETTERS(w))
_PERSIAN_SHORT_ANCHORS = tuple(w for w in _SHORT_ANCHORS if w == _PERSIAN_LETTERS(w))


def _holds(line: str, words: tuple[str, ...], search: Callable[[str], Any]) -> bool:
    """Whether ``search`` (an anchor pattern) finds one of ``words`` in ``line``. A line
    without the Arabic letters ي, ى, ك (a normalized Persian line always) is its own Persian
    spelling, and substring tests answer for the pattern in half its time (6.5 against 13 µs
    on a body line of 120 characters)."""
    if has_arabic_yeh_kaf(line):
        return search(line) is not None
    # a loop: any() over a generator took 4.1 µs a body line, this 2.6
    for word in words:  # noqa: SIM110
        if word in line:
            return True
    return False


def _anchored(line: str) -> bool:
    return (
        _holds(line, _PERSIAN_ANCHORS, _ANCHOR_SEARCH)
        or (len(line) <= _SHORT_LINE and _holds(line, _PERSIAN_SHORT_ANCHORS, _SHORT_ANCHOR_SEARCH))
        or bool(_LATIN.search(line.encode("ascii", "ignore")) and _LATIN_ANCHORS.search(line))
    )


def is_widget_line(line: str) -> bool:
    """True when ``line`` is a related-news heading's companion, a photo credit, a social call
    to action or a star-rating widget's text.

    >>> is_widget_line("استاندار قزوین در جلسه شورای اداری / عکس: ایرنا")
    True
    >>> is_widget_line("کانال تلگرام کافه خبر قزوین را دنبال کنید 👇")
    True
    >>> is_widget_line("(۱۲ رای، میانگین: ۴٫۵ از ۵)")
    True
    >>> is_widget_line("وی گفت: عکس‌های این حادثه در تلگرام منتشر شد.")
    False
    """
    if len(line) > WIDGET_LINE_CHARS or not _anchored(line):
        return False
    text = fold(line)
    return bool(
        _CREDIT_LINE.fullmatch(text)
        or _CTA_LINE.fullmatch(text)
        or _RATING_LINE.fullmatch(text.replace(" ", ""))
    )
