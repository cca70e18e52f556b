"""Write ms_ref/everyday.txt and ms_ref/common.txt: the 5,000 and 20,000 most frequent English words,
from wordfreq.

msref's ranker (ms_ref/rank.py) uses the first list for one thing: a word of a query that no entry knows is
either everyday English ("first thing in the morning") or the subject of a question msref does not cover
("ibuprofen"). Everyday words then count for little; other unknown words keep their weight, so a question
about something else is not answered with an MS entry. The second list tells an English word ("flare",
"plaque", "NFL") from a name that means one thing (a drug, a brand, a medical term): a query naming an entry
by an English word among other words ("solar flare today") may mean that word's everyday sense.

    pip install wordfreq==3.1.1 && python scripts/everyday_words.py

wordfreq's data is licensed CC BY-SA 4.0 (https://github.com/rspeer/wordfreq); so is the list it writes,
whose header says so.
"""

from __future__ import annotations

from pathlib import Path

from wordfreq import top_n_list

LISTS = ((5000, Path(__file__).resolve().parent.parent / "ms_ref" / "everyday.txt"),
         (20000, Path(__file__).resolve().parent.parent / "ms_ref" / "common.txt"))
HEADER = """\
# The {COUNT:,} most frequent English words, from wordfreq 3.1.1 by Robyn Speer and contributors
# (https://github.com/rspeer/wordfreq), whose data is licensed CC BY-SA 4.0; this list is shared under the
# same licence (https://creativecommons.org/licenses/by-sa/4.0/). Written by scripts/everyday_words.py.
"""


def main() -> None:
    for count, target in LISTS:
        words = [w for w in top_n_list("en", count) if w.isascii() and w.isalpha()]
        target.write_text(HEADER.format(COUNT=count) + "\n".join(sorted(set(words))) + "\n", encoding="utf-8")
        print(f"{target}: {len(set(words))} words")


if __name__ == "__main__":
    main()
