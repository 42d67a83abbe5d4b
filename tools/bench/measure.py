"""Run a command and print its wall time, CPU time and peak RSS as one JSON line on stderr.

Why a separate small process: Linux carries the parent's resident size into a child's
``ru_maxrss`` across ``fork``/``exec``, so a child of the (large) bench process would report
at least the bench's own size. Started from this small launcher, the figure is the crawl's own.

    python tools/bench/measure.py COMMAND [ARG ...]
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: become the command
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    result = {
        "returncode": os.waitstatus_to_exitcode(status),
        "wall_s": time.perf_counter() - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_kib": usage.ru_maxrss,
    }
    print("MEASURE " + json.dumps(result), file=sys.stderr, flush=True)
    return int(result["returncode"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
