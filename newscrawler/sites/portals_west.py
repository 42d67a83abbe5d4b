"""Registry rows of the western provinces: the two Azarbaijans, Ardabil, Zanjan, Kurdistan,
Kermanshah, Hamedan, Ilam and Lorestan.

Rows only, no logic: the checks are in :mod:`newscrawler.sites.registry`, the way to write a row
and the sources in docs/sites.md. A ``source`` URL is a page of the site kept in a public web
archive whose text is about the row's province; "research §…" is
``../shared/research/persian-news-sites.md``; "TG" is the Targoman/PersianWebScraper
repository, whose ``src/modules/interfaces.ts`` lists the domains it scrapes.
"""

from __future__ import annotations

from newscrawler.sites.registry import Portal

WEST: tuple[Portal, ...] = (
    # آذربایجان شرقی
    Portal(
        host="nobarnews.ir",
        name="نوبر",
        province="azarbaijan-east",
        kind="portal",
        cms=None,
        source="https://nobarnews.ir/category/news/social/page/128",
    ),
    Portal(
        host="anaj.ir",
        name="آناج",
        province="azarbaijan-east",
        kind="portal",
        cms=None,
        source="https://anaj.ir/newss/siasi/page/85; TG src/modules/interfaces.ts (anaj)",
    ),
    Portal(
        host="aynews.ir",
        name="آی نیوز",
        province="azarbaijan-east",
        kind="portal",
        cms=None,
        source="http://aynews.ir/tag/%d8%a2%db%8c-%d9%86%db%8c%d9%88%d8%b2/page/171",
    ),
    # آذربایجان غربی
    Portal(
        host="oroumnews.ir",
        name="اروم نیوز",
        province="azarbaijan-west",
        kind="portal",
        cms=None,
        source="https://oroumnews.ir/tag/%d8%a7%d8%b1%d9%88%d9%85%db%8c%d9%87/page/23",
    ),
    Portal(
        host="qartalnews.ir",
        name="قارتال نیوز",
        province="azarbaijan-west",
        kind="portal",
        cms=None,
        source=(
            "https://qartalnews.ir/category/cities/urmia/page/12; "
            "TG src/modules/interfaces.ts (qartalnews)"
        ),
    ),
    # اردبیل
    Portal(
        host="ardabilnews.com",
        name="اردبیل نیوز",
        province="ardabil",
        kind="portal",
        cms=None,
        source="http://ardabilnews.com/news/categories/%D8%AE%D9%84%D8%AE%D8%A7%D9%84",
    ),
    Portal(
        host="savalankhabar.ir",
        name="ساوالان خبر",
        province="ardabil",
        kind="portal",
        cms=None,
        source="https://savalankhabar.ir/tag/%d9%be%d8%a7%d8%b1%d8%b3-%d8%a2%d8%a8%d8%a7%d8%af/page/3",
    ),
    Portal(
        host="sabalannews.ir",
        name="سبلان نیوز",
        province="ardabil",
        kind="portal",
        cms=None,
        source="http://sabalannews.ir/index.aspx?fkeyid=&siteid=1&pageid=152",
    ),
    # زنجان
    Portal(
        host="mojerasa.ir",
        name="موج رسا",
        province="zanjan",
        kind="portal",
        cms=None,
        source=(
            "https://mojerasa.ir/archive.php?id_group=29&page=540; "
            "TG src/modules/interfaces.ts (mojerasa)"
        ),
    ),
    # کردستان
    Portal(
        host="saqqezrudaw.ir",
        name="سقز رووداو",
        province="kurdistan",
        kind="portal",
        cms=None,
        source=(
            "https://saqqezrudaw.ir/category/%D8%A7%DB%8C%D8%B1%D8%A7%D9%86/"
            "%D8%B3%DB%8C%D8%A7%D8%B3%DB%8C/page/6/"
        ),
    ),
    # کرمانشاه
    Portal(
        host="bakhtardaily.ir",
        name="روزنامه باختر",
        province="kermanshah",
        kind="newspaper",
        cms="wordpress",
        source=(
            "http://bakhtardaily.ir/?p=86738&print=print (WordPress ?p= links); "
            "http://bakhtardaily.ir/?p=83300&print=print"
        ),
    ),
    # همدان
    Portal(
        host="hamedanonline.ir",
        name="همدان آنلاین",
        province="hamedan",
        kind="portal",
        cms="wordpress",
        source="research §2.1 and §2.3 (TG src/scrappers/CustomNews.ts, class hamedanonline)",
    ),
    Portal(
        host="www.sobhealvand.ir",
        name="صبح الوند",
        province="hamedan",
        kind="portal",
        cms=None,
        source="http://www.sobhealvand.ir/allcontent/14?page=290",
    ),
    Portal(
        host="sobherazan.ir",
        name="صبح رازان",
        province="hamedan",
        kind="portal",
        cms=None,
        source="http://sobherazan.ir/index/21?page=11",
    ),
    # ایلام
    Portal(
        host="pooyakhabar.ir",
        name="پویاخبر",
        province="ilam",
        kind="portal",
        cms=None,
        source=(
            "https://pooyakhabar.ir/tag/%D8%B1%D8%B3%D8%A7%D9%86%D9%87-"
            "%D9%87%D8%A7%DB%8C-%D8%A7%DB%8C%D9%84%D8%A7%D9%85/"
        ),
    ),
    Portal(
        host="ilamrouydad.ir",
        name="ایلام رویداد",
        province="ilam",
        kind="portal",
        cms=None,
        source="research §2.3 (TG src/scrappers/CustomNews.ts, class ilamrouydad)",
    ),
    # لرستان
    Portal(
        host="sangneveshte.ir",
        name="سنگ نوشته",
        province="lorestan",
        kind="portal",
        cms=None,
        source=(
            "https://sangneveshte.ir/category/%d8%a7%d8%ae%d8%a8%d8%a7%d8%b1-%d8%af%d8%a7%d8%ba"
            "/page/2; TG src/modules/interfaces.ts (sangneveshte)"
        ),
    ),
    Portal(
        host="ghabkhabar.ir",
        name="قاب خبر",
        province="lorestan",
        kind="portal",
        cms=None,
        source="https://ghabkhabar.ir/news/regions/page/64",
    ),
    Portal(
        host="homayesaadatonline.ir",
        name="همای سعادت",
        province="lorestan",
        kind="portal",
        cms=None,
        source="https://homayesaadatonline.ir/news/page/26",
    ),
)
