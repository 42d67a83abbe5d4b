"""``scrapy genspider``: a site is a profile, so the project's template writes one.

``scrapy genspider -t newssite <name> <domain>`` (``newssite`` is the default here) writes
``newscrawler/sites/<name>.py``, a :class:`~newscrawler.sites.profile.SiteProfile` that crawls
with the generic extractor until it is given its family's selectors (docs/adding-a-site.md).
Scrapy's own templates (``-t basic``, ``crawl``, …) still write plain spiders.
"""

from __future__ import annotations

import shutil
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.commands.genspider import Command as ScrapyGenspider
from scrapy.utils.template import render_templatefile

if TYPE_CHECKING:
    import argparse
    import os

#: The project's templates (``<name>.tmpl``).
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SITES_MODULE = "newscrawler.sites"


class Command(ScrapyGenspider):
    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.set_defaults(template="newssite")

    def _find_template(self, template: str) -> Path | None:
        own = TEMPLATES / (template if template.endswith(".tmpl") else f"{template}.tmpl")
        return own if own.exists() else super()._find_template(template)

    def _list_templates(self) -> None:
        super()._list_templates()
        print(
            "\n".join(f"  {path.stem} (newscrawler)" for path in sorted(TEMPLATES.glob("*.tmpl")))
        )

    def _sites_dir(self) -> Path:
        module = import_module(SITES_MODULE)
        assert module.__file__
        return Path(module.__file__).parent.resolve()

    def _spider_exists(self, name: str) -> bool:
        path = self._sites_dir() / f"{name}.py"
        if path.exists():
            print(f"{path} already exists")
            return True
        return super()._spider_exists(name)

    def _genspider(
        self,
        module: str,
        name: str,
        url: str,
        template_name: str,
        template_file: str | os.PathLike[str],
    ) -> Path:
        if Path(template_file).parent.resolve() != TEMPLATES:
            return super()._genspider(module, name, url, template_name, template_file)
        variables = self._generate_template_variables(module, name, url, template_name)
        target = self._sites_dir() / f"{module}.py"
        shutil.copyfile(template_file, target)
        render_templatefile(target, **variables)
        print(f"Created the profile of {name!r} in {target}")
        print(
            f"Next: its family's selectors and URL shapes (docs/adding-a-site.md), then "
            f"fixtures under tests/fixtures/{module}/ and `make golden SITES={module}`."
        )
        return target
