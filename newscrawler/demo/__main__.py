"""``python -m newscrawler.demo``: see :mod:`newscrawler.demo.runner`."""

from newscrawler.demo.runner import main

raise SystemExit(main())
