"""Signals newscrawler components send to each other."""

#: Sent by the store pipeline after its output file is complete and renamed into place
#: (arguments: ``path``, ``lines``); the dedupe pipeline then commits the keys it holds.
output_committed = object()
