"""Scoring what people type against every entry's names, aliases, everyday phrases and summary.

The tiers of ms_ref.lookup answer a name, an alias or an abbreviation exactly. What people type is often
more: a sentence ("my legs feel like jelly"), a question ("how does ocrelizumab work"), a name with words
around it ("Kesimpta pen 20 mg"). This ranker scores each entry by how well one of its keys (its name, an
alias, an everyday phrase, or its summary) and the query cover each other:

    key cover    the share of the key's words the query has    ("jelly legs" in "my legs feel like jelly": all)
    query cover  the share of the query's words the key has    (a query about ibuprofen and headaches: half)

Both are weighted by how rare a word is among the entries (inverse document frequency), so "ms", "pain" or
"problem" count for less than "jelly" or "ocrelizumab"; words that carry no subject ("how", "does", "my",
"feel") and words that qualify a name ("pen", "dose", "side effects") count for little. An entry's score is
the product of the two covers for its best key, times the weight of the key's field. ms_ref.lookup turns the
scores into an answer, a list of candidates or "not found" with thresholds set on the development queries
(benchmarks/lookup_eval.py).

The index is compiled once with the store; a query reads it only when the exact tiers found nothing.
Builtin modules only at the top; rapidfuzz is imported only to correct a misspelt word.
"""

from __future__ import annotations

import math

from ms_ref.words import STOPWORDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Container, Iterator, Mapping

    from ms_ref.kb import KnowledgeBase
    from ms_ref.types import Entry

# Fields a key comes from, and how much a full match on each is worth.
NAME, ALIAS, LAY, SUMMARY, USE = 0, 1, 2, 3, 4
# USE is the summary of a treatment or a drug target: it names what the thing is for ("for sudden laughing
# or crying"), so words found there point less surely at it than at the term that is that thing.
FIELD_WEIGHT = {NAME: 1.0, ALIAS: 1.0, LAY: 0.92, SUMMARY: 0.6, USE: 0.5}
USE_CATEGORIES = frozenset({"drug targets", "molecules", "drug classes"})

# Words that carry no subject: question words, pronouns, auxiliaries, everyday verbs of a sentence.
FILLERS = frozenset(
    (
        "what whats is are a an the my me i im ive id mine about define definition of meaning meant explain "
        "does do did doing done mean means tell please info information on for in with how why when where who "
        "which whom whose can could should would will shall might must may it its this that these those there "
        "their they them to get gets getting got have has having had be being been am was were keep keeps "
        "kept feel feels feeling felt like really very so some any all always sometimes often after before "
        "from at by and or but if know need needs want wants help helps helping work works working worked "
        "happen happens happening thing things stuff way ways lot lots bit little much many more most also "
        "just still even only too again ever never not no yes out up down off over into onto than then "
        "because since while during until around every each other another someone something anything "
        "anyone we us our you your he she him her his hers go goes going went gone come comes coming came "
        "make makes making made take takes taking took give gives giving gave say says said see sees seeing "
        "seem seems look looks looking find finds found use uses using used try tries trying tried start "
        "starts started starting stop stops stopped stopping actually exactly"
        # Contractions typed without their apostrophe ("he's" is read "hes", "you're" "youre").
        " hes youre theyre youve weve theyve youll theyll itll hed whos"
    ).split()
) | STOPWORDS
# Negations typed without their apostrophe ("doesnt", "isnt"): everyday English, as "dont" and "cant" are
# in the word list, so unmatched they are the sentence around the subject, not a rare unknown word.
NEGATIONS = frozenset(
    "doesnt isnt didnt wasnt werent arent havent hasnt hadnt couldnt wouldnt shouldnt wont aint mustnt neednt".split()
)
# Words that qualify a name without changing what it names ("Kesimpta pen", "EDSS score", "MRI scan",
# "ocrelizumab side effects"): a query with them still means the entry.
QUALIFIERS = frozenset(
    (
        "score scale test testing tested result results blood level levels scan scans risk risks tablet "
        "tablets pill pills capsule capsules pen pens autoinjector injector injection injections infusion meds "
        "infusions pump spray drug drugs medication medications medicine medicines treatment treatments "
        "therapy therapies biosimilar generic side effect effects dose doses dosage dosing mg mcg microgram "
        "ml unit iu daily weekly monthly yearly year years month months week weeks day days once twice "
        "safe safety pregnant pregnancy breastfeeding symptom symptoms sign signs condition "
        "problem active analysis assessment check checking checked diagnose diagnosed diagnosis "
        "doctor doctors nurse type kind form version brand name cost price medical medicinal acute chronic mild "
        "severe breastfeed nursing alcohol vaccine vaccines vaccination interaction interactions hair weight "
        "available availability approved approval licence license nhs fda uk us usa eu long term often"
        # What a question asks about the thing it names ("how is PML treated", "how fast does PPMS progress",
        # "is MS inherited", "do lesions ever go away"): the thing is still the subject.
        " treat treated treating cure cured curable heal healed healing progress progressing fast"
        " inherited inherit hereditary genetic contagious catching last lasts long normal"
        " range positive negative high low worse better inject injected injecting injects affect affects"
        " away common rare serious dangerous fatal likely chance chances rate success expect expected"
        # Where the word was read ("what does demyelinating mean in my discharge letter", "in the trial
        # leaflet"): the word is still the subject.
        " letter letters report reports leaflet notes discharge"
    ).split()
)
# Qualifiers that ask about a subject left unsaid ("is it inherited", "getting worse", "can it be cured"):
# the subject of a query whose only other words are fillers. The other qualifiers ("pills", "scan", "dose")
# say too little alone.
ASKING = frozenset(
    "inherited inherit hereditary genetic contagious cure cured curable worse progress progressing fatal".split()
)
# Qualifiers that are a subject of their own when nothing else in the query is.
SUBJECT_QUALIFIERS = frozenset(
    "pregnant pregnancy breastfeed breastfeeding nursing vaccine vaccines vaccination".split()
)
# Words that make a query the name of a condition ("motor neurone disease", "Guillain-Barre syndrome"):
# an entry that lacks them does not answer it.
CONDITION_WORDS = frozenset({"disease", "syndrome", "disorder", "cancer", "palsy"})
# Everyday words that name what a query is about (organs, other illnesses, everyday things): unmatched, they
# count in full, so "heart attack" does not reach the entry that has "attack" among its names.
TOPIC_WORDS = frozenset(
    (
        "heart lung kidney liver stomach tooth teeth gum ear nose throat sinus bone joint hip shoulder prostate "
        "breast womb uterus period baby toddler child kid dog cat car phone computer food recipe cooking money "
        "tax insurance flu covid cough fever cancer diabetes asthma arthritis dementia allergy tyre football "
        "game movie music song weather microsoft laptop software email"
    ).split()
)
# How sharply a partial cover is discounted: a key with words the query lacks, and a query with words the
# key lacks (a query's unexplained words are the stronger sign that it means something else).
COVER_POWER = 2.0
PHRASE_POWER = 2.0
PHRASE_FLOOR = 0.4
EVERYDAY_MATCHED = 0.5  # an everyday word ("three", "time", "leg") is weaker evidence than "stiff" or "jelly"
FILLER_WEIGHT = 0.5  # a fixed weight: a word that means nothing here is not made weighty by being rare here
QUALIFIER_WEIGHT = 0.3
CONDITION_WEIGHT = 8.0
TOPIC_WEIGHT = 8.0
GROUP_UNMATCHED = 0.2
LONE_FACTOR = 0.6
WEAK_FACTOR = 0.6
SYNONYM_DISCOUNT = 0.5
FORM_DISCOUNT = 0.95  # another form of the word ("constipated" meeting "constipation")
CONCEPT_DISCOUNT = 0.5
SPREAD = 0.7
# How much the meaning of the words (ms_ref.vectors) weighs: a candidate whose centroid has cosine c with the
# query's vector has its score times (c / VECTOR_PIVOT) ** VECTOR_POWER (0 turns it off).
VECTOR_POWER = 1.5
VECTOR_PIVOT = 0.65
VECTOR_FLOOR = 0.01
VECTOR_CANDIDATES = 16
NAME_CONTEXT_WORDS = 5  # words from which a query holding a name is a sentence around it
MS_MAIN_WEIGHT = 4.0  # "MS" as the subject counts as a rare word would
# Verbs of stopping (folded) and the phrasal verbs that mean it ("come off", "give up"). With a medicine as
# their object ("stop my DMT", "coming off Tysabri", "quit the injections") they are what the query is
# about, read as one word in queries and keys alike (stopping()); elsewhere ("how do I stop my legs
# twitching") they stay fillers.
STOPPING = frozenset(
    "stop stopping stopped quit quitting quitted discontinue discontinued discontinuing cease ceased ceasing".split()
)
STOPPING_PARTICLES = {
    "off": frozenset("come coming came goe going went get getting got take taking took taken".split()),
    "up": frozenset("give giving gave".split()),
}
# The treatment families of medicines: not diets, supplements, therapies or transplants.
MEDICINES = frozenset({"dmt", "symptomatic"})
# Words for a medicine of any kind, as folded; the names of the medicines come from the entries.
MEDICINE_WORDS = frozenset(
    "drug medicine medication med injection jab tablet pill capsule infusion drip treatment therapy dmt shot".split()
)
DISCONTINUATION = "discontinuation"  # the word of the names of stopping a treatment
# Words that make a medicine word part of another thing's name: "stop injection site reactions" is about
# the reactions, not about stopping the injections.
MEDICINE_COMPOUNDS = frozenset({"site", "reaction"})
STOPPING_REACH = 2  # the object: one of the next two words that are not fillers
STARTED_LETTERS = 6  # the shortest start of a medicine's name read as that name in a sentence ("methylpred")
MS_WEIGHT = 0.35  # "ms" is the subject of the whole tool: in a longer query it adds little


