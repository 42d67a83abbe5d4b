"""An extraction worker process: pages in on stdin, articles out on stdout.

Started by :class:`newscrawler.crawl.extraction_pool.ExtractionPool` as
``python -m newscrawler.crawl.extraction_worker``. Both directions carry frames: an 8-byte
big-endian length, then a pickle. The first frame in is the site profile; the worker warms up and
answers ``("ready", pid)``. Then each frame in is ``(task, html, url, now, province_hint)`` and each
frame out ``(task, True, article)`` or ``(task, False, exception)``. End of input (the crawl
closed the pipe, or died) makes the worker send ``("done", peak_rss_kib, cpu_seconds)`` and
exit: a worker never outlives its crawl.

Why a pipe to the crawl's event loop rather than :mod:`concurrent.futures`: a process pool
feeds its workers from helper threads of the crawl process, which wait for the GIL while the
reactor thread works; a worker then sits idle for most of a switch interval between two pages.
Here the event loop writes the next pages to the pipe as they come, and the worker always has
them queued.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import resource
import signal
import struct
import sys
import traceback
from pathlib import Path
from typing import IO, Any

FRAME = struct.Struct(">Q")
#: Size asked for each of a worker's pipes (Linux's default limit): about 16 pages.
PIPE_BYTES = 1024 * 1024


def write_frame(stream: IO[bytes], message: Any) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(FRAME.pack(len(payload)) + payload)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any | None:
    """The next message, or ``None`` at the end of the input."""
    header = stream.read(FRAME.size)
    if len(header) < FRAME.size:
        return None
    (size,) = FRAME.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return pickle.loads(payload)


def peak_rss_kib() -> int:
    """This process's peak resident memory: the kernel's high-water mark of its address space
    (``ru_maxrss`` would also count the crawl process's, inherited through fork before exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def portable(error: Exception) -> Exception:
    """``error`` as the crawl process can receive it, with this process's traceback attached:
    an exception that does not survive pickling both ways (lxml's parser errors, a class with a
    custom ``__init__``) travels as a RuntimeError naming it."""
    trace = "".join(traceback.format_exception(error)).rstrip()
    travelled: Exception = RuntimeError(f"{type(error).__name__}: {error}")
    with contextlib.suppress(Exception):
        copy = pickle.loads(pickle.dumps(error, protocol=pickle.HIGHEST_PROTOCOL))
        if isinstance(copy, Exception) and not isinstance(copy, StopIteration):
            travelled = copy
    travelled.add_note(f"in extraction worker {os.getpid()}:\n{trace}")
    return travelled


def widen_pipes() -> None:
    """Let this worker's pipes hold :data:`PIPE_BYTES` each (Linux; elsewhere the default).

    A page is ~60 KB pickled and a pipe holds 64 KB by default: the crawl's event loop could hand
    a worker one page per turn (and take one answer), and a turn of a busy crawl takes longer
    than extracting a page, so the worker waited for work with pages queued in the crawl.
    Either end of a pipe may resize it.
    """
    try:
        import fcntl

        set_size = fcntl.F_SETPIPE_SZ  # type: ignore[attr-defined,unused-ignore]
    except (ImportError, AttributeError):
        return
    for fd in (0, 1):
        with contextlib.suppress(OSError):  # over /proc/sys/fs/pipe-max-size, or not a pipe
            fcntl.fcntl(fd, set_size, PIPE_BYTES)


def serve(inbox: IO[bytes], outbox: IO[bytes]) -> int:
    from newscrawler.extraction.article import NotAnArticle, extract_html

    profile = read_frame(inbox)
    if profile is None:
        return 0
    # warm-up (hazm's word list, lxml); a site without a profile calls this page no article
    with contextlib.suppress(NotAnArticle):
        extract_html("<html><body><p>آغاز</p></body></html>", profile.base_url + "/", profile)
    gc.freeze()  # what start-up loaded is never garbage: keep the collector off it
    write_frame(outbox, ("ready", os.getpid()))
    while (message := read_frame(inbox)) is not None:
        task, html, url, now, province_hint = message
        try:
            article = extract_html(html, url, profile, now=now, province_hint=province_hint)
        except Exception as error:  # the crawl process reports it as a spider error
            write_frame(outbox, (task, False, portable(error)))
        else:
            write_frame(outbox, (task, True, article))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    write_frame(outbox, ("done", peak_rss_kib(), usage.ru_utime + usage.ru_stime))
    return 0


def main() -> int:
    widen_pipes()
    # itemadapter imports Scrapy when it is installed, to recognise scrapy.Item: 40 MiB of a
    # worker's 80 for items it never sees (extraction is parsel, itemloaders and hazm).
    sys.modules.setdefault("scrapy", None)  # type: ignore[arg-type]
    # Ctrl-C reaches the whole process group: the crawl decides when its workers stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print goes to stderr, not into the frames
    try:
        with os.fdopen(0, "rb") as inbox, outbox:
            return serve(inbox, outbox)
    except BrokenPipeError:  # the crawl is gone (a forced shutdown): nobody to answer
        os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
