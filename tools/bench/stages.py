"""Per-article cost of each stage inside the process, and trafilatura on the same pages.

The real code runs unchanged; a few functions are wrapped with a clock that charges time to
the innermost stage running (exclusive time, like a profiler that knows only these stages):

=====================  =====================================================================
stage                  what is timed
=====================  =====================================================================
parse                  bytes → str, HTML → lxml tree (``Selector``), metas and JSON-LD
widget removal         ``drop_all`` (widget nodes out of the DOM) and ``drop_boilerplate``
                       (sign-off, counter and «بیشتر بخوانید» lines)
normalization          ``normalize_text`` and ``match_key`` (hazm and the regex passes)
dates                  ``parse_date`` and ``iso``
selectors, loader      the rest of ``extract_article``: CSS queries, text walk, ItemLoader
validation             ``ContractPipeline``: sanitize, checks, crawl time, the JSON Schema
                       (older code: ``ValidatePipeline``, ``StampPipeline``, ``SchemaPipeline``)
dedupe                 ``DedupePipeline`` (lookups in the SQLite crawl state)
near-duplicates        ``SyndicationPipeline`` (MinHash of republished copies)
serialization          ``JsonlStorePipeline`` (one JSON line to a file,
                       staged in the crawl state; file commits included)
(other)                any other item pipeline, under its class name
=====================  =====================================================================

Times are CPU time of the thread (``time.thread_time``), so other processes on a busy machine
do not inflate them. The same pages, uninstrumented, give the plain extraction time;
trafilatura runs on them with metadata (what our record holds: title, date, author, text) and
without.

``--baseline`` runs this file by path in a process of its own, to time the code of another
checkout on the same sample::

    cd OTHER && PYTHONPATH=OTHER python -P /path/to/tools/bench/stages.py SAMPLE.jsonl OUT.json

``-P`` keeps this file's folder off ``sys.path``, and this module imports nothing from
``tools``: the ``newscrawler`` timed is the one ``PYTHONPATH`` puts first (the other checkout).
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from newscrawler.persian.dates import TEHRAN

#: Stages of the extraction itself, in the order of the table.
EXTRACTION_STAGES = ("parse", "widget removal", "normalization", "dates", "selectors, loader")
#: Which stage each project pipeline is charged to (another pipeline: its class name).
PIPELINE_STAGES = {
    "ContractPipeline": "validation",
    # the stages before one ContractPipeline (a --baseline checkout may still have them)
    "ValidatePipeline": "validation",
    "SchemaPipeline": "validation",
    "DedupePipeline": "dedupe",
    "SyndicationPipeline": "near-duplicates",
    "StampPipeline": "serialization",
    "JsonlStorePipeline": "serialization",
}


class StageClock:
    """Exclusive time per stage: entering a stage pauses the one it was called from."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self.stack: list[str] = []
        self.mark = 0.0

    def enter(self, stage: str) -> None:
        now = time.thread_time()
        if self.stack:
            self.totals[self.stack[-1]] += now - self.mark
        self.stack.append(stage)
        self.mark = now

    def leave(self) -> None:
        now = time.thread_time()
        self.totals[self.stack.pop()] += now - self.mark
        self.mark = now

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.enter(stage)
            try:
                return function(*args, **kwargs)
            finally:
                self.leave()

        timed.__wrapped__ = function  # type: ignore[attr-defined]
        return timed


class Patches:
    """Replace a function wherever newscrawler holds it (module globals, loader processors)."""

    def __init__(self) -> None:
        self.undo: list[tuple[Any, str, Any]] = []

    def set(self, owner: Any, name: str, value: Any) -> None:
        self.undo.append((owner, name, owner.__dict__[name]))
        setattr(owner, name, value)

    def everywhere(self, original: Callable[..., Any], replacement: Callable[..., Any]) -> None:
        from itemloaders.processors import Compose, MapCompose

        from newscrawler.extraction.loader import ArticleLoader

        for name, module in list(sys.modules.items()):
            if name == "newscrawler" or name.startswith("newscrawler."):
                for attr, value in list(vars(module).items()):
                    if value is original:
                        self.set(module, attr, replacement)
        for attr, value in list(vars(ArticleLoader).items()):
            if isinstance(value, MapCompose | Compose) and original in value.functions:
                functions = [replacement if f is original else f for f in value.functions]
                rebuilt = type(value)(*functions, **value.default_loader_context)
                self.set(ArticleLoader, attr, rebuilt)

    def restore(self) -> None:
        for owner, name, value in reversed(self.undo):
            setattr(owner, name, value)
        self.undo.clear()


