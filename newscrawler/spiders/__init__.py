"""Spiders: the one crawl logic (:mod:`.news`) and a spider per site profile (:mod:`.profiled`)."""
