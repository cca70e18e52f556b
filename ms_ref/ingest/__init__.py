"""The cold path: reading YAML, validating, merging the user's entries and compiling the store.

Runs only when the store is missing or stale, and for `msref validate`; the only part of msref that
imports yaml (a test holds the hot path to the standard library).
"""

from __future__ import annotations

import os

from ms_ref.ingest.compile import compile_blobs
from ms_ref.ingest.merge import merge
from ms_ref.kb import KnowledgeBase, memory_store


class Built:
    """A compiled knowledge base: its blobs, the problems that make it unusable, the user files left out.

    A plain class, not a dataclass: importing dataclasses costs a first run 25 ms (inspect, re, enum)."""

    def __init__(
        self, blobs: dict[str, object], problems: list[str], skipped: dict[str, list[str]] | None = None
    ) -> None:
        self.blobs = blobs
        self.problems = problems
        self.skipped: dict[str, list[str]] = skipped if skipped is not None else {}

    @property
    def kb(self) -> KnowledgeBase:
        return memory_store(self.blobs)


def build(
    shipped: list[str], user: list[str], base: KnowledgeBase | None = None, skip_bad_user_files: bool = True
) -> Built:
    """Validate, merge and compile. With `base` (the shipped data, compiled when the wheel was built),
    only the user's files are read from YAML. `msref validate` passes skip_bad_user_files=False, so that
    every problem of every file is reported."""
    merged = merge(shipped, user, base, skip_bad_user_files)
    used = [path for path in user if path not in merged.skipped]
    relative = {
        i: os.path.basename(location) for i, location in merged.where.items() if not location.startswith(tuple(used))
    }
    fresh = merged.user_ids if base is not None else None
    blobs = compile_blobs(merged.entries, merged.names, merged.overrides, relative, base, fresh)
    return Built(blobs, merged.problems, merged.skipped)
