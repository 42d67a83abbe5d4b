"""Images: only fetchable URLs, spaces encoded, captions from the figure and never the body."""

from __future__ import annotations

from parsel import Selector

from newscrawler.extraction.article import _images

HTML = (
    '<div><img src="javascript:alert(1)"><img src=" /a b.jpg "><img src="data:image/png;base64,x">'
    '<figure><img src="/c.jpg" alt="alt"><figcaption>شرح عکس</figcaption></figure>'
    '<div class="wp-caption"><img src="/d.jpg" alt="alt"><p class="wp-caption-text">شرح</p></div>'
    '<img src="/c.jpg"></div>'
)


def test_images_are_absolute_fetchable_and_unique() -> None:
    images = _images(Selector(HTML).css("div")[:1], "figure, .wp-caption, img", "https://x.ir/n/1")
    assert images == [
        {"url": "https://x.ir/a%20b.jpg", "caption": None},
        {"url": "https://x.ir/c.jpg", "caption": "شرح عکس"},
        {"url": "https://x.ir/d.jpg", "caption": "شرح"},
    ]