def key_words(text: str, medicines: Container[str] = frozenset()) -> list[str]:
    from ms_ref.lookup import canonical_words

    return list(dict.fromkeys(stopping(canonical_words(text), medicines)))


def stopping(words: list[str], medicines: Container[str]) -> list[str]:
    """Folded words with each verb of stopping whose object is a medicine (MEDICINE_WORDS, or one of
    `medicines`, the words naming one) read as DISCONTINUATION: "what happens if I stop taking my MS
    medicine", "coming off Tysabri". The object is one of the next STOPPING_REACH words that are not
    fillers or "ms"."""
    if not _may_stop(words):
        return words
    fillers = _folded(FILLERS)
    found: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        after = words[index + 1] if index + 1 < len(words) else ""
        span = 1 if word in STOPPING else 2 if word in STOPPING_PARTICLES.get(after, ()) else 0
        if span:
            objects = [w for w in words[index + span :] if w not in fillers and w != "ms"][: STOPPING_REACH + 1]
            if any(
                (w in MEDICINE_WORDS or w in medicines) and following not in MEDICINE_COMPOUNDS
                for w, following in zip(objects[:STOPPING_REACH], [*objects[1:], ""])
            ):
                found.append(DISCONTINUATION)
                index += span
                continue
        found.append(word)
        index += 1
    return found


def stopped(kb: KnowledgeBase, words: list[str]) -> list[str]:
    """stopping() with the medicines of `kb`'s ranker, which is read only when a word may be a verb of
    stopping."""
    return stopping(words, ranker(kb).medicines) if _may_stop(words) else words


def _may_stop(words: list[str]) -> bool:
    """Whether a word may be a verb of stopping or the particle of one ("come off", "give up")."""
    return any(word in STOPPING or word in STOPPING_PARTICLES for word in words)


def medicine(entry: Entry) -> bool:
    """Whether an entry is a medicine: a treatment of the MEDICINES families, not a diet, a supplement, a
    therapy or a transplant."""
    return entry.get("kind") == "treatment" and str(entry.get("family", "")) in MEDICINES


