"""Syndication: one story republished by several sites becomes one cluster, across sites and runs.

Regional portals republish agency copy almost word for word: a new first sentence («به گزارش
ایرنا، …»), a source line («منبع: ایرنا»), half-spaces typed as spaces, a paragraph cut. The
exact-duplicate keys of :class:`~newscrawler.pipelines.dedupe.DedupePipeline` (news id, canonical
URL, body hash) miss such copies, so this pipeline compares bodies by content:

* **Shingles**: the body's comparison key (Arabic ي/ك folded, digits in ASCII, everything but
  letters and digits removed, spaces and ZWNJ included) cut into overlapping
  :data:`SHINGLE`-character pieces. Without spaces the key cannot tell «شهرک‌های» from
  «شهرک های» or «شهرکهای»; nine characters (about two Persian words) keep common phrases of
  one topic from looking alike (see ``tools/calibrate_syndication.py``).
* **MinHash** (:data:`NUM_PERM` permutations, computed in numpy with no loop per shingle): a
  fixed-size signature whose agreement rate estimates the Jaccard similarity of two shingle
  sets. Each shingle is hashed as a polynomial over its code points (modulo 2**64, then the
  MurmurHash3 64-bit finalizer, low 32 bits kept); each permutation is datasketch's
  ``affine32`` scheme, ``a * h + b`` modulo 2**32 with ``a`` odd (a bijection); ``a``, ``b`` and
  the polynomial's base are drawn from :data:`SEED` with splitmix64 in Python integers, the
  same values on every machine and numpy version (:data:`HASH_SCHEME`).
* **LSH**: the signature cut into :data:`BANDS` bands of :data:`ROWS` values; two articles
  sharing any band become candidates (probability ``1 - (1 - J**3)**42``: 0.61 at J = 0.28,
  0.94 at J = 0.4, 0.996 at J = 0.5, 0.005 at J = 0.05). (42, 3) is what datasketch's
  ``MinHashLSH`` picks for a threshold of 0.25 to 0.28 with 126 permutations.
* **Verification**: a candidate is a copy when the signatures agree on at least ``threshold``
  of the values (:data:`DEFAULT_THRESHOLD`, calibrated by ``tools/calibrate_syndication.py``
  on ``tests/fixtures/_syndication/pairs.jsonl``) and the two texts' figures agree
  (:data:`MIN_FIGURES`): copies keep the numbers, daily bulletins of one template do not.

The index is a SQLite file (``<state dir>/syndication.sqlite``) shared by all sites and kept
across runs: a table of articles (id, site, story, signature, figures) and a table of band key →
article, looked up with one B-tree probe per band, so nothing is loaded into memory at start and
a million articles cost about a gigabyte of disk, not of RAM (``tools/bench/syndication.py``).
datasketch's own ``MinHashLSH`` keeps its tables in memory or in Redis/Cassandra; neither is a
local file that becomes durable together with the output, hence these tables.

What a run adds is held in memory and written only once the crawl state has recorded the
article, i.e. once the output file carrying it has been renamed into place and committed
(:mod:`newscrawler.state`): a killed run leaves no story member nobody received. Concurrent runs
see each other's articles once committed; two copies of one story crawled at the same moment by
two runs, each before the other committed, start two stories."""
