"""`msref annotate`: the MS words in a person's own clinic letter, MRI report or notes, each explained once.

The text is cut into words the way names are normalised (ms_ref.words), folded the way lookup folds them
(plurals, UK and US spellings, "multiple sclerosis" = "MS"), and matched against every entry's name,
aliases and everyday phrases, longest match first. Ordinary English is left alone: a single word that
names an entry but is everyday English ("pain", "memory", "falls") is only marked inside a longer term,
single-word everyday phrases are never used, and short abbreviations (MS, ON, CIS, EDSS) match only in
capitals. Nothing leaves the machine. Builtin modules only: the phrase table comes from the store.
"""

from __future__ import annotations

from ms_ref.errors import NotFoundError
from ms_ref.lookup import fold

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from ms_ref.kb import KnowledgeBase
    from ms_ref.types import Block, Cell, Entry, Term, View

# Words of everyday English that are also the name or alias of an entry. Alone they are not marked: a
# reader knows them, and a letter about anything else is full of them.
EVERYDAY = frozenset(
    "anxiety depression fatigue stress memory pain falls falling fall brain nerve reflex gene thinking weakness "
    "numbness tingling itching dizziness constipation diarrhoea diarrhea insomnia smoking obesity massage yoga "
    "placebo vaccination vaccine disability impairment progression attack flare rebound cognition incidence "
    "prevalence fertility adherence advocacy exhaustion tiredness shaking trembling swelling wheelchair walker "
    "cane crutch scooter steroid generic salt head gland complement inflammation immunity epidemiology pathology "
    "aetiology etiology hormone exacerbation washout masking endpoint cigarette fag jab imbalance unsteadiness "
    "lightheadedness forgetful clumsy woozy frazzled panicky overwhelmed mumbling dribbling biomarker "
    "misdiagnosis seizure fit convulsion tremor vertigo migraine lupus catheter rehab "
    "rehabilitation physiotherapy acupuncture mindfulness neurologist dna cortex peptide antibody gp".split()
)
# Everyday phrases that name an entry; a letter's signature, not a term to explain.
EVERYDAY_PHRASES = frozenset({("consultant", "neurologist")})
# What may stand between the words of one term: spaces and line breaks, a hyphen or a slash.
JOINERS = frozenset(" \t\r\n-/\u2010\u2011\u2013")
# Abbreviations up to this length match only as written (in capitals), so that "on", "ms" or "cis" in running
# English is not taken for optic neuritis, MS or clinically isolated syndrome.
CAPITALS_UP_TO = 5
MAX_WORDS = 8
# An everyday phrase longer than this is a sentence someone says ("I have to rush to the loo the second I
# feel it"), which the lookup reads but a letter does not contain word for word.
MAX_LAY_WORDS = 5


def phrase_table(
    entries: Mapping[str, Entry],
    reuse: dict[str, str] | None = None,
    fresh: set[str] | None = None,
    replaced: set[str] | None = None,
) -> dict[str, str]:
    """first folded word -> [[folded words...], entry id, the form it must have when written in capitals, rank]

    Built when the store is compiled. Rank 0 for names and aliases, 1 for everyday phrases (lay terms), which
    give way when both name a phrase. With `reuse` (the shipped table) only the `fresh` entries' phrases are
    made; `replaced`, the fresh entries the shipped data already has, is found in `reuse` when not given.
    """
    from ms_ref.lookup import canonical_words

    if reuse is not None and fresh is not None and replaced is None:
        replaced = {entry_id for packed in reuse.values() for entry_id in _ids(packed) if entry_id in fresh}
    if reuse is not None and fresh is not None and not replaced:
        # Only new entries: the shipped phrases stay as they are; each new phrase joins its first word's row.
        table = dict(reuse)
        added = phrase_table({i: entries[i] for i in fresh if i in entries})
        for first, packed in added.items():
            table[first] = _pack((_unpack(table[first]) if first in table else []) + _unpack(packed))
        return table
    rows: list[tuple[tuple[str, ...], str, str, int]] = []
    if reuse is not None and fresh is not None:  # the phrases of the shipped data, less those of entries redone
        rows = [
            row
            for packed in reuse.values()
            for row in _unpack(str(packed))
            if row[1] in entries and row[1] not in fresh
        ]
        entries = {i: entries[i] for i in fresh if i in entries}
    for entry_id, entry in entries.items():
        name = entry.get("name", entry_id)
        keys: list[tuple[str, int]] = [
            (name, 0),
            # "Baclofen (oral)" is written "baclofen" in a letter.
            *([(name.split(" (")[0], 0)] if " (" in name else []),
            *((a, 0) for a in entry.get("aliases") or []),
            *((lay, 1) for lay in entry.get("lay_terms") or []),
        ]
        for key, rank in keys:
            words = tuple(canonical_words(key))
            if not words or len(words) > (MAX_LAY_WORDS if rank else MAX_WORDS) or words in EVERYDAY_PHRASES:
                continue
            if len(words) == 1 and (rank == 1 or words[0] in EVERYDAY or len(words[0]) < 2):
                continue
            stripped = "".join(c for c in key if c.isalnum())
            # The plural of an abbreviation ("MSCs", "DMTs") is that abbreviation: "MSc" after a doctor's
            # name in a letter is a degree, not mesenchymal stem cells.
            if len(stripped) > 2 and stripped.endswith("s") and stripped[:-1].isupper():
                stripped = stripped[:-1]
            capitals = stripped if stripped.isupper() and len(stripped) <= CAPITALS_UP_TO else ""
            rows.append((words, entry_id, capitals, rank))
    # A phrase that is an abbreviation under any of its names (MS, ON) must be in capitals under all of them,
    # or "Ms Smith" would be taken for multiple sclerosis through the name that folds to "ms".
    capitals_of = {words: capitals for words, _id, capitals, _rank in rows if capitals}
    grouped: dict[str, list[tuple[tuple[str, ...], str, str, int]]] = {}
    for words, entry_id, capitals, rank in rows:
        grouped.setdefault(words[0], []).append((words, entry_id, capitals or capitals_of.get(words, ""), rank))
    # One string per first word: the store reads it in one piece, and a letter unpacks only the words it has.
    return {first: _pack(items) for first, items in grouped.items()}