def medicine_words(entries: Mapping[str, Entry]) -> set[str]:
    """The folded one-word names, aliases and ids of the medicines among these entries ("tysabri",
    "fingolimod", "baclofen"): the treatments of the MEDICINES families."""
    from ms_ref.lookup import canonical_words

    found: set[str] = set()
    for entry_id, entry in entries.items():
        if not medicine(entry):
            continue
        for text in (entry_id, str(entry.get("name") or ""), *(str(a) for a in entry.get("aliases") or [])):
            words = canonical_words(text)
            if len(words) == 1 and words[0].isalpha():
                found.add(words[0])
    return found


def build(entries: dict[str, Entry]) -> dict[str, object]:
    """The ranker's index: keys (entry id, field, words), token -> key numbers, token -> entry count, and
    the word vectors with each entry's centroid (ms_ref.vectors)."""
    treatments = {i for i, e in entries.items() if e.get("kind") == "treatment"}
    medicines = medicine_words(entries)
    keys = entry_keys(entries, medicines)
    index = _indexed(keys, treatments)
    index["medicines"] = sorted(medicines)
    shortened = abbreviations(entries)
    index["abbreviations"] = sorted(shortened)
    # An everyday word is never read as one of the entries' abbreviations: WordNet's abbreviation for it
    # belongs to another sense of the letters ("Mississippi" MS, "four" IV, "auto" CAR, "flare" FLAIR).
    # A technical word keeps its own ("tetrahydrocannabinol" THC, "leukocyte" WBC).
    everyday = set(index["common"])  # type: ignore[call-overload]
    synonyms: dict[str, list[str]] = index["synonyms"]  # type: ignore[assignment]
    index["synonyms"] = {
        word: kept
        for word, others in synonyms.items()
        if (kept := [other for other in others if word not in everyday or other not in shortened])
    }
    from ms_ref.vectors import head

    scales, table, rows = word_vectors()
    df: dict[str, int] = index["df"]  # type: ignore[assignment]
    index["vectors"] = rows  # where each word's row lies in ms_ref/vectors.bin
    index["vecmeta"] = {"scales": list(scales), "head": head()}
    total = int(index["entries"])  # type: ignore[call-overload]
    index["centroids"] = _centroids(keys, table, df, total, scales, _folded(FILLERS))
    return index


def _centroids(
    keys: list[tuple[str, int, list[str]]], table: dict[str, bytes], df: dict[str, int], total: int,
    scales: list[float], fillers: frozenset[str],
) -> dict[str, bytes]:
    from ms_ref.vectors import centroids

    def weight(word: str) -> float:
        return math.log(1.0 + max(total, 1) / (df.get(word, 0) + 0.5))

    plain = ((i, [w for w in words if not w.startswith("@") and w not in fillers]) for i, _f, words in keys if i)
    return centroids(plain, table, weight, scales)


_VECTORS: list[tuple[list[float], dict[str, bytes], dict[str, int]]] = []


def word_vectors() -> tuple[list[float], dict[str, bytes], dict[str, int]]:
    """The scales, word vectors and row offsets of ms_ref/vectors.bin (read once; compiling only)."""
    if not _VECTORS:
        from ms_ref.vectors import read_file

        try:
            _VECTORS.append(read_file())
        except (OSError, ValueError, UnicodeDecodeError):  # a damaged file: rank by the words alone
            _VECTORS.append(([], {}, {}))
    return _VECTORS[0]


def entry_keys(
    entries: dict[str, Entry], medicines: Container[str] | None = None
) -> list[tuple[str, int, list[str]]]:
    """The keys of these entries: each name, alias, everyday phrase and summary, as folded words, read with
    the words naming `medicines` (stopping(); by default, those among `entries`)."""
    if medicines is None:
        medicines = medicine_words(entries)
    keys: list[tuple[str, int, list[str]]] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    fillers = _folded(FILLERS)
    concepts = concept_map()

    def add(entry_id: str, field: int, text: str) -> None:
        words = key_words(text, medicines)
        # The group of each everyday word ("wee" -> @urine), so another word of the group can meet it.
        words += list(dict.fromkeys(concepts[w] for w in words if w in concepts))
        if field in (SUMMARY, USE):
            words = [w for w in words if w not in fillers]
        marker = (entry_id, tuple(words))
        if not words or (field < SUMMARY and marker in seen):
            return
        seen.add(marker)
        keys.append((entry_id, field, words))

    for entry_id, entry in entries.items():
        name = str(entry.get("name", entry_id))
        add(entry_id, NAME, name)
        add(entry_id, NAME, entry_id)
        if " (" in name:  # "Baclofen (oral)", "Selective serotonin reuptake inhibitors (SSRIs)"
            head, _sep, inner = name.partition(" (")
            add(entry_id, NAME, head)
            inner = inner.rstrip(")")
            if any(c.isupper() or c.isdigit() for c in inner):  # "(SSRIs)", "(MD1003)", not "(oral)"
                add(entry_id, ALIAS, inner)
        for alias in entry.get("aliases") or []:
            add(entry_id, ALIAS, str(alias))
            if "-" in str(alias) and len(str(alias).split()) == 1:  # "Solu-Medrol" typed "solumedrol"
                add(entry_id, ALIAS, str(alias).replace("-", ""))
        for lay in entry.get("lay_terms") or []:
            add(entry_id, LAY, str(lay))
        if entry.get("summary"):
            use = entry.get("kind") == "treatment" or entry.get("category") in USE_CATEGORIES
            add(entry_id, USE if use else SUMMARY, str(entry["summary"]))
    return keys


def abbreviations(entries: dict[str, Entry]) -> set[str]:
    """The words of these entries' names and aliases that are written as abbreviations: two capitals or
    more, or a capital and a digit ("PML", "NfL", "IgG", "CD20", "S1P"), as folded words. "Yoga", "Gait" or
    "Lyme" are words, though as short."""
    import re

    found: set[str] = set()
    for entry in entries.values():
        for text in (str(entry.get("name") or ""), *(str(a) for a in entry.get("aliases") or [])):
            for token in re.findall(r"\w+", text):
                capitals = sum(1 for c in token if c.isupper())
                if capitals >= 2 or (capitals and any(c.isdigit() for c in token)):
                    found.update(key_words(token))
    return found


# A key in the store: "entry id<US>field<US>word word ...", one string (marshal reads a list of strings many
# times faster than a list of tuples of lists); unpacked only for the candidates of a query.
_KEY = "\x1f"


