"""Crawl state: what each site has already delivered, kept so that the state and the output agree.

Two SQLite stores (nothing is loaded into memory at start; each lookup is one B-tree probe):

* ``<state>/<site>.sqlite``: the site's articles (id, news id, canonical URL, content hash,
  version, first/last seen, published/modified), the URL keys that lead to them, and the output
  files already committed (path, run, lines, bytes, SHA-256).
* ``<state>/seen.sqlite``: keys shared by all sites (canonical URL, body hash), so the same text
  on two sites is written once.

The rule that gives exactly-once output: **an article enters the state only in the same step
that makes its output file visible.** The store pipeline stages each record it writes; after a
file is complete and renamed into place it calls :meth:`Ledger.commit`, which records the file
and its articles in one transaction. A run killed before that leaves a ``.part`` file (deleted at
the next start; its articles are crawled again) and no state. A run killed between the rename
and the commit leaves a complete file the state does not know: the next start ingests it
(:meth:`Ledger.reconcile`), but only if the ledger created it: the store records each file's
name before writing it, so a file copied into a partition is never read back (it is reported, as
is a committed file that went missing). A committed file whose size changed is reported, not
trusted; ``state verify`` checks every file's SHA-256 against the manifests.

Runs of several sites share ``seen.sqlite``: an article's cross-site keys are claimed there in
one transaction before it is written (:mod:`newscrawler.state.claims`), so two runs meeting the
same story at once write it once.

A per-site lock (``<state>/<site>.lock``, ``flock``) keeps two runs of one site apart; the
kernel releases it when a process dies, so a killed run never blocks the next one."""
