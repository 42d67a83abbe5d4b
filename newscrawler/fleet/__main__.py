"""``python -m newscrawler.fleet …``: see :mod:`newscrawler.fleet.cli`."""

from newscrawler.fleet.cli import main

raise SystemExit(main())