def pack_key(entry_id: str, field: int, words: list[str]) -> str:
    return f"{entry_id}{_KEY}{field}{_KEY}{' '.join(words)}"


def unpack_key(line: str) -> tuple[str, int, list[str]]:
    entry_id, field, words = line.split(_KEY)
    return entry_id, int(field), words.split()


def merged_blobs(reuse: KnowledgeBase, entries: Mapping[str, Entry], fresh: set[str]) -> dict[str, object]:
    """The ranker's blobs for the shipped data plus a user's entries (`fresh`: new or replacing ones).

    The keys of a replaced entry stay in place with no entry id (so key numbers do not change and the index
    needs no renumbering); the new keys are added at the end. Only the index buckets of the new keys' words
    are unpacked and changed; the other buckets, the synonyms and the word lists are copied as stored."""
    from ms_ref.kb import BUCKETS, bucket, copy_blob, overlay

    core: dict[str, object] = dict(reuse.blob("rank") or {})  # type: ignore[call-overload]
    packed: list[str] = list(core.get("keys") or [])  # type: ignore[call-overload]
    df: dict[str, int] = dict(core.get("df") or {})  # type: ignore[call-overload]
    old_words: dict[str, set[str]] = {}
    for number, line in enumerate(packed):
        entry_id = line[: line.index(_KEY)]
        if entry_id in fresh:
            _id, field, words = unpack_key(line)
            old_words.setdefault(entry_id, set()).update(words)
            packed[number] = pack_key("", field, words)  # this key no longer names an entry
    for gone in old_words.values():
        for word in gone:
            df[word] = df.get(word, 1) - 1
    fresh_entries = {i: entries[i] for i in fresh if i in entries}
    medicines = set(core.get("medicines") or ()) | medicine_words(fresh_entries)  # type: ignore[call-overload]
    added = entry_keys(fresh_entries, medicines)
    new_words: dict[str, set[str]] = {}
    for entry_id, _field, words in added:
        new_words.setdefault(entry_id, set()).update(words)
    for came in new_words.values():
        for word in came:
            df[word] = df.get(word, 0) + 1
    start = len(packed)
    packed.extend(pack_key(*key) for key in added)
    ids = {line[: line.index(_KEY)] for line in packed} - {""}
    treatments = set(core.get("treatments") or ()) - fresh  # type: ignore[call-overload]
    treatments |= {i for i in fresh if i in entries and entries[i].get("kind") == "treatment"}
    shortened = set(core.get("abbreviations") or ())  # type: ignore[call-overload]
    shortened |= abbreviations(fresh_entries)
    found: dict[str, object] = {
        "rank": {**core, "keys": packed, "df": {w: n for w, n in df.items() if n > 0}, "entries": len(ids),
                 "treatments": sorted(treatments), "abbreviations": sorted(shortened),
                 "medicines": sorted(medicines)},
    }
    postings: dict[str, list[int]] = {}
    for offset, (_entry_id, _field, words) in enumerate(added):
        for word in words:
            postings.setdefault(word, []).append(start + offset)
    touched = {bucket(word) for word in postings}
    for number in range(BUCKETS):
        for prefix in ("rankindex", "ranksyn", "vec"):
            name = f"{prefix}/{number}"
            if prefix == "rankindex" and number in touched:
                table: dict[str, list[int]] = dict(reuse.blob(name) or {})  # type: ignore[call-overload]
                for word, numbers in postings.items():
                    if bucket(word) == number:
                        table[word] = [*table.get(word, []), *numbers]
                found[name] = table
                continue
            copy_blob(reuse, name, found)
    for name in ("rankwords", "rankcommon", "vecmeta"):
        copy_blob(reuse, name, found)
    # Centroids: the shipped ones, less the replaced entries', plus the new entries' own, from the word
    # vectors the store already holds (only the buckets of the new entries' words are read).
    from ms_ref.vectors import meaning

    reading = meaning(reuse)
    scales = reading.scales
    vectors: dict[str, bytes] = {}
    for word in {w for _i, _f, words in added for w in words}:
        raw_vector = reading.vector(word)
        if raw_vector is not None:
            vectors[word] = raw_vector
    fillers = frozenset(core.get("fillers") or ())  # type: ignore[call-overload]
    centres = _centroids(added, vectors, df, len(ids), scales, fillers) if scales else {}
    overlay(reuse, "centroid", centres, fresh, found)
    return found


def blobs(index: dict[str, object]) -> dict[str, object]:
    """The ranker's index as store blobs: the core, the index and synonyms by bucket, the word lists."""
    from ms_ref.kb import bucket

    apart = ("index", "synonyms", "everyday", "lookalikes", "vectors", "vecmeta", "centroids", "common")
    core = {k: v for k, v in index.items() if k not in apart}
    core["keys"] = [pack_key(*key) for key in index["keys"]]  # type: ignore[attr-defined]
    found: dict[str, object] = {
        "rank": core,
        "rankwords": {"everyday": index.get("everyday", []), "lookalikes": index.get("lookalikes", [])},
        "vecmeta": index.get("vecmeta") or {},
        "rankcommon": index.get("common") or [],
    }
    tables = (("rankindex", "index"), ("ranksyn", "synonyms"), ("vec", "vectors"), ("centroid", "centroids"))
    for prefix, name in tables:
        table: dict[str, object] = index.get(name) or {}  # type: ignore[assignment]
        for word, value in table.items():
            found.setdefault(f"{prefix}/{bucket(word)}", {})[word] = value  # type: ignore[index]
    return found


