"""Project commands: ``crawl`` with argument checks before anything starts."""
