"""CMS families: the templates most Iranian news sites are built on.

Each family has the selectors of its article and listing pages (a site profile starts from
these and overrides what differs) and the fingerprints that recognise it on an unknown page.
Sources and dates of these selectors: ``../shared/research/persian-news-sites.md`` §2.1; they go
stale with redesigns, so each site's golden fixture is the real check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from newscrawler.sites.profile import Selectors

NASTOOH = Selectors(
    lead_image=".item-header figure.item-img, .item-summary figure",
    article="article, #item, .main-content",
    title="h1.title, h1.first-title, .item-title h1, span.headline",
    kicker=".kicker, .rutitr, h4.subtitle",
    lead=".item-summary p, p.summary, .introtext",
    body=".item-body .item-text, div[itemprop=articleBody]",
    date=".item-date span, .item-date, .item-time",
    tags="section.tags li a, footer.tags li a, .tags li a",
    section=".breadcrumb li:last-child a, span[itemprop=articleSection]",
    author=".item-author, .author-name",
    drop=(".item-code", ".short-link-container", ".item-nav", ".box.related"),
    article_links="li.news h3 a, .items li h3 a, .news-list li h3 a, section.list li h3 a",
    next_page="ul.pagination li.next a, a[rel=next]",
)

IRANSAMANEH = Selectors(
    article="article, .news_body_content, .gutter_news, .col1-news",
    title="h1.title, .news-title, .title-news, h1",
    kicker=".rutitr, .news-rutitr",
    lead=".subtitle, .news-subtitle, .news_strong",
    body=".body, .baznashr-body, .news_body",
    date=".news_pdate_c, .news-date, .fa_date",
    tags=".tags_title a, .tags li a",
    section=".news_path a:last-child",
    author=".news_author",
    news_id=".news_id_c",
    # Not ``.parent-lead-img`` (YJC's lead photo inside the body): it holds only the <img>, and
    # dropping it before images are read would lose the article's main photo.
    drop=(".path_bottom_body", ".det-1", ".news_nav", ".album_content"),
    # headline blocks (.box_special) carry their links in h1/h2/h3.Htag (tabnak.ir, irinn.ir)
    article_links=(
        ".linear_news a.title5, .news_list li a.title5, .service_news a.title5, "
        ".box_special .Htag a"
    ),
    next_page=".pagination a.next, a[rel=next]",
)

ASAM = Selectors(
    lead_image=".primary_files figure, .primary-files figure",
    article="article.news_content, article, main",
    title="h1.title, h1",
    kicker=".uptitle, .up-title, h2.up_title",
    lead=".lead, p.news-lead",
    body="#echo_detail, .article_body, #main_ck_editor",
    date="time.news_time, .news_nav_title time, time",
    tags=".article_tags li a, .article_tag a, .news_tags a",
    section=".breadcrumb_list li:last-child a",
    author=".news_author",  # not a bare ``.author``: Asam comment lists use it for commenters
    drop=(
        ".share_news",
        ".short_link_cnt",
        ".sec_info",
        ".tinyurl_form",
        ".noprint",
        ".jwplayer",
        ".hideTag",
        ".primary_files",
        ".like_box",
    ),
    article_links=".news_list article h2 a, .list-item a, article.list-item h2 a",
    next_page=".pagination a.next, a[rel=next]",
)

STUDIOKHABAR = Selectors(
    article=".doc_content, #docDiv3, body",
    title="#docDiv3TitrMain, h1",
    kicker="#docDiv3TitrRou",
    lead="#docDivLead1, #docDivLead",
    body="#doctextarea, #docContentdiv",
    date=".doc_date, .docDiv3Date",
    tags=".doc-tags a, #docDivKeyword a",
    section=".doc-section-info a:last-child",
    author=".doc-author",
    drop=(".doc-tools", ".doc-related", "#docDivRelated", ".user-comment-area"),
    article_links=".mainDiv5Body h3.mainDiv5Title a, .doc-list h3 a",
    next_page=".pager a.next, a[rel=next]",
)

WORDPRESS = Selectors(
    article="article.post, body.single-post, .single, main",
    title="h1.entry-title, h1.single-post-title, h1",
    kicker=".rotitr, .post-subtitle",
    lead=".leadBox, .single-post-excerpt, .excerpt, .post-lead",
    body=".entry-content, .post-content, .Post-Content, .contentsingle",
    date="time.entry-date, span.the_time, .post-date",
    modified="time.updated",
    tags="a[rel=tag], .post-tags a",
    section="ul.post-categories li a, a[rel='category tag'], .post-cat-wrap a",
    author=".author-name, .entry-author a, .by-author a",
    drop=(
        ".wp-block-buttons",
        ".ulike",
        ".wp_ulike_general_class",
        ".post-views",
        ".sharedaddy",
        ".yarpp-related",
        ".bs-irp",
        ".page-bottom",
        ".heateor_sss_sharing_container",
    ),
    article_links="article h2.entry-title a, article h2 a, .post-list h2 a, .archive-post h2 a",
    next_page="a.next.page-numbers, .nav-previous a, a[rel=next]",
)

#: Selectors for pages of unknown sites: the generic extractor finds the body itself.
GENERIC = Selectors(
    article="article, main, body",
    title=None,  # the generic headline rule (extraction/generic.py)
    body=None,
    lead=".lead, .summary, .excerpt",
    tags="a[rel=tag]",
)

FAMILIES: Mapping[str, Selectors] = MappingProxyType(
    {
        "nastooh": NASTOOH,
        "iransamaneh": IRANSAMANEH,
        "asam": ASAM,
        "studiokhabar": STUDIOKHABAR,
        "wordpress": WORDPRESS,
        "generic": GENERIC,
    }
)


@dataclass(frozen=True)
class Fingerprint:
    """One clue that a page was made by a CMS; ``weight`` says how sure the clue is."""

    family: str
    xpath: str
    weight: int


#: Clues checked on unknown pages, from generator metas, asset paths and markup.
FINGERPRINTS: tuple[Fingerprint, ...] = (
    Fingerprint("nastooh", "//meta[@name='generator'][contains(@content, 'nastooh')]", 10),
    Fingerprint("nastooh", "//meta[starts-with(@property, 'nastooh:')]", 8),
    Fingerprint("nastooh", "//*[contains(@class, 'item-body')]", 2),
    Fingerprint("iransamaneh", "//link[contains(@href, '/client/themes/fa/')]", 8),
    Fingerprint("iransamaneh", "//script[contains(@src, '/client/themes/fa/')]", 8),
    Fingerprint("iransamaneh", "//*[contains(@class, 'news_pdate_c')]", 4),
    Fingerprint("iransamaneh", "//meta[@name='generator'][contains(@content, 'IranSamaneh')]", 10),
    Fingerprint("asam", "//comment()[contains(., 'aasaam')]", 10),
    Fingerprint("asam", "//*[@data-ng-app='aasaamApp']", 10),
    Fingerprint("asam", "//*[@id='echo_detail']", 5),
    Fingerprint("asam", "//a[contains(@href, '/fa/tiny/news-')]", 5),
    Fingerprint("studiokhabar", "//meta[@name='generator'][contains(@content, 'News Studio')]", 10),
    Fingerprint("studiokhabar", "//*[@id='docDiv3TitrMain']", 6),
    Fingerprint("studiokhabar", "//a[contains(@href, '/fa/doc/news/')]", 3),
    Fingerprint("wordpress", "//meta[@name='generator'][starts-with(@content, 'WordPress')]", 10),
    Fingerprint("wordpress", "//link[contains(@href, '/wp-content/')]", 6),
    Fingerprint("wordpress", "//script[contains(@src, '/wp-content/')]", 4),
    Fingerprint("wordpress", "//body[contains(@class, 'single-post')]", 4),
    Fingerprint("wordpress", "//*[contains(@class, 'entry-content')]", 2),
)
