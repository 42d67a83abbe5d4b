"""Article text of the demo site: stories composed from the Persian pool in ``corpus.txt``.

Only text is made here (title, kicker, lead, paragraphs, caption, tags); how a CMS lays it out
is in :mod:`tools.demo.templates`. Every choice comes from the ``random.Random`` passed in,
so a seed gives the same stories on every machine.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources

import jdatetime

ZWNJ = "\u200c"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
#: What some CMSs still print: Arabic yeh and kaf instead of the Persian letters.
ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك"})
#: ``datetime.weekday()`` order (Monday first).
WEEKDAYS = ("دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه")
JALALI_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
TOPICS = ("industry", "water", "roads", "agriculture", "health", "environment")
_STORY_KEYS = ("title", "kicker", "lead", "open")
_TOPIC_KEYS = ("role", "para", "caption", "tag")


def fa_digits(value: object) -> str:
    """``value`` as text with Persian digits.

    >>> fa_digits("1403/02/29")
    '۱۴۰۳/۰۲/۲۹'
    """
    return str(value).translate(PERSIAN_DIGITS)


def jalali(moment: datetime) -> jdatetime.datetime:
    """The Jalali date and time of an aware ``datetime`` (wall time where it was taken)."""
    return jdatetime.datetime.fromgregorian(datetime=moment.replace(tzinfo=None))


def jalali_text(moment: datetime, shape: str) -> str:
    """A date as a Persian page prints it; ``shape`` is a format string with the fields
    ``d m y H M month weekday`` (numbers already in Persian digits).

    >>> from datetime import datetime
    >>> jalali_text(datetime(2024, 5, 18, 10, 25), "{d} {month} {y} - {H}:{M}")
    '۲۹ اردیبهشت ۱۴۰۳ - ۱۰:۲۵'
    """
    j = jalali(moment)
    return shape.format(
        d=fa_digits(j.day),
        dd=fa_digits(f"{j.day:02d}"),
        m=fa_digits(f"{j.month:02d}"),
        y=fa_digits(j.year),
        H=fa_digits(f"{j.hour:02d}"),
        M=fa_digits(f"{j.minute:02d}"),
        month=JALALI_MONTHS[j.month - 1],
        weekday=WEEKDAYS[moment.weekday()],
    )


@dataclass
class Topic:
    name: str
    roles: list[str] = field(default_factory=list)
    stories: list[dict[str, str]] = field(default_factory=list)
    paras: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class Corpus:
    topics: dict[str, Topic]
    common: dict[str, list[str]]


@lru_cache(maxsize=1)
def load_corpus() -> Corpus:
    """Parse ``corpus.txt`` (format in its header)."""
    text = resources.files("tools.demo").joinpath("corpus.txt").read_text("utf-8")
    topics: dict[str, Topic] = {}
    common: dict[str, list[str]] = {}
    topic: Topic | None = None
    story: dict[str, str] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("= "):
            name = line[2:].strip()
            topic = None if name == "common" else topics.setdefault(name, Topic(name))
            story = None
        elif line == "story":
            if topic is None:
                raise ValueError(f"corpus.txt:{number}: story outside a topic")
            story = {}
            topic.stories.append(story)
        else:
            key, sep, value = line.partition(" = ")
            if not sep:
                raise ValueError(f"corpus.txt:{number}: expected 'key = text'")
            if topic is None:
                common.setdefault(key, []).append(value)
            elif key in _STORY_KEYS and story is not None:
                story[key] = value
            elif key in _TOPIC_KEYS:
                getattr(topic, "roles" if key == "role" else f"{key}s").append(value)
            else:
                raise ValueError(f"corpus.txt:{number}: unknown key {key!r}")
    for name, found in topics.items():
        for index, skeleton in enumerate(found.stories):
            missing = set(_STORY_KEYS) - set(skeleton)
            if missing:
                raise ValueError(f"corpus.txt: {name} story {index + 1} lacks {sorted(missing)}")
    return Corpus(topics, common)


@dataclass
class Story:
    """The text of one article, before any CMS markup."""

    topic: str
    title: str
    kicker: str
    lead: str
    paragraphs: list[str]
    """Body paragraphs; the first opens with the site's credit line («به گزارش …»)."""
    subhead: tuple[int, str] | None
    """A crosshead and the paragraph index it goes before."""
    caption: str
    tags: list[str]
    author: str
    official: str
    city: str
    province: str
    """Province name in Persian."""