def instrument(clock: StageClock) -> Patches:
    import newscrawler.extraction.loader as loaders
    import newscrawler.persian.dates as dates
    import newscrawler.persian.normalize as text
    from newscrawler.extraction import article, dom
    from newscrawler.extraction.metadata import PageMetadata

    patches = Patches()
    patches.everywhere(text.normalize_text, clock.wrap("normalization", text.normalize_text))
    patches.everywhere(text.match_key, clock.wrap("normalization", text.match_key))
    patches.everywhere(dom.drop_all, clock.wrap("widget removal", dom.drop_all))
    # getattr: names the loader imports, not names it exports (mypy --strict)
    drop_boilerplate, iso = getattr(loaders, "drop_boilerplate"), getattr(loaders, "iso")  # noqa: B009
    patches.set(loaders, "drop_boilerplate", clock.wrap("widget removal", drop_boilerplate))
    patches.set(dates, "parse_date", clock.wrap("dates", dates.parse_date))
    patches.set(loaders, "iso", clock.wrap("dates", iso))
    # the page parser: parse_page (ScrapySelector in checkouts before 2026-12-05)
    parser = "parse_page" if hasattr(article, "parse_page") else "ScrapySelector"
    patches.set(article, parser, clock.wrap("parse", getattr(article, parser)))
    patches.set(
        PageMetadata,
        "from_selector",
        staticmethod(clock.wrap("parse", PageMetadata.from_selector)),
    )
    return patches


@dataclasses.dataclass
class Page:
    site: str
    url: str
    html: bytes


def save_sample(pages: list[Page], path: Path) -> Path:
    """The sample as JSON lines (a baseline run in another process reads the same pages)."""
    with path.open("w", encoding="utf-8") as file:
        for page in pages:
            record = {"site": page.site, "url": page.url, "html": page.html.decode("utf-8")}
            file.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def load_sample(path: Path) -> list[Page]:
    pages = []
    with path.open(encoding="utf-8") as file:
        for line in file:
            record = json.loads(line)
            pages.append(Page(record["site"], record["url"], record["html"].encode("utf-8")))
    return pages


def _response(page: Page) -> HtmlResponse:
    return HtmlResponse(url=page.url, body=page.html, encoding="utf-8")


def _profiles() -> dict[str, Any]:
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    loader = SpiderLoader.from_settings(get_project_settings())
    spiders = (loader.load(name) for name in loader.list())
    # profiled sites only (`generic` has no profile of its own)
    return {cls.name: cls.profile for cls in spiders if hasattr(cls, "profile")}


def _ledger_owner() -> Callable[[Any], Any] | None:
    """``newscrawler.state.ledger.ledger_owner``: the crawl's ``CrawlLedger`` extension, which
    opens the crawl state when the spider opens; None in code from before it (a baseline),
    where the pipelines open the state themselves."""
    try:
        from newscrawler.state import ledger
    except ImportError:
        return None
    owner: Callable[[Any], Any] | None = getattr(ledger, "ledger_owner", None)
    return owner


class Pipelines:
    """The project's ``ITEM_PIPELINES``, built as Scrapy builds them, writing into a temp dir."""

    def __init__(self, directory: Path, clock: StageClock) -> None:
        import scrapy
        from scrapy.utils.misc import load_object
        from scrapy.utils.project import get_project_settings

        settings = get_project_settings()
        settings.set("NEWSCRAWLER_OUTPUT_DIR", str(directory))
        settings.set("NEWSCRAWLER_STATE_DIR", str(directory / ".state"))
        order = settings.getwithbase("ITEM_PIPELINES")
        own = {k: v for k, v in settings.copy_to_dict().items() if k.startswith("NEWSCRAWLER_")}
        self.ledger_owner = _ledger_owner()
        if self.ledger_owner is not None:  # the extension that opens and closes the crawl state
            own["EXTENSIONS"] = {"newscrawler.state.ledger.CrawlLedger": 400}
        self.crawler = get_crawler(settings_dict=own)
        spider = scrapy.Spider(name="bench")
        spider.since = None  # type: ignore[attr-defined]
        self.crawler.spider = spider
        self.steps: list[tuple[Any, Callable[[Any], Any]]] = []
        self.stages: list[str] = []
        for path in sorted((p for p in order if order[p] is not None), key=order.__getitem__):
            cls = load_object(path)
            pipeline = build_from_crawler(cls, self.crawler)
            stage = PIPELINE_STAGES.get(cls.__name__, cls.__name__)
            if stage not in self.stages:
                self.stages.append(stage)
            self.steps.append((pipeline, clock.wrap(stage, pipeline.process_item)))
        for pipeline, _ in self.steps:
            if hasattr(pipeline, "open_spider"):
                pipeline.open_spider()
        if self.ledger_owner is not None:
            self.ledger_owner(self.crawler).open()  # what spider_opened does in a crawl

    def process(self, item: Any) -> bool:
        """Run ``item`` through every pipeline; False when one dropped it."""
        from scrapy.exceptions import DropItem

        for _, step in self.steps:
            try:
                item = step(item)
            except DropItem:
                return False
        return True

    def close(self) -> None:
        for pipeline, _ in reversed(self.steps):  # Scrapy closes the last pipeline first
            if hasattr(pipeline, "close_spider"):
                pipeline.close_spider()
        if self.ledger_owner is not None:
            self.ledger_owner(self.crawler).close()  # what spider_closed does in a crawl
            return
        try:  # code from between the two (a baseline): a function closes the crawl state
            from newscrawler.state import ledger
        except ImportError:
            return
        close_ledger = getattr(ledger, "close_ledger", None)
        if close_ledger is not None:
            close_ledger(self.crawler)


