"""Registry rows of the northern and central provinces: Gilan, Mazandaran, Golestan, Alborz,
Qazvin, Tehran, Semnan, Qom and Markazi.

Rows only (conventions in :mod:`newscrawler.sites.portals_west` and docs/sites.md).
"""

from __future__ import annotations

from newscrawler.sites.registry import Portal

NORTH: tuple[Portal, ...] = (
    # گیلان
    Portal(
        host="gildeylam.ir",
        name="گیل دیلم",
        province="gilan",
        kind="portal",
        cms=None,
        source=(
            "https://gildeylam.ir/tag/%D8%A7%D8%B3%D8%AA%D8%A7%D9%86-%DA%AF%DB%8C%D9%84%D8%A7%D9%86"
            "/page/34; TG src/modules/interfaces.ts (gildeylam)"
        ),
    ),
    Portal(
        host="postchinews.ir",
        name="پستچی نیوز",
        province="gilan",
        kind="portal",
        cms=None,
        source=(
            "https://postchinews.ir/category/%d8%a7%d9%82%d8%aa%d8%b5%d8%a7%d8%af%db%8c/page/2"
        ),
    ),
    Portal(
        host="jarestan.ir",
        name="جارستان",
        province="gilan",
        kind="portal",
        cms=None,
        source="https://jarestan.ir/News/category/%D8%A7%D8%AE%D8%A8%D8%A7%D8%B1/page/984",
    ),
    # مازندران
    Portal(
        host="ebaaratshomal.ir",
        name="عبارت شمال",
        province="mazandaran",
        kind="portal",
        cms=None,
        source=(
            "https://ebaaratshomal.ir/tag/%D8%A7%D8%AE%D8%A8%D8%A7%D8%B1-"
            "%D8%B4%D9%87%D8%B1-%D8%B3%D8%A7%D8%B1%DB%8C/"
        ),
    ),
    Portal(
        host="paykshahrnews.ir",
        name="پیک شهر",
        province="mazandaran",
        kind="portal",
        cms=None,
        source="https://paykshahrnews.ir/tag/%D8%B3%D8%A7%D8%B1%DB%8C/page/2",
    ),
    Portal(
        host="mazandshora.ir",
        name="مازندشورا",
        province="mazandaran",
        kind="portal",
        cms=None,
        source="http://mazandshora.ir/tags/پیچیدگی",
    ),
    # گلستان
    Portal(
        host="kalalekhabar.ir",
        name="کلاله خبر",
        province="golestan",
        kind="portal",
        cms=None,
        source="http://kalalekhabar.ir/%DB%8C%D8%A7%D8%AF%D8%AF%D8%A7%D8%B4%D8%AA?start=40",
    ),
    Portal(
        host="qaboosnameh.ir",
        name="قابوس‌نامه",
        province="golestan",
        kind="portal",
        cms=None,
        source="http://qaboosnameh.ir/category/95/ (page=190: news of Gonbad-e Kavus)",
    ),
    Portal(
        host="www.golestanema.com",
        name="گلستان ما",
        province="golestan",
        kind="portal",
        cms=None,
        source="https://www.golestanema.com/category/%D8%A7%D8%AC%D8%AA%D9%85%D8%A7%D8%B9%DB%8C?page=7",
    ),
    # البرز
    Portal(
        host="avaalborznews.ir",
        name="آوای البرز",
        province="alborz",
        kind="portal",
        cms="wordpress",
        source="research §2.1 and §2.3 (TG src/scrappers/CustomNews.ts, class avaalborznews)",
    ),
    Portal(
        host="avayekaraj.ir",
        name="آوای کرج",
        province="alborz",
        kind="portal",
        cms="wordpress",
        source="https://avayekaraj.ir/?page=319&paged=2&tag=karaj (WordPress ?paged= links)",
    ),
    Portal(
        host="taranews.ir",
        name="تارا نیوز",
        province="alborz",
        kind="portal",
        cms=None,
        source=(
            "https://taranews.ir/category/alborz_state/page/62; "
            "https://taranews.ir/tag/%d8%aa%d8%a7%d8%b1%d8%a7-%d9%86%db%8c%d9%88%d8%b2/page/7"
        ),
    ),
    # قزوین
    Portal(
        host="sobheqazvin.ir",
        name="صبح قزوین",
        province="qazvin",
        kind="portal",
        cms=None,
        source="research §2.3 (TG src/scrappers/CustomNews.ts, class sobheqazvin; TG test URLs)",
    ),
    Portal(
        host="armanshahreqazvin.ir",
        name="آرمان شهر قزوین",
        province="qazvin",
        kind="portal",
        cms="wordpress",
        source="research §1 and §2.3 (WordPress, republishes IRNA)",
    ),
    Portal(
        host="farvardinemruz.ir",
        name="فروردین امروز",
        province="qazvin",
        kind="portal",
        cms=None,
        source="https://farvardinemruz.ir/page/444/",
    ),
    # تهران
    Portal(
        host="www.hamshahrionline.ir",
        name="همشهری آنلاین",
        province="tehran",
        kind="newspaper",
        cms="nastooh",
        source=(
            "research §2.2 Hamshahri Online (TG src/scrappers/NastoohBased.ts, "
            "class hamshahrionline); the daily of the Tehran municipality"
        ),
    ),
    Portal(
        host="enekaserey.ir",
        name="انعکاس ری",
        province="tehran",
        kind="portal",
        cms=None,
        source="https://enekaserey.ir/archive/amp/civic/rey/page/209?bamp-skip-redirect=1",
    ),
    # سمنان
    Portal(
        host="payamesemnan.com",
        name="پیام سمنان",
        province="semnan",
        kind="portal",
        cms=None,
        source="http://payamesemnan.com/Template1/Article.aspx?AID=22535",
    ),
    Portal(
        host="sorkheh365.ir",
        name="سرخه ۳۶۵",
        province="semnan",
        kind="portal",
        cms=None,
        source=(
            "http://sorkheh365.ir/%D8%B3%D8%A7%D8%AE%D8%AA-%D9%85%D8%AC%D8%AA%D9%85%D8%B9-"
            "%D9%81%D8%B1%D9%87%D9%86%DA%AF%DB%8C-%D9%88-%D9%87%D9%86%D8%B1%DB%8C-"
            "%D8%B4%D8%A7%D9%87%D8%B1%D9%88%D8%AF-%D8%AF%D8%B1-%D9%82%D8%A7%D9%84%D8%A8/"
        ),
    ),
    # قم
    Portal(
        host="www.qomefori.ir",
        name="قم فوری",
        province="qom",
        kind="portal",
        cms=None,
        source=(
            "https://www.qomefori.ir/vtpdfm2t.74cgyqb22ma6y.2xy.html; "
            "https://www.qomefori.ir/vtpb8euh.7k2-rpiuur.html"
        ),
    ),
    Portal(
        host="qomnews.ir",
        name="قم نیوز",
        province="qom",
        kind="portal",
        cms=None,
        source="https://qomnews.ir/tag/اداره+ورزش+و+جوانان+استان+قم",
    ),
    # مرکزی
    Portal(
        host="arakhabar.ir",
        name="اراک خبر",
        province="markazi",
        kind="portal",
        cms="iransamaneh",
        source=(
            "TG src/scrappers/IranSamanehBased.ts (class arakhabar extends clsIransamaneh); "
            "https://arakhabar.ir/fa/ajax/services/3/37/5"
        ),
    ),
)