def _indexed(keys: list[tuple[str, int, list[str]]], treatments: set[str]) -> dict[str, object]:
    index: dict[str, list[int]] = {}
    holders: dict[str, set[str]] = {}
    for number, (entry_id, _field, words) in enumerate(keys):
        for word in words:
            index.setdefault(word, []).append(number)
            holders.setdefault(word, set()).add(str(entry_id))
    return {
        "keys": keys,
        "index": index,
        "df": {word: len(ids) for word, ids in holders.items()},
        "entries": len({i for i, _f, _w in keys}),
        # The most frequent English words: in a query, where they match nothing, the sentence around the subject.
        "everyday": sorted(everyday_words() | _folded(NEGATIONS)),
        "treatments": sorted(treatments),
        "concepts": concept_map(),
        # Everyday words and the words of the entries WordNet gives as their synonyms ("whirl" -> spin).
        "synonyms": {
            word: kept
            for word, others in _resource_lines("synonyms.txt")
            if (kept := [other for other in others if other in holders and other != word])
        },
        # The 20,000 most frequent English words: a name among them ("flare") may be meant in its English sense.
        "common": sorted(common_words()),
        # English words that look like words of the entries ("reflux", "reflex"): never read as misspellings.
        "lookalikes": sorted({word for word, _rest in _resource_lines("lookalikes.txt")} - set(holders)),
        "fillers": sorted(_folded(FILLERS)),
        "qualifiers": sorted(_folded(QUALIFIERS)),
    }


_FOLDED_SETS: dict[int, frozenset[str]] = {}


def _folded(words: frozenset[str]) -> frozenset[str]:
    """`words` and their folded forms ("does" and "doe"), as the words of a query are compared (kept)."""
    if id(words) not in _FOLDED_SETS:
        from ms_ref.lookup import fold

        _FOLDED_SETS[id(words)] = frozenset({fold(word) for word in words} | words)
    return _FOLDED_SETS[id(words)]


def folded_fillers() -> frozenset[str]:
    return _folded(FILLERS)


_EVERYDAY: list[set[str]] = []


def everyday_words() -> set[str]:
    """The most frequent English words (ms_ref/everyday.txt, from wordfreq), folded as queries are."""
    if not _EVERYDAY:
        from ms_ref.lookup import fold

        _EVERYDAY.append({fold(word) for word, _rest in _resource_lines("everyday.txt")})
    return _EVERYDAY[0]


def common_words() -> set[str]:
    """The 20,000 most frequent English words (ms_ref/common.txt, from wordfreq), folded as queries are."""
    from ms_ref.lookup import fold

    return {fold(word) for word, _rest in _resource_lines("common.txt")}


_CONCEPTS: list[dict[str, str]] = []


def concept_map() -> dict[str, str]:
    """Folded everyday word -> "@group", from ms_ref/concepts.txt (read once)."""
    if not _CONCEPTS:
        from ms_ref.lookup import fold

        found: dict[str, str] = {}
        for name, words in _resource_lines("concepts.txt"):
            for word in words:
                found.setdefault(fold(word), "@" + name.rstrip(":"))
        _CONCEPTS.append(found)
    return _CONCEPTS[0]


_RESOURCES: dict[str, list[tuple[str, list[str]]]] = {}


def _resource_lines(name: str) -> list[tuple[str, list[str]]]:
    """(first word, the other words) of each line of a word list shipped beside this module (read once)."""
    if name not in _RESOURCES:
        import os

        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
        with open(path, encoding="utf-8") as handle:
            rows = [line.split() for line in handle if line.strip() and not line.startswith("#")]
        _RESOURCES[name] = [(row[0], row[1:]) for row in rows]
    return _RESOURCES[name]


def ranker(kb: KnowledgeBase) -> Ranker:
    """The ranker of `kb`, built on first use and kept with it."""
    return kb.derived("ranker", Ranker)


