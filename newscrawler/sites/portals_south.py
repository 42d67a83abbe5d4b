"""Registry rows of the southern and central provinces: Khuzestan, Bushehr, Hormozgan, Fars,
Kohgiluyeh and Boyer-Ahmad, Chaharmahal and Bakhtiari, Isfahan, Kerman and Yazd.

Rows only (conventions in :mod:`newscrawler.sites.portals_west` and docs/sites.md). The Bushehr
feeds are those of the public list of Bushehr regional RSS feeds that research §2.3 cites.
"""

from __future__ import annotations

from newscrawler.sites.registry import Portal

#: Where the Bushehr feeds come from.
BUSHEHR_RSS = "research §2.3, «Bushehr WordPress feeds» (the Bushehr RSS list)"

SOUTH: tuple[Portal, ...] = (
    # خوزستان
    Portal(
        host="sobheahvaz.ir",
        name="صبح اهواز",
        province="khuzestan",
        kind="portal",
        cms=None,
        source="https://sobheahvaz.ir/category/sayer/page/241",
    ),
    Portal(
        host="rokne4.ir",
        name="رکن چهار",
        province="khuzestan",
        kind="portal",
        cms=None,
        source="https://rokne4.ir/amp/category/important-news/page/130",
    ),
    # بوشهر
    Portal(
        host="www.pgnews.ir",
        name="خلیج فارس",
        province="bushehr",
        kind="portal",
        cms="wordpress",
        feeds=("/feed/",),
        source=f"{BUSHEHR_RSS}; https://pgnews.ir/tag/%da%af%d8%b1%da%af%d8%a7%d9%86 (the name)",
    ),
    Portal(
        host="bushehrkhabar.com",
        name="بوشهر خبر",
        province="bushehr",
        kind="portal",
        cms="wordpress",
        feeds=("/feed/",),
        source=BUSHEHR_RSS,
    ),
    Portal(
        host="bushehrnews.ir",
        name="بوشهر نیوز",
        province="bushehr",
        kind="portal",
        cms="wordpress",
        feeds=("/feed/",),
        source=BUSHEHR_RSS,
    ),
    Portal(
        host="karanehbushehr.ir",
        name="کرانه بوشهر",
        province="bushehr",
        kind="portal",
        cms="wordpress",
        feeds=("/?feed=rss2",),
        source=BUSHEHR_RSS,
    ),
    Portal(
        host="nedayostan.ir",
        name="ندای استان",
        province="bushehr",
        kind="portal",
        cms="wordpress",
        feeds=("/?feed=rss2",),
        source=BUSHEHR_RSS,
    ),
    Portal(
        host="sooknews.ir",
        name="سوک نیوز",
        province="bushehr",
        kind="portal",
        cms="wordpress",
        feeds=("/?feed=rss2",),
        source=BUSHEHR_RSS,
    ),
    Portal(
        host="choghadaknews.ir",
        name="چغادک نیوز",
        province="bushehr",
        kind="portal",
        cms=None,
        source="https://choghadaknews.ir/category/%d8%aa%db%8c%d8%aa%d8%b1-%db%8c%da%a9/page/238",
    ),
    # هرمزگان
    Portal(
        host="hormozgantoday.ir",
        name="هرمزگان امروز",
        province="hormozgan",
        kind="portal",
        cms="wordpress",
        source="research §2.1 and §2.3 (TG src/scrappers/CustomNews.ts, class hormozgantoday)",
    ),
    Portal(
        host="hormizan.ir",
        name="هرمزان",
        province="hormozgan",
        kind="portal",
        cms="wordpress",
        source="http://hormizan.ir/?cat=10&paged=34 (WordPress ?cat=/?paged= links)",
    ),
    # فارس
    Portal(
        host="sahabpress.ir",
        name="سحاب پرس",
        province="fars",
        kind="portal",
        cms=None,
        source=(
            "https://sahabpress.ir/category/%D8%B3%DB%8C%D8%A7%D8%B3%D8%AA/page/44; "
            "TG src/modules/interfaces.ts (sahabpress)"
        ),
    ),
    Portal(
        host="avangpress.ir",
        name="آونگ پرس",
        province="fars",
        kind="portal",
        cms=None,
        source=(
            "https://avangpress.ir/category/social/page/420; "
            "TG src/modules/interfaces.ts (avangpress)"
        ),
    ),
    # کهگیلویه و بویراحمد
    Portal(
        host="www.bashtnews.ir",
        name="بشت نیوز",
        province="kohgiluyeh",
        kind="portal",
        cms=None,
        source="http://www.bashtnews.ir/archive?page=97",
    ),
    Portal(
        host="chaharfasl.ir",
        name="چهارفصل",
        province="kohgiluyeh",
        kind="portal",
        cms=None,
        source=(
            "http://chaharfasl.ir/archive?field_term_tid=All&page=2&type=All; "
            "TG src/modules/interfaces.ts (chaharfasl)"
        ),
    ),
    # چهارمحال و بختیاری
    Portal(
        host="jahanbinnews.ir",
        name="جهان‌بین",
        province="chaharmahal",
        kind="portal",
        cms=None,
        source=(
            "https://jahanbinnews.ir/vtpfwipygw6d.awrif03.g-pw9mz1.xti7me.html; "
            "https://jahanbinnews.ir/vsnjbubq2^25e.uf5tsuqe.zu9fg85.slwura,o.vaf2io.html"
        ),
    ),
    # اصفهان
    Portal(
        host="esfahanemrooz.ir",
        name="اصفهان امروز",
        province="isfahan",
        kind="newspaper",
        cms=None,
        source=(
            "research §2.3 (TG src/scrappers/CustomNews.ts, class esfahanemrooz: Asam-like, "
            "not Asam); the daily Esfahan-e Emrooz in Wikipedia's List of newspapers in Iran"
        ),
    ),
    Portal(
        host="www.tabnakesfahan.ir",
        name="تابناک اصفهان",
        province="isfahan",
        kind="portal",
        cms=None,
        source="http://www.tabnakesfahan.ir/ (Tabnak's provincial site)",
    ),
    # کرمان
    Portal(
        host="fardayekerman.ir",
        name="فردای کرمان",
        province="kerman",
        kind="portal",
        cms=None,
        source="research §2.3 (TG src/scrappers/CustomNews.ts, class fardayekerman)",
    ),
    Portal(
        host="toluearg.ir",
        name="طلوع ارگ",
        province="kerman",
        kind="portal",
        cms=None,
        source=(
            "https://toluearg.ir/tag/%d8%a7%d8%ae%d8%a8%d8%a7%d8%b1-%d8%ac%db%8c%d8%b1%d9%81%d8%aa"
        ),
    ),
    # یزد
    Portal(
        host="yazdfarda.ir",
        name="یزد فردا",
        province="yazd",
        kind="portal",
        cms="wordpress",
        source="research §2.1 and §2.3 (TG src/scrappers/CustomNews.ts, class yazdfarda)",
    ),
    Portal(
        host="yazdinews.ir",
        name="یزدی نیوز",
        province="yazd",
        kind="portal",
        cms=None,
        source="https://yazdinews.ir/post_loc/cities/page/444",
    ),
)