def person(rng: random.Random) -> str:
    common = load_corpus().common
    return f"{rng.choice(common['first'])} {rng.choice(common['last'])}"


def _numbers(rng: random.Random) -> dict[str, str]:
    return {
        "n1": fa_digits(rng.randint(2, 30)),
        "n2": fa_digits(rng.randint(40, 900)),
        "n3": fa_digits(rng.randrange(1000, 9800, 10)),
        "pct": fa_digits(rng.randint(5, 60)),
        "bn": fa_digits(rng.randrange(50, 950, 5)),
    }


def _roughen(text: str, rng: random.Random, noise: tuple[float, float]) -> str:
    """Typing habits of real pages: half-spaces typed as spaces, Arabic ي/ك."""
    half_space, arabic = noise
    if rng.random() < half_space:
        text = text.replace(ZWNJ, " ")
    if rng.random() < arabic:
        text = text.translate(ARABIC_LETTERS)
    return text


def slugify(title: str, words: int = 9) -> str:
    """A URL slug from a title, as Persian CMSs make them.

    >>> slugify("۲۳۴ واحد صنعتی راکد در قزوین به چرخه تولید بازگشت", words=4)
    '۲۳۴-واحد-صنعتی-راکد'
    """
    cleaned = re.sub(r"[^\w\s\u200c-]", " ", title)
    return "-".join(cleaned.replace(ZWNJ, "-").split()[:words])


def compose(
    rng: random.Random,
    *,
    topic: str,
    province: str,
    cities: tuple[str, ...],
    published: datetime,
    credit: str,
    lead_credit: str = "",
    noise: tuple[float, float] = (0.2, 0.05),
    skeleton: int | None = None,
) -> Story:
    """One story of ``topic`` set in ``province`` (Persian name) on the day ``published``.

    ``credit`` opens the first paragraph («به گزارش بلاغ، »), ``lead_credit`` the lead (IRNA's
    dateline «قزوین- ایرنا- »); both may use ``{city}`` and ``{province}``. ``noise`` is the
    chance per paragraph of missing half-spaces and of Arabic letters.
    """
    corpus = load_corpus()
    found = corpus.topics[topic]
    common = corpus.common
    city, *others = rng.sample(cities, min(2, len(cities)))
    city2 = others[0] if others else rng.choice(cities)
    official = person(rng)
    year = fa_digits(jalali(published).year)
    when = rng.choice(("روز {weekday}", "{weekday}", "صبح {weekday}", "عصر {weekday}"))
    names = {
        "province": province,
        "city": city,
        "city2": city2,
        "official": official,
        "surname": official.split()[-1],
        "year": year,
        "when": when.format(weekday=WEEKDAYS[published.weekday()]),
    }
    names["occasion"] = rng.choice(common["occasion"]).format(**names)
    names["role"] = rng.choice(found.roles).format(**names)
    index = skeleton if skeleton is not None else rng.randrange(len(found.stories))
    numbers = _numbers(rng)  # title, lead and opening tell the same facts
    lines = {key: value.format(**names, **numbers) for key, value in found.stories[index].items()}

    middle = rng.randint(3, 8)
    picked = rng.sample(found.paras, min(middle, len(found.paras)))
    if rng.random() < 0.5:
        picked.insert(rng.randint(1, len(picked)), rng.choice(common["quote"]))
    paragraphs = [credit.format(**names) + lines["open"]]
    paragraphs += [p.format(**names, **_numbers(rng)) for p in picked]
    paragraphs.append(rng.choice(common["close"]).format(**names))
    paragraphs = [_roughen(p, rng, noise) for p in paragraphs]
    subhead = None
    if len(paragraphs) >= 6 and rng.random() < 0.4:
        subhead = (rng.randint(3, len(paragraphs) - 2), rng.choice(common["subhead"]))
    tags = [*rng.sample(found.tags, 2), province]
    if rng.random() < 0.5:
        tags.append(city)
    return Story(
        topic=topic,
        title=_roughen(lines["title"], rng, (noise[0] / 2, noise[1] / 2)),
        kicker=lines["kicker"],
        lead=_roughen(lead_credit.format(**names) + lines["lead"], rng, noise),
        paragraphs=paragraphs,
        subhead=subhead,
        caption=_roughen(rng.choice(found.captions).format(**names), rng, noise),
        tags=[_roughen(tag, rng, (0, noise[1])) for tag in tags],
        author=person(rng),
        official=official,
        city=city,
        province=province,
    )