def _instrumented_pass(
    pages: list[Page], profiles: dict[str, Any], now: datetime, clock: StageClock
) -> tuple[Pipelines, int]:
    """Extract ``pages`` and send the articles through the pipelines, in a fresh crawl state."""
    from newscrawler.extraction.article import extract_article

    written = 0
    run_extract = clock.wrap("selectors, loader", extract_article)
    with tempfile.TemporaryDirectory(prefix="bench-stages-") as tmp:
        pipelines = Pipelines(Path(tmp), clock)
        try:
            for page in pages:
                response = _response(page)
                clock.enter("parse")
                response.text  # noqa: B018 (decoding is part of parsing)
                clock.leave()
                item = run_extract(response, profiles[page.site], now=now)
                written += pipelines.process(item)
        finally:
            pipelines.close()
    return pipelines, written


def measure(pages: list[Page], *, warmup: int = 20) -> dict[str, Any]:
    """Per-article milliseconds per stage (instrumented) and of the plain extraction."""
    from newscrawler.extraction.article import extract_article

    profiles = _profiles()
    now = datetime(2026, 11, 20, 12, tzinfo=TEHRAN)

    def extract(page: Page) -> Any:
        return extract_article(_response(page), profiles[page.site], now=now)

    for page in pages[:warmup]:
        extract(page)

    # Plain: the extraction alone, nothing wrapped (best of 2 passes over the sample).
    plain = []
    for _ in range(2):
        started = time.thread_time()
        for page in pages:
            extract(page)
        plain.append((time.thread_time() - started) / len(pages) * 1000)

    clock = StageClock()
    patches = instrument(clock)
    try:
        # A first pass over a few pages pays one-time costs (lazy imports of the pipelines,
        # opening the crawl state) in a crawl state of its own; then the measured pass.
        _instrumented_pass(pages[:warmup], profiles, now, clock)
        clock.totals.clear()
        pipelines, written = _instrumented_pass(pages, profiles, now, clock)
    finally:
        patches.restore()
    order = (*EXTRACTION_STAGES, *pipelines.stages)
    per_article = {stage: clock.totals.get(stage, 0.0) / len(pages) * 1000 for stage in order}
    return {
        "pages": len(pages),
        "written": written,
        "stages_ms": per_article,
        "instrumented_total_ms": sum(per_article.values()),
        "extract_ms": min(plain),
    }


def trafilatura_version() -> str | None:
    """trafilatura's version, ``None`` when it is not installed (the ``bench`` extra)."""
    try:
        import trafilatura
    except ImportError:
        return None
    version: str = trafilatura.__version__
    return version


def trafilatura_cost(pages: list[Page], *, warmup: int = 10) -> dict[str, Any] | None:
    """Median and mean milliseconds per page of ``trafilatura.extract``; ``None`` without it."""
    try:
        import trafilatura
    except ImportError:
        return None
    variants: dict[str, Callable[[Page], Any]] = {
        "with_metadata": lambda page: trafilatura.extract(
            page.html.decode("utf-8"),
            url=page.url,
            output_format="json",
            with_metadata=True,
            include_comments=False,
        ),
        "text_only": lambda page: trafilatura.extract(
            page.html.decode("utf-8"), url=page.url, include_comments=False
        ),
    }
    result: dict[str, Any] = {"version": trafilatura.__version__}
    for name, call in variants.items():
        for page in pages[:warmup]:
            call(page)
        times = []
        for page in pages:
            started = time.thread_time()
            call(page)
            times.append((time.thread_time() - started) * 1000)
        result[name] = {"median_ms": statistics.median(times), "mean_ms": statistics.fmean(times)}
    return result


def profile(pages: list[Page], path: Path, *, top: int = 40) -> str:
    """Where extraction time goes: pyinstrument when installed, else cProfile; text report."""
    from newscrawler.extraction.article import extract_article

    profiles = _profiles()
    now = datetime(2026, 11, 20, 12, tzinfo=TEHRAN)

    def work() -> None:
        for page in pages:
            extract_article(_response(page), profiles[page.site], now=now)

    work()  # warm-up
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(work)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
        report = out.getvalue()
    else:
        session = Profiler(interval=0.0005)
        session.start()
        work()
        session.stop()
        report = session.output_text(unicode=True, color=False, show_all=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report, encoding="utf-8")
    return report


def main(argv: list[str]) -> int:
    """Time the stages of the ``newscrawler`` on ``sys.path`` on a saved sample; write JSON."""
    sample, out = (Path(arg) for arg in argv)
    out.write_text(json.dumps(measure(load_sample(sample))), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