class Ranker:
    """The compiled index of one knowledge base, read once per process."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        blob: dict[str, object] = kb.blob("rank") or {}  # type: ignore[assignment]
        self.packed: list[str] = blob.get("keys") or []  # type: ignore[assignment]
        self.df: dict[str, int] = blob.get("df") or {}  # type: ignore[assignment]
        self.total = max(int(blob.get("entries") or 0), 1)  # type: ignore[call-overload]
        self.fillers = frozenset(blob.get("fillers") or ())  # type: ignore[call-overload]
        self.qualifiers = frozenset(blob.get("qualifiers") or ())  # type: ignore[call-overload]
        self.treatments = frozenset(blob.get("treatments") or ())  # type: ignore[call-overload]
        self.abbreviations = frozenset(blob.get("abbreviations") or ())  # type: ignore[call-overload]
        self.concepts: dict[str, str] = blob.get("concepts") or {}  # type: ignore[assignment]
        self.medicines = frozenset(blob.get("medicines") or ())  # type: ignore[call-overload]
        self._words: dict[str, frozenset[str]] = {}
        self._query_vector: tuple[tuple[str, ...] | None, list[float] | None] = (None, None)
        self._readings: dict[str, tuple[str, float]] = {}

    # The larger tables are read only as far as a query needs them: the index and the synonyms one bucket
    # per word, the word lists on first use.

    def index(self, word: str) -> list[int]:
        return self.kb._bucketed("rankindex", word) or []  # type: ignore[return-value]

    def synonyms(self, word: str) -> list[str]:
        return self.kb._bucketed("ranksyn", word) or []  # type: ignore[return-value]

    def _list(self, name: str) -> frozenset[str]:
        if name not in self._words:
            lists: dict[str, list[str]] = self.kb.blob("rankwords") or {}  # type: ignore[assignment]
            self._words.update({key: frozenset(value) for key, value in lists.items()})
            self._words.setdefault(name, frozenset())
        return self._words[name]

    @property
    def everyday(self) -> frozenset[str]:
        return self._list("everyday")

    @property
    def lookalikes(self) -> frozenset[str]:
        return self._list("lookalikes")

    @property
    def common(self) -> frozenset[str]:
        if "common" not in self._words:
            self._words["common"] = frozenset(self.kb.blob("rankcommon") or ())  # type: ignore[call-overload]
        return self._words["common"]

    def idf(self, word: str) -> float:
        return math.log(1.0 + self.total / (self.df.get(word, 0) + 0.5))

    def weight(
        self, word: str, matched: bool = True, alone: bool = False, ms_main: bool = False, qualifying: bool = True
    ) -> float:
        """How much a word of a query counts: its rarity, less for words that carry no subject or only
        qualify. Everyday English counts fully where it matches and little where it does not: in "my legs go
        stiff first thing in the morning" the morning is the sentence around the subject. `ms_main`: "MS" is
        the subject of the query."""
        base = self.idf(word)
        if alone:
            return base
        if word in self.fillers:
            return FILLER_WEIGHT
        if word == "ms":
            return max(base, MS_MAIN_WEIGHT) if ms_main else MS_WEIGHT * base
        if word in self.qualifiers and (qualifying or word not in SUBJECT_QUALIFIERS):
            # Unmatched, a qualifier is the sentence around the subject ("what is a normal NfL level").
            return QUALIFIER_WEIGHT * base if matched else min(FILLER_WEIGHT, QUALIFIER_WEIGHT * base)
        if not matched and word in CONDITION_WORDS:
            return max(base, CONDITION_WEIGHT)  # "motor neurone disease" names a disease: the neurone is not it
        if not matched and word in TOPIC_WORDS:
            return max(base, TOPIC_WEIGHT)  # "heart attack", "sore throat": the organ says what the query is about
        if not matched and word in self.concepts:
            return GROUP_UNMATCHED * base  # a body part or a feeling the entry does not have ("chest infection")
        if not matched and (word in self.everyday or not word.isalpha()):
            return FILLER_WEIGHT  # the sentence around the subject, a dose, a number
        if word in self.everyday:
            return EVERYDAY_MATCHED * base
        return base

    def meaningful(self, word: str) -> bool:
        return word not in self.fillers and word not in self.qualifiers and word != "ms"

    def reading(self, word: str) -> tuple[str, float]:
        """The known word a query word stands for, with a discount when it is a guess: the word itself; a
        form of it ("fallen", "shaking", "worried"); a known word one or two slips away ("spastisity").
        Remembered: a query is read by `score`, by the second look (ms_ref.confidence) and by `suggest`."""
        if word in self.df or word in self.fillers or not word.isalpha():
            return word, 1.0
        found = self._readings.get(word)
        if found is None:
            found = self._readings[word] = self._guess(word)
        return found

    def _guess(self, word: str) -> tuple[str, float]:
        for base in (word, word[2:]) if word.startswith("un") else (word,):  # "uncontrollable": control
            for _ending, stem in _stems(base):
                if stem in self.df:
                    return stem, 0.95
        for noun in _derived(word):  # "incontinent": incontinence
            if noun in self.df:
                return noun, 0.95
        fixed = self.correct(word) or self.started(word)
        return (fixed, 0.85) if fixed else (word, 1.0)

    def started(self, word: str) -> str | None:
        """The one medicine whose name an unknown word starts, as Tab completion would finish it
        ("methylpred" in "IV methylpred for 3 days": methylprednisolone), or None. Not for a word shorter
        than STARTED_LETTERS or an English one."""
        if len(word) < STARTED_LETTERS or not word.isalpha() or word in self.everyday or word in self.common:
            return None
        found = [name for name in self.medicines if name.startswith(word)]
        return found[0] if len(found) == 1 else None

    def forms(self, word: str) -> list[str]:
        """Other known words a known word may be a form of: "constipated" is in one summary, but the entry
        that names the thing says "constipation"; and the nouns it names ("numb": numbness)."""
        found = [stem for ending, stem in _stems(word) if ending and stem != word and stem in self.df]
        found += [noun for noun in _derived(word) if noun in self.df]
        return list(dict.fromkeys(found))

    def correct(self, word: str) -> str | None:
        """A known word one or two slips from an unknown one ("spastisity"), or None."""
        if len(word) < 5 or not word.isalpha() or word in self.everyday or word in self.lookalikes:
            return None
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        allowed = 1 if len(word) < 9 else 2
        # Only words with the same first letter: "remyelinating" is a slip for remyelination, never for
        # demyelinating, though that is one letter nearer.
        found = process.extract(word, list(self.df), scorer=OSA.distance, score_cutoff=allowed, limit=None)
        same = sorted((distance, known) for known, distance, _index in found if known[:1] == word[:1])
        return str(same[0][1]) if same else None

    def score(self, words: list[str]) -> list[tuple[str, float, int, bool]]:
        """(entry id, score in 0..1, evidence, named), best first, for the canonical words of a query;
        evidence is how many of the query's meaningful words the entry has; named, whether the query has one
        of its names or aliases in full, with a word that is not everyday English.

        cover    the weighted share of the query's words found in any of an entry's names, aliases,
                 everyday phrases or summary, each find counted at its field's weight;
        phrase   how completely the entry's best name, alias or everyday phrase appears in the query;
        score    cover ** COVER_POWER * (PHRASE_FLOOR + (1 - PHRASE_FLOOR) * phrase ** PHRASE_POWER).
        """
        query = list(dict.fromkeys(words))
        if not query:
            return []
        alone = len(query) == 1
        memo: dict[tuple[str, bool, bool], float] = {}

        def weigh(word: str, matched: bool, single: bool) -> float:
            """self.weight, remembered: a sentence meets the same words in hundreds of keys."""
            found = memo.get((word, matched, single))
            if found is None:
                found = memo[(word, matched, single)] = self.weight(word, matched, single, ms_main, qualifying)
            return found

        readings = {word: self.reading(word) for word in query}
        meaningful = {w for w in query if self.meaningful(readings[w][0])}
        # "MS" is the subject of the query when nothing else is ("MS disease", "I've just been diagnosed with
        # MS"); in a longer query ("MS and vitamin D", "MS paint") it adds little.
        ms_main = "ms" in query and not any(w in meaningful and w not in CONDITION_WORDS for w in query)
        # A life event that qualifies a treatment ("Copaxone pregnancy"), with no treatment or other subject in
        # the query, is its subject ("can I breastfeed with MS", "pregnancy and MS").
        subjects = {w for w in query if readings[w][0] in SUBJECT_QUALIFIERS}
        # One word that asks about a subject left unsaid (ASKING), with nothing else but fillers
        # ("inherited", "getting worse", "is it inherited"), is what the query asks about, as written (no
        # synonyms: "contagious" is not the toes catching on a kerb).
        lone = [w for w in query if w not in self.fillers]
        promoted = set(lone) if len(lone) == 1 and readings[lone[0]][0] in ASKING else set()
        subjects |= promoted
        qualifying = bool(meaningful) or not subjects
        if not qualifying:
            meaningful = subjects
        # Other words a query word may stand for (WordNet synonyms among the entries' words), at a discount.
        alternates = {
            w: self.synonyms(readings[w][0]) or self.synonyms(w)
            for w in query
            if (w in meaningful or w not in self.fillers) and w not in promoted
        }
        groups = {w: self.concepts.get(readings[w][0]) or self.concepts.get(w) for w in query if w not in promoted}
        forms = {
            w: self.forms(readings[w][0])
            for w in query
            if readings[w][1] == 1.0 and readings[w][0] in self.df and w not in self.fillers
        }
        candidates: set[int] = set()
        for word in query:
            known = readings[word][0]
            if known in self.df and (alone or known not in self.fillers):
                candidates.update(self.index(known))
            for other in (*alternates.get(word, ()), *forms.get(word, ())):
                candidates.update(self.index(other))
            if groups.get(word):
                candidates.update(self.index(groups[word]))  # type: ignore[arg-type]
        # What each query word matches in a key, in order of preference, with the word reported as hit and
        # its discount: the word as read, a form of it, a synonym, its concept group.
        probes: list[tuple[str, list[tuple[str, str, float]]]] = []
        for w in query:
            read, discount = readings[w]
            options = [(read, read, discount)]
            options += [(f, f, FORM_DISCOUNT) for f in forms.get(w, ())]
            options += [(o, o, SYNONYM_DISCOUNT) for o in alternates.get(w, ())]
            if groups.get(w):
                options.append((groups[w], read, CONCEPT_DISCOUNT))  # type: ignore[arg-type]
            probes.append((w, options))
        # self.weight of a key's words, found: a sentence meets the same words in hundreds of keys.
        totals: dict[bool, dict[str, float]] = {True: {}, False: {}}
        found: dict[str, dict[str, float]] = {}  # entry -> query word -> best field weight
        phrase: dict[str, float] = {}
        named: dict[str, set[str]] = {}  # entry -> the query words of a name or alias it has in full
        strong: set[str] = set()  # entries found through more than everyday words
        best_key: dict[str, tuple[float, set[str]]] = {}  # entry -> the query words its best key has
        for number in candidates:
            entry_key, field_text, key_text = self.packed[number].split(_KEY)
            if not entry_key:  # the key of an entry a user's entry replaced
                continue
            key_set = set(key_text.split())
            hits: dict[str, tuple[str, float]] = {}  # query word -> (the key's word it matched, discount)
            for w, options in probes:
                for probe, hit, discount in options:
                    if probe in key_set:
                        hits[w] = (hit, discount)
                        break
            if not hits:
                continue
            field = int(field_text)
            weight = FIELD_WEIGHT[field]
            if field < SUMMARY:
                plain_words = {w for w in key_set if not w.startswith("@")}
                single = len(plain_words) == 1
                key_weights = totals[single]
                for w in plain_words:
                    if w not in key_weights:
                        key_weights[w] = self.weight(w, True, single, ms_main, qualifying)
                key_total = sum(map(key_weights.__getitem__, plain_words))
                key_got = sum(weigh(hit, True, single) * discount for hit, discount in hits.values())
                complete = min(key_got / key_total, 1.0) if key_total else 0.0
                phrase[entry_key] = max(phrase.get(entry_key, 0.0), weight * complete)
                if field <= ALIAS and complete >= 0.999 and any(w in meaningful for w in hits):
                    named.setdefault(entry_key, set()).update(hits)
                if complete >= 0.999 and sum(1 for w in hits if w in meaningful) >= 2:
                    strong.add(entry_key)  # a whole phrase of two or more words: "pins and needles"
            finds = found.setdefault(entry_key, {})
            for word, (_hit, discount) in hits.items():
                finds[word] = max(finds.get(word, 0.0), weight * discount)
            key_value = sum(weigh(readings[w][0], True, alone) * weight * d for w, (_h, d) in hits.items())
            if key_value > best_key.get(entry_key, (0.0, set()))[0]:
                best_key[entry_key] = (key_value, set(hits))
        # Words that name an entry in full ("PML" in "Tysabri PML risk") keep their weight everywhere; the
        # other words of a query that names a treatment ("Kesimpta Sensoready pen", "baclofen pump refill",
        # "can I breastfeed on Copaxone") are about that treatment.
        naming = set().union(*named.values()) if named else set()
        scored: list[tuple[str, float, int, bool]] = []
        for entry_key, finds in found.items():
            # An entry found only through "MS", a filler or a qualifier, or only through one word of its
            # summary ("cancer" in a drug's warnings), is no answer.
            useful = sum(1 for w in finds if w in meaningful) + (1 if ms_main and "ms" in finds else 0)
            if not useful or (entry_key not in phrase and useful < 2):
                continue
            treatment = entry_key in named and entry_key in self.treatments
            # Words found in the entry's best key count in full; words found only in its other keys count
            # SPREAD of theirs (with many everyday phrases, an entry has most everyday words somewhere).
            in_best = best_key.get(entry_key, (0.0, set()))[1]
            got = missing = 0.0
            for w, f in finds.items():
                share = weigh(readings[w][0], True, alone) * f
                got += share if w in in_best else SPREAD * share
                missing += 0.0 if w in in_best else (1 - SPREAD) * share
            for w in query:
                if w in finds:
                    continue
                if (treatment and w not in naming) or (w in CONDITION_WORDS and "ms" in query):
                    missing += min(FILLER_WEIGHT, weigh(readings[w][0], False, alone))
                else:
                    missing += weigh(readings[w][0], False, alone)
            cover = got / (got + missing) if got else 0.0
            complete = phrase.get(entry_key, 0.0)
            value = cover**COVER_POWER * (PHRASE_FLOOR + (1 - PHRASE_FLOOR) * complete**PHRASE_POWER)
            # An abbreviation found among other words that mean nothing to the entry ("NfL draft", "CVS
            # pharmacy", "DBS check") is another thing with the same letters; a short name that is a word
            # ("does yoga help with balance") is not.
            # In a sentence of everyday words around it ("does testing positive for JCV mean I can't stay on
            # my infusion"), it is the subject.
            if all(
                len(w) <= 4 and w in named.get(entry_key, ()) and readings[w][0] in self.abbreviations
                for w in finds
                if w in meaningful
            ):
                others = [readings[w][0] for w in meaningful if w not in finds and w not in CONDITION_WORDS]
                if others and not (
                    len(query) >= 2 * NAME_CONTEXT_WORDS and all(w in self.everyday for w in others)
                ):
                    continue
            # One word of the query found, among two or more others that mean something and are not found
            # ("solar flare today"): more likely another thing that shares the word.
            if sum(1 for w in finds if w in meaningful) == 1 and (
                sum(1 for w in meaningful if w not in finds) >= 2
            ):
                value *= LONE_FACTOR
            # Found only through everyday English ("heart attack": attack; "high blood pressure": pressure),
            # an entry is weaker evidence than one found through a word of the disease ("spasm", "bladder").
            if entry_key not in strong and not any(
                w in meaningful and readings[w][0] not in self.everyday for w in finds
            ) and not (ms_main and "ms" in finds):
                value *= WEAK_FACTOR
            # Named in full by a word that is not common English ("gabapentin", "Kesimpta", "PML"), the rest
            # of the query nothing but fillers and qualifiers ("what is a normal NfL level"), or a sentence
            # around it ("where on the body do you inject Kesimpta") with at most one rarer word ("does
            # Copaxone leave lumps where you inject it"); not "FLAIR bartending" or "solar flare today".
            unfound = [readings[w][0] for w in meaningful if w not in finds and w.isalpha()]
            # A condition named beside a treatment is what the question asks of it ("does fingolimod raise
            # the risk of skin cancer"); beside anything else it is another thing ("motor neurone disease").
            rare_name = any(
                readings[w][0] not in self.common for w in named.get(entry_key, ()) if w in meaningful
            ) and (treatment or not any(w in CONDITION_WORDS for w in unfound)) and (
                not unfound
                or (len(query) >= NAME_CONTEXT_WORDS and sum(1 for w in unfound if w not in self.everyday) <= 1)
            )
            scored.append((entry_key, min(value, 1.0), sum(1 for w in finds if w in meaningful), rare_name))
        # A word alone has no context to read it by: "incontinence" stays as ambiguous as its names are.
        if scored and VECTOR_POWER and len(meaningful) >= 2:
            scored = self._weighed_by_meaning(scored, [readings[w][0] for w in query])
        return sorted(scored, key=lambda item: (-item[1], item[0]))

    def query_vector(self, words: list[str]) -> list[float] | None:
        """The meaning of a query (its words as read, fillers left out; ms_ref.vectors), or None when none
        of its words has a vector. The last one is kept: the second look (ms_ref.confidence) reads it again."""
        key = tuple(words)
        if self._query_vector[0] != key:
            from ms_ref.vectors import meaning

            found = meaning(self.kb).query((w for w in words if w not in self.fillers), self.idf)
            self._query_vector = (key, found)
        return self._query_vector[1]

    def cosine(self, vector: list[float], entry_id: str) -> float | None:
        from ms_ref.vectors import meaning

        return meaning(self.kb).cosine(vector, entry_id)

    def _weighed_by_meaning(
        self, scored: list[tuple[str, float, int, bool]], words: list[str]
    ) -> list[tuple[str, float, int, bool]]:
        """Each score times (cosine / VECTOR_PIVOT) ** VECTOR_POWER, at most 1: the cosine of the query's
        meaning and the entry's (ms_ref.vectors). Unchanged where either has no vector."""
        vector = self.query_vector(words)
        if vector is None:
            return scored
        # Only the leading candidates: the others cannot reach an answer or a list however near they are.
        ranked = sorted(scored, key=lambda item: (-item[1], item[0]))
        weighed = []
        for entry_id, value, evidence, named in ranked[:VECTOR_CANDIDATES]:
            # An entry the query names ("why does Tecfidera make my face go red") is its subject whatever
            # the words around the name mean.
            cosine = None if named else self.cosine(vector, entry_id)
            if cosine is not None:
                value = min(1.0, value * (max(cosine, VECTOR_FLOOR) / VECTOR_PIVOT) ** VECTOR_POWER)
            weighed.append((entry_id, value, evidence, named))
        return weighed + ranked[VECTOR_CANDIDATES:]


