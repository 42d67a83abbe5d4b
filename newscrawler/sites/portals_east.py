"""Registry rows of the eastern provinces: the three Khorasans and Sistan and Baluchestan.

Rows only (conventions in :mod:`newscrawler.sites.portals_west` and docs/sites.md). These four
provinces have the fewest rows: docs/sites.md says why.
"""

from __future__ import annotations

from newscrawler.sites.registry import Portal

EAST: tuple[Portal, ...] = (
    # خراسان رضوی
    Portal(
        host="khabaresabzevaran.ir",
        name="خبر سبزواران",
        province="khorasan-razavi",
        kind="portal",
        cms=None,
        source="research §2.3 (TG src/scrappers/CustomNews.ts, class khabaresabzevaran)",
    ),
    Portal(
        host="neyshabur.info",
        name="خبرهای نیشابور",
        province="khorasan-razavi",
        kind="portal",
        cms=None,
        source=(
            "https://neyshabur.info/news/148849/%D8%B3%D8%A7%D9%85%D8%A7%D9%86-%D8%A8%D8%AE%D8%B4"
            "%DB%8C-%D9%85%D9%86%D8%B7%D9%82%D9%87-%D8%AA%D8%A7%D8%B1%DB%8C%D8%AE%DB%8C-%D8%AA%D9"
            "%88%D8%B3"
        ),
    ),
    Portal(
        host="www.sabzevarian.com",
        name="سبزواریان",
        province="khorasan-razavi",
        kind="portal",
        cms=None,
        source="http://www.sabzevarian.com/category/news/page/3/",
    ),
    # خراسان شمالی
    Portal(
        host="www.entehaj.com",
        name="انتهاج",
        province="khorasan-north",
        kind="portal",
        cms=None,
        source=(
            "three stored pages, all on Bojnurd, Esfarayen and Shirvan: https://www.entehaj.com"
            "/news/slider/%D8%A7%D8%B3%D8%AA%D8%A7%D9%86%D8%AF%D8%A7%D8%B1-%D8%AE%D8%B1%D8%A7"
            "%D8%B3%D8%A7%D9%86-%D8%B4%D9%85%D8%A7%D9%84%DB%8C-%D8%AA%D9%88%D8%AC%D9%87-%D8%A8"
            "%D9%87-%D8%B1%D9%88%D8%B3%D8%AA%D8%A7%D9%87%D8%A7/"
        ),
    ),
    # خراسان جنوبی
    Portal(
        host="khabarvahonar.ir",
        name="خبر و هنر",
        province="khorasan-south",
        kind="portal",
        cms=None,
        source=(
            "https://khabarvahonar.ir/%D8%A8%D9%88%DB%8C-%D8%A8%D9%87%D8%A7%D8%B1-%D8%AF%D8%B1-"
            "%D8%A8%DB%8C%D8%B1%D8%AC%D9%86%D8%AF-%D8%AF%D8%B1-%D8%B3%D8%A7%DB%8C%D9%87-%DB%8C-"
            "%D8%AE%D9%88%D8%A7%D8%A8-%D9%85%D8%B3%D9%88%D9%84%D8%A7%D9%86/"
        ),
    ),
    Portal(
        host="www.birjandtoday.ir",
        name="امروز خراسان جنوبی",
        province="khorasan-south",
        kind="portal",
        cms=None,
        source=(
            "https://www.birjandtoday.ir/1401/07/%d8%ae%d8%b1%d8%a7%d8%b3%d8%a7%d9%86-"
            "%d8%ac%d9%86%d9%88%d8%a8%db%8c-6/; TG src/modules/interfaces.ts (birjandtoday)"
        ),
    ),
    # سیستان و بلوچستان
    Portal(
        host="www.zahedannews.com",
        name="زاهدان نیوز",
        province="sistan",
        kind="portal",
        cms="wordpress",
        source="http://www.zahedannews.com/?p=1770 (WordPress ?p= links)",
    ),
)
