"""``python -m newscrawler …``: see :mod:`newscrawler.cli`."""

from newscrawler.cli import main

raise SystemExit(main())
