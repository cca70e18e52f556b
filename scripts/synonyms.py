"""Write ms_ref/synonyms.txt and ms_ref/lookalikes.txt.

synonyms.txt: for everyday English words, the words of msref's knowledge base that WordNet gives as their
synonyms or base forms ("whirl" -> spin, "fallen" -> fall, "numb" -> dead).

msref's ranker (ms_ref/rank.py) reads a query word that no entry uses through these, at a discount, so "the
room whirls" can reach the entry whose everyday phrases say "spinning". Only the first senses of a word are
used (WordNet orders senses by frequency), and only synonyms that are words of the knowledge base are kept, so
the file is small; run this again when the knowledge base gains many new words. lookalikes.txt: English words
a slip or two from a word of the knowledge base ("reflux", "reflex"), which the ranker must not "correct".

    apt-get install wordnet-base    # WordNet 3.0 in /usr/share/wordnet
    python scripts/synonyms.py

WordNet 3.0 Copyright 2006 by Princeton University, under the WordNet licence
(https://wordnet.princeton.edu/license-and-commercial-use), which the file's header repeats.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDNET = Path("/usr/share/wordnet")
TARGET = ROOT / "ms_ref" / "synonyms.txt"
LOOKALIKES = ROOT / "ms_ref" / "lookalikes.txt"
SENSES = 2
HEADER = """\
# Everyday English words and the words of msref's knowledge base WordNet gives as their synonyms or base
# forms (first senses only). Written by scripts/synonyms.py from WordNet 3.0.
# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. THIS SOFTWARE AND DATABASE IS
# PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. The
# name of Princeton University or Princeton may not be used in advertising or publicity pertaining to
# distribution of the software and/or database. Licence: https://wordnet.princeton.edu/license-and-commercial-use
"""


def _records(name: str) -> Iterator[list[str]]:
    """The fields of each record of a WordNet database file (its licence header, indented, skipped)."""
    with open(WORDNET / name, encoding="latin-1") as handle:
        for line in handle:
            if not line.startswith("  "):
                yield line.split()


def synsets(pos: str) -> dict[str, list[str]]:
    """synset offset -> its single-word lemmas."""
    found: dict[str, list[str]] = {}
    for parts in _records(f"data.{pos}"):
        count = int(parts[3], 16)
        words = [parts[4 + 2 * i].split("(")[0].lower() for i in range(count)]
        found[parts[0]] = [w for w in words if w.isalpha()]
    return found


def first_senses(pos: str) -> dict[str, list[str]]:
    """lemma -> the offsets of its first SENSES synsets."""
    found: dict[str, list[str]] = {}
    for parts in _records(f"index.{pos}"):
        lemma, count, pointers = parts[0], int(parts[2]), int(parts[3])
        offsets = parts[4 + pointers + 2 :]
        if lemma.isalpha():
            found[lemma] = offsets[: min(count, SENSES)]
    return found


def main() -> int:
    os.environ.setdefault("MSREF_DATA_DIR", str(ROOT / "data"))
    sys.path.insert(0, str(ROOT))
    from ms_ref.lookup import fold
    from ms_ref.rank import ranker
    from ms_ref.store import load_knowledge_base

    known = set(ranker(load_knowledge_base()).df)
    table: dict[str, set[str]] = {}
    for pos in ("noun", "verb", "adj", "adv"):
        data, index = synsets(pos), first_senses(pos)
        for lemma, offsets in index.items():
            for offset in offsets:
                for other in data.get(offset, ()):
                    if other != lemma and fold(other) in known and fold(other) != fold(lemma):
                        table.setdefault(fold(lemma), set()).add(fold(other))
        with open(WORDNET / f"{pos}.exc", encoding="latin-1") as handle:  # irregular forms: fell -> fall
            for line in handle:
                parts = line.split()
                if len(parts) >= 2 and parts[0].isalpha() and fold(parts[1]) in known:
                    table.setdefault(fold(parts[0]), set()).add(fold(parts[1]))
    lines = [f"{word} {' '.join(sorted(others))}" for word, others in sorted(table.items()) if word not in others]
    TARGET.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{TARGET}: {len(lines)} words")
    write_lookalikes(known, fold)
    return 0


def write_lookalikes(known: set[str], fold: object) -> None:
    """English words a slip or two from a word of the knowledge base ("reflux" and "reflex"): real words,
    which the ranker must not correct into the knowledge base's word."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    english: set[str] = set()
    for pos in ("noun", "verb", "adj", "adv"):
        english.update(first_senses(pos))
    english = {fold(word) for word in english if len(word) >= 5}  # type: ignore[operator]
    candidates = sorted(english - known)
    targets = sorted(word for word in known if len(word) >= 5 and word.isalpha())
    found: set[str] = set()
    for target in targets:
        limit = 1 if len(target) < 9 else 2
        for word, _distance, _index in process.extract(
            target, candidates, scorer=OSA.distance, score_cutoff=limit, limit=None
        ):
            found.add(word)
    header = HEADER.replace(
        "# Everyday English words and the words of msref's knowledge base WordNet gives as their synonyms or base\n"
        "# forms (first senses only).",
        "# English words (WordNet lemmas) one or two slips from a word of msref's knowledge base: real words, not\n"
        "# misspellings.",
    )
    LOOKALIKES.write_text(header + "\n".join(sorted(found)) + "\n", encoding="utf-8")
    print(f"{LOOKALIKES}: {len(found)} words")


if __name__ == "__main__":
    sys.exit(main())
