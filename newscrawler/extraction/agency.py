"""Which news agency a text comes from, from its dateline or source line."""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Agency code → the names it is cited by (after normalization; spaces may vary).
AGENCIES: dict[str, tuple[str, ...]] = {
    "IRNA": ("ایرنا", "خبرگزاری جمهوری اسلامی"),
    "ISNA": ("ایسنا", "خبرگزاری دانشجویان ایران"),
    "Mehr": ("خبرگزاری مهر", "مهر"),
    "Tasnim": ("تسنیم", "خبرگزاری تسنیم"),
    "Fars": ("خبرگزاری فارس", "فارس"),
    "YJC": ("باشگاه خبرنگاران جوان", "باشگاه خبرنگاران"),
    "IRIB": ("خبرگزاری صداوسیما", "صدا و سیما", "صداوسیما"),
    "ILNA": ("ایلنا",),
    "IQNA": ("ایکنا",),
    "Borna": ("برنا",),
}

_NAMES = "|".join(
    sorted(
        (re.escape(n).replace(r"\ ", r"[\s\u200c]*") for names in AGENCIES.values() for n in names),
        key=len,
        reverse=True,
    )
)
_CITE = re.compile(
    rf"^(?:[^،,.]{{0,40}}[-–]\s*)?(?:به\s+گزارش|به\s+نقل\s+از|منبع\s*:?|گزارش\s+از)"
    rf"\s*(?:خبرنگار\s+|گروه\s+[^،]{{0,40}}?\s*)?(?:خبرگزاری\s*)?(?P<name>{_NAMES})"
    r"(?![\w\u200c])"  # a whole name: «مهرآباد», «برنامه», «فارسی» are not agencies
)
#: «به گزارش <site> به نقل از <agency>»: a site quoting the agency it copied.
_RELAYED = re.compile(
    rf"^(?:به\s+گزارش|به\s+نقل\s+از)[^،,.]{{1,40}}?\s+به\s+نقل\s+از\s*(?:خبرگزاری\s*)?"
    rf"(?P<name>{_NAMES})(?![\w\u200c])"
)
_DATELINE = re.compile(r"^[^،,.\n]{1,30}[-–]\s*(?P<name>ایرنا|ایسنا|ایلنا|ایکنا)\s*[-–]")


def _code(name: str) -> str | None:
    squashed = re.sub(r"[\s\u200c]+", "", name)
    for code, names in AGENCIES.items():
        if any(re.sub(r"\s+", "", n) == squashed for n in names):
            return code
    return None


def detect_agency(lines: Iterable[str]) -> str | None:
    """The agency cited by the first lines («به گزارش ایرنا»، «به نقل از ایسنا») or a source
    line («منبع: مهر») anywhere.

    >>> detect_agency(["به گزارش ایرنا، حمیدرضا خانپور روز سه شنبه گفت"])
    'IRNA'
    >>> detect_agency(["متن خبر", "منبع: ایسنا"])
    'ISNA'
    >>> detect_agency(["به گزارش گروه استان های باشگاه خبرنگاران جوان از قزوین، ..."])
    'YJC'
    >>> detect_agency(["قزوین- ایرنا- استاندار گفت"])
    'IRNA'
    >>> detect_agency(["به گزارش تابناک به نقل از ایسنا، وزیر گفت"])
    'ISNA'
    >>> detect_agency(["شهردار گفت که مهر امسال ..."]) is None
    True
    >>> detect_agency(["به گزارش برنامه ریزی شده، ..."]) is None
    True
    """
    all_lines = [line.strip() for line in lines if line and line.strip()]
    for index, line in enumerate(all_lines):
        match = _RELAYED.match(line) or _CITE.match(line)
        if match is None and index < 2:
            match = _DATELINE.match(line)
        is_source_line = line.startswith("منبع")
        if match and (index < 2 or is_source_line):
            return _code(match["name"])
    return None
