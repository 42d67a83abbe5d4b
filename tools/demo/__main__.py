"""``python -m tools.demo``: see :mod:`tools.demo.runner`."""

from tools.demo.runner import main

raise SystemExit(main())
