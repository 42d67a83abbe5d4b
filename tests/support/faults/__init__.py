"""A fault-injection news site on 127.0.0.1 for the hostile-web suite (issue 4).

``pages`` renders a small WordPress site (the ``cafekhabarqazvin`` template), ``server`` serves
it with chosen URLs misbehaving (the catalogue of cases and what each must become), ``resolver``
maps ``*.test`` host names to 127.0.0.1 inside the crawl (so www/subdomain/other-domain cases
are real HTTP requests to the same local server), ``statsdump`` saves the crawl's stats as JSON.
"""
