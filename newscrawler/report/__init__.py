"""The visual run report: ``newscrawler report`` turns run manifests into one HTML page.

Design notes (the user's guide is docs/report.md):

* Manifests are the only input, as for the loader: :mod:`newscrawler.report.runs` reads each
  site's last N manifests into flat :class:`~newscrawler.report.runs.Run` rows, and the files a
  manifest names only for syndication (``source_agency``, ``cluster_id``, ``duplicate_of`` live
  in the records, not in the manifest). A damaged manifest is named and skipped, never fatal:
  one bad file must not hide the health of every other run.
* Self-contained: :mod:`newscrawler.report.plots` draws with matplotlib (object API, no
  pyplot state, so it is safe in any process) into SVG with text kept as text, and
  :mod:`newscrawler.report.page` inlines it. No script, no CDN: the page opens offline, from
  a mail attachment or a CI artifact, and its labels can be searched and copied.
"""