_FIELD, _ROW = "\x1f", "\x1e"


def _pack(rows: list[tuple[tuple[str, ...], str, str, int]]) -> str:
    """The rows of one first word in one string, longest phrase first and names before everyday phrases."""
    rows = sorted(rows, key=lambda row: (-len(row[0]), row[3]))
    return _ROW.join(f"{' '.join(words)}{_FIELD}{i}{_FIELD}{shown}{_FIELD}{rank}" for words, i, shown, rank in rows)


def _unpack(packed: str) -> list[tuple[tuple[str, ...], str, str, int]]:
    """The rows of one first word: (folded words, entry id, capitals form, rank)."""
    rows = []
    for row in packed.split(_ROW):
        words, entry_id, capitals, rank = row.split(_FIELD)
        rows.append((tuple(words.split(" ")), entry_id, capitals, int(rank)))
    return rows


def written_as(letters: str, capitals: str) -> bool:
    """Whether a word's letters as written are the abbreviation `capitals` or its plural ("DMTs")."""
    return letters == capitals or (letters.endswith("s") and letters[:-1] == capitals)


def capitals_forms(kb: KnowledgeBase, word: str) -> set[str]:
    """How a folded word must be written when every one-word name it is is an abbreviation ("msc": {"MSC"});
    empty when one of them is not, or it names nothing."""
    table: dict[str, str] = kb.blob("phrases") or {}  # type: ignore[assignment]
    rows = [row for row in _unpack(table[word]) if row[0] == (word,)] if word in table else []
    return {capitals for _words, _id, capitals, _rank in rows} if all(row[2] for row in rows) else set()


def _by_second_word(
    rows: list[tuple[tuple[str, ...], str, str, int]],
) -> dict[str, list[tuple[tuple[str, ...], str, str, int]]]:
    """One first word's rows by their second word ("" for one-word phrases), each list in the rows' order."""
    grouped: dict[str, list[tuple[tuple[str, ...], str, str, int]]] = {}
    for row in rows:
        grouped.setdefault(row[0][1] if len(row[0]) > 1 else "", []).append(row)
    return grouped


def _ids(packed: str) -> list[str]:
    """The entry ids in one first word's packed rows, without unpacking the rest."""
    return [row.split(_FIELD, 2)[1] for row in packed.split(_ROW)]


def glosses(entries: dict[str, Entry]) -> dict[str, str]:
    """Entry id -> "name<US>summary": what annotate shows for each term, in one small blob."""
    return {i: f"{e.get('name', i)}{_FIELD}{e.get('summary', '')}" for i, e in entries.items()}