def _stems(word: str) -> Iterator[tuple[str, str]]:
    """(ending, the word `word` may be a form of), by its endings, in _ENDINGS order."""
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= (3 if ending else 5):
            yield ending, word[: len(word) - len(ending)] + replacement


def _derived(word: str) -> Iterator[str]:
    """The nouns an adjective or participle may name, by its ending ("numb": numbness, "depressed":
    depression, "dizzy": dizziness, "anxious": anxiety, "spastic": spasticity, "ataxic": ataxia)."""
    for ending, replacement in _DERIVED:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            yield word[: len(word) - len(ending)] + replacement


_DERIVED = (
    ("", "ness"),
    ("y", "iness"),
    ("", "ity"),
    ("ive", "ivity"),
    ("ed", "ion"),
    ("ent", "ence"),
    ("ant", "ance"),
    ("ous", "ety"),
    ("yzed", "ysis"),
    ("ysed", "ysis"),
    ("ytic", "ysis"),
    ("ic", "ia"),
)

# Word endings tried on a word no entry uses, to find the word it is a form of.
_ENDINGS = (
    ("ologist", "ology"),  # reflexologist
    ("ist", "e"),  # acupuncturist
    ("ist", "y"),
    ("ist", ""),
    ("", "ing"),  # breastfeed -> breastfeeding
    ("", "s"),
    ("lable", "l"),
    ("able", ""),
    ("ably", ""),
    ("ing", ""),
    ("ing", "e"),
    ("ed", ""),
    ("ed", "e"),
    ("ied", "y"),
    ("en", ""),
    ("es", ""),
    ("ly", ""),
    ("er", ""),
    ("ness", ""),
    ("ize", "ization"),  # catheterise (folded to -ize) -> catheterization
    ("ized", "ization"),
    ("ated", "ation"),  # constipated -> constipation
    ("ate", "ation"),  # vaccinate -> vaccination
)
