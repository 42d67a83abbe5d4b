"""Errors of the crawl state; their messages say what to do."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


class StateError(Exception):
    """The state or a previous output file cannot be trusted; the message says what to do."""


class RunLocked(StateError):
    """Another run of the same site holds the lock."""