# Characters that always end a word, read in one pass by str.translate (the apostrophes are kept and
# judged per word); a word that still holds another non-alphanumeric character goes through _scan.
_BREAKS = str.maketrans(
    dict.fromkeys(
        [chr(c) for c in range(128) if not chr(c).isalnum() and chr(c) not in "'"]
        + list("\u00a0\u00ab\u00bb\u00b7\u2010\u2011\u2012\u2013\u2014\u2015\u2018\u201c\u201d\u2022\u2026"),
        " ",
    )
)
_APOSTROPHES = "'\u2019"


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for each word of `text`; an apostrophe inside a word is part of it, and
    "multiple sclerosis" is one word, "ms", as in lookup."""
    found: list[tuple[int, int, str]] = []
    spaced = text.translate(_BREAKS)  # one character for one: positions stay the same
    position = 0
    for chunk in spaced.split():
        start = spaced.find(chunk, position)
        position = start + len(chunk)
        # Nearly every run is one plain word; one with an apostrophe or a rare symbol is read letter by letter.
        pieces = [(start, position, chunk.casefold())] if chunk.isalnum() else _scan(chunk, start)
        for begin, end, raw in pieces:
            if raw == "sclerosis" and found and found[-1][2] == "multiple":
                found[-1] = (found[-1][0], end, "ms")
                continue
            found.append((begin, end, raw if raw == "multiple" else fold(raw)))
    return found


def _scan(chunk: str, offset: int) -> list[tuple[int, int, str]]:
    """The words of a run of characters with no space: letters and digits, with an apostrophe inside a word
    (followed by a letter or digit) kept as part of it; any other character ends a word."""
    pieces: list[tuple[int, int, str]] = []
    index, length = 0, len(chunk)
    while index < length:
        if not chunk[index].isalnum():
            index += 1
            continue
        start = index
        while index < length and (
            chunk[index].isalnum()
            or (chunk[index] in _APOSTROPHES and index + 1 < length and chunk[index + 1].isalnum())
        ):
            index += 1
        raw = chunk[start:index].casefold().replace("'", "").replace("\u2019", "")
        pieces.append((offset + start, offset + index, raw))
    return pieces


def find_terms(kb: KnowledgeBase, text: str) -> list[Term]:
    """The entries named in `text`, each once, in order of first appearance, longest matches first."""
    table: dict[str, str] = kb.blob("phrases") or {}  # type: ignore[assignment]
    gloss: dict[str, str] = kb.blob("gloss") or {}  # type: ignore[assignment]
    by_next: dict[str, dict[str, list[tuple[tuple[str, ...], str, str, int]]]] = {}
    tokens = words(text)
    folded = tuple(word for _start, _end, word in tokens)
    seen: set[str] = set()
    terms: list[Term] = []
    index = 0
    while index < len(tokens):
        matched = 0
        first = tokens[index][2]
        if first not in by_next:
            by_next[first] = _by_second_word(_unpack(table[first])) if first in table else {}
        groups = by_next[first]
        # Only the phrases whose second word follows here, then the one-word ones: a letter says "the" often.
        following = groups.get(folded[index + 1], []) if index + 1 < len(folded) and groups else []
        for phrase, entry_id, capitals, _rank in (*following, *groups.get("", ())):
            size = len(phrase)
            if index + size > len(tokens):
                continue
            if folded[index : index + size] != phrase:
                continue
            window = tokens[index : index + size]
            start, end = window[0][0], window[-1][1]
            if any(set(text[a[1] : b[0]]) - JOINERS for a, b in zip(window, window[1:])):
                continue  # "enhancing) lesions" is not one term
            written = text[start:end]
            letters = "".join(c for c in written if c.isalnum())
            if capitals and written.casefold() != "multiple sclerosis" and not written_as(letters, capitals):
                continue
            matched = size
            if entry_id not in seen:
                seen.add(entry_id)
                name, _sep, summary = gloss.get(entry_id, entry_id + _FIELD).partition(_FIELD)
                terms.append(
                    {"text": text[start:end], "start": start, "end": end, "id": entry_id, "name": name,
                     "summary": summary}
                )
            break
        index += matched or 1
    return terms


def view(kb: KnowledgeBase, text: str, label: str, inline: bool = False) -> View:
    """The MS terms of a document: a glossary of it, or (inline) the document with each first use marked."""
    terms = find_terms(kb, text)
    if not terms:
        raise NotFoundError(
            f"no MS terms found in {label}",
            hints=["msref recognises the names, abbreviations and everyday words of its entries"],
        )
    data: dict[str, object] = {"terms": terms}
    if inline:
        return {"data": data, "doc": [{"type": "annotated", "text": text, "terms": terms}]}
    rows: list[list[Cell]] = [[" ".join(t["text"].split()), t["name"], t["summary"]] for t in terms]
    count = len(terms)
    doc: list[Block] = [
        {
            "type": "title",
            "text": f"MS terms in {label}",
            "subtitle": f"{count} term{'s' if count != 1 else ''}, in the order they first appear",
        },
        {"type": "table", "headers": ["In your text", "Entry", "What it means"], "rows": rows},
        {"type": "note", "text": "`msref explain NAME` shows any of them in full, with sources."},
    ]
    return {"data": data, "doc": doc}
