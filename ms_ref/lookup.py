"""Resolving what people type to entries: normalise -> tiers -> typo tolerance -> suggestions; and
shell completion of entry names.

The indexes are compiled once (ms_ref.ingest.compile) and read piecemeal from the store (ms_ref.kb), so
a lookup costs a bucket read and a dictionary access. Builtin modules only at the top: every run imports
it; rapidfuzz is imported only by the typo-tolerant tier and by suggestions.
"""

from __future__ import annotations

from ms_ref.words import OTHERWISE, normalise, sounds, spelling, stem, written

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from ms_ref.kb import KnowledgeBase
    from ms_ref.types import Entry, Resolved


def entry_keys(entry: Entry) -> list[str]:
    """The normalised names an entry answers to: id, name and aliases."""
    keys = [normalise(str(entry["id"])), normalise(str(entry.get("name", "")))]
    keys.extend(normalise(str(alias)) for alias in entry.get("aliases", []) or [])
    return [key for index, key in enumerate(keys) if key and key not in keys[:index]]


# --------------------------------------------------------------------------------------------------
# Resolving what people type to one entry
#
# Tiers, first answer wins: exact (normalised) -> canonical (spelling, plurals, possessives, "multiple
# sclerosis" = "MS", trouble/difficulty/problem) -> canonical without filler words ("what is the ...")
# -> same words in any order -> leading words of one entry's name -> all words inside one entry's name
# -> typo-tolerant (edit distance within a length-dependent allowance). Any tier that finds several
# entries reports them as ambiguous instead of choosing. Nothing is answered from the free text of an
# entry: a confident wrong answer is worse than none.

_SYNONYMS = {
    "trouble": "problem",
    "difficulty": "problem",
    "issue": "problem",
    "rehab": "rehabilitation",
    "physio": "physiotherapy",
    # A profession names its therapy: "speech therapist", "physiotherapist", "occupational therapists".
    "therapist": "therapy",
    "physiotherapist": "physiotherapy",
    "hep": "hepatitis",
    "keto": "ketogenic",
    "transplantation": "transplant",
    "pathologist": "pathology",
    # Everyday words for the toilet and for passing urine, as people use them interchangeably.
    "bathroom": "toilet",
    "loo": "toilet",
    "lavatory": "toilet",
    "restroom": "toilet",
    "wee": "pee",
    "urinate": "pee",
    "peeing": "pee",
    "weeing": "pee",
}
# Words that qualify a name without changing what it names: "EDSS score", "Kesimpta pen",
# "NfL blood test", "ocrelizumab side effects". Dropped only when the whole query found nothing.
_QUALIFIERS = frozenset(
    "score scale test testing blood level scan risk tablet pill capsule pen injection infusion drug "
    "medication medicine treatment therapy biosimilar generic side effect dose dosage oil supplement "
    "symptom disease syndrome active mg mcg microgram ml unit iu dosing assessment".split()
)
# What a question asks a thing does, as folded: "cause", "affect", "trigger", "worse".
_ASKED = frozenset("cause affect trigger worse better help worsen".split())
# Words joining names in one query ("ocrelizumab vs natalizumab"): dropped when looking for several names.
_CONNECTORS = frozenset("and or vs versus compared compare to against difference differences between".split())


_FOLDED: dict[str, str] = {}


def fold(word: str) -> str:
    """One normalised word with spelling, plural and synonym differences folded away (memoised: compiling
    folds every word of every name and phrase)."""
    found = _FOLDED.get(word)
    if found is None:
        folded = spelling(stem(word))
        found = _FOLDED[word] = _SYNONYMS.get(folded, folded)
    return found


def canonical_words(text: str) -> list[str]:
    """Normalised words with spelling, plural, possessive and synonym differences folded away."""
    if "." in text:  # "M.S.", "e.g." are one word
        import re

        text = re.sub(r"\b(?:[A-Za-z]\.){2,}", lambda m: m.group(0).replace(".", ""), text)
    words = normalise(text).split()
    if not text.isascii():  # an emoji or a symbol is no word ("legs jelly 🦵"); ASCII ones are separators
        words = [word for word in words if any(c.isalnum() for c in word)]
    folded: list[str] = []
    index = 0
    while index < len(words):
        # "multiple sclerosis", and its slips ("multipul sclerosis", "multiple sclerosys"), is "ms"
        if (
            index + 1 < len(words)
            and words[index][:4] == "mult"
            and (words[index] == "multiple" or words[index + 1][:6] == "sclero")
            and words[index + 1][:5] == "scler"
        ):
            folded.append("ms")
            index += 2
            continue
        folded.append(fold(words[index]))
        index += 1
    return folded


def canonical(text: str) -> str:
    return " ".join(canonical_words(text))


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def leading_phrases(canon: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The first two or more words of each longer canonical key -> the ids of the keys they start
    ("neurofilament light" starts "neurofilament light chain"), in the order of `canon`."""
    table: dict[str, list[str]] = {}
    for key, ids in canon.items():
        words = key.split()
        for end in range(2, len(words)):
            owners = table.setdefault(" ".join(words[:end]), [])
            owners.extend(i for i in ids if i not in owners)
    return table


def _allowance(length: int) -> int:
    """Typos tolerated for a query of this length: none for abbreviations, more for long names."""
    if length < 5:
        return 0
    if length < 9:
        return 1
    if length < 14:
        return 2
    return 3


# Thresholds on ms_ref.rank scores (0..1), set on the development queries (benchmarks/lookup_eval.py):
# answer one entry from ANSWER up when the next is clearly behind (below MARGIN of the best); list the
# close candidates (within NEAR of the best) from LIST up; below that, nothing.
ANSWER = 0.35
MARGIN = 0.9
# A lower score answers too when nothing else comes near ("there's a dark smudge in the centre of what I
# look at": its words are everyday English, and only one entry has them).
ANSWER_LOW = 0.25
RATIO_LOW = 0.4
# Two or more of the query's own words found in one entry, and nothing else close, answer from lower still
# ("my fingertips have a constant prickly buzzing feeling").
ANSWER_MULTI = 0.15
RATIO_MULTI = 0.4
# A query that names one entry in full by a word that is not everyday English, with a sentence around it
# ("where on the body do you inject Kesimpta", "can you drink alcohol on baclofen"), is about that entry
# when no other entry it names comes near (entries that only mention the name, or have it among other
# words, as "intrathecal baclofen" does, do not count).
ANSWER_NAMED = 0.1
RATIO_NAMED = 0.25
# A sentence ("I've had two falls this week, one in the garden and one in the shower") covers few of its
# words with any entry, so its scores are low: two or more of its words in one entry, far ahead of the
# next, answer from lower still.
SENTENCE_WORDS = 8  # words from which a query is a sentence (the rule above)
ANSWER_SENTENCE = 0.15
RATIO_SENTENCE = 0.4
LIST = 0.35
NEAR = 0.75
# The second look (ms_ref.confidence): off while its models are fitted (scripts/fit_confidence.py); VETO is its
# withdrawing of answers, which the tests turn off to show an answer it withdraws.
SECOND_LOOK = True
VETO = True
LISTED_SENTENCE = 3  # as ms_ref.confidence.MIN_WORDS, which is not imported to list a word's candidates
MAX_LISTED = 8
DEFER_WORDS = 2  # from this many words besides fillers, a name found without qualifiers is checked (_read)


def resolve_query(kb: KnowledgeBase, query: str) -> Resolved:
    """What `query` names: {"ids": [...], "match": tier} with one id, several (ambiguous) or none. A verb of
    stopping a medicine is read as one word (ms_ref.rank.stopping); when that reading finds nothing, the
    query is read again without it ("stop tysabri" still finds Tysabri). A clause that asks what a name
    means answers with that name first (_asked_meaning). A query that finds nothing is read again without
    "the word" before a word (_unworded), then with a name in pieces joined (_rejoined), then as one
    question about a name (_asked_meaning, alone)."""
    query = query[:500]
    # "what is DIS? my letter says MRI demonstrates DIS": the word one clause asks the meaning of.
    asked = _asked_meaning(kb, query)
    if asked:
        return _found(asked, "canonical")
    words, otherwise = query_words(kb, query)
    words = _uncounted(words)
    # Without a name that says where the rest was read ("clonus in my physio notes"); when that finds
    # nothing, the query as written.
    found = _placed_or_read(kb, query, words, otherwise)
    if found["ids"]:
        return found
    # "What does the word relapse mean": the word asked about, without "the word".
    unworded = _unworded(words)
    if unworded != words:
        again = _placed_or_read(kb, " ".join(unworded), unworded, otherwise)
        if again["ids"]:
            return again
    # A name dictated or read out in pieces ("bac low fen", "what does c i s mean"): the pieces joined.
    joined = _rejoined(kb, words)
    if joined != words:
        again = _placed_or_read(kb, " ".join(joined), joined, otherwise)
        if again["ids"]:
            return _found(again["ids"], "fuzzy" if again["match"] in ("exact", "canonical") else again["match"])
    # Where the query as a whole found nothing, the name a query of one clause asks about ("what does
    # nystagmus on lateral gaze mean in my clinic letter"). Never MS itself: "what does MS mean on a
    # ship's name" is about something else.
    asked = _asked_meaning(kb, query, alone=True)
    if asked:
        return _found(asked, "canonical")
    return found


# Where a clause of a query ends: a question mark, a comma or colon, a dash between words, and "and" or
# "but" before another question ("what is myelin and why does MS damage it").
_CLAUSE_END = (
    r"[?!;:,]|\s[-–—]+\s"
    r"|\s(?:and|but)\s(?=(?:how|why|what|when|where|which|who|do|does|did|is|are|can|could|will|would"
    r"|should|i|it|its|they|we|you)\b)"
)
# A clause asking what a word means: "what is DIS", "what are VEPs", "what's CIS", "define myelin", "the
# meaning of periventricular", "what does FLAIR stand for", "what does DMT mean in my letter"; after the
# words it quotes ("FLAIR hyperintensities in the deep white matter what does FLAIR stand for").
_ASKING_WHAT = (
    r"\b(?:what\s*(?:'s|’s|s\b|\s+is\b|\s+are\b)|define\b|meaning\s+of\b)\s*(?P<term>.+)$"
    r"|\bwhat\s+(?:does|do)\s+(?P<meant>.+?)\s+(?:mean|stand\s+for)\b"
)
# The words that point back to what was quoted before ("lesions perpendicular to the ventricles - what does
# that mean"), and the words after which the quote starts ("the radiologist wrote ...").
_BACK = frozenset("that this it".split())
_SAYING = frozenset("say said wrote written write mention mentioned show showed state stated read".split())


def _asked_meaning(kb: KnowledgeBase, query: str, alone: bool = False) -> list[str]:
    """The entry whose name or alias one clause of a longer query asks the meaning of ("what does
    periventricular mean? report says several ovoid periventricular T2 hyperintensities", "what are VEPs
    and do they involve needles"), or that the words before "what does that mean" quote ("radiologist
    wrote periventricular - what does that mean"). The name asked about wins over the other words, as a
    name alone does. Empty when no clause asks, or clauses ask about different entries, or the word is
    MS, a qualifier ("what are the side effects") or not a whole name, or the query is the question alone
    unless `alone`."""
    marked = any(mark in query for mark in "?!;:,-–—\"“”‘’") or " and " in query or " but " in query
    if not alone and not marked:
        return []
    import re

    # Quotation marks, not the apostrophe in "Lhermitte's".
    query = re.sub(r"[\"“”‘’]|(?<!\w)'|'(?!\w)", " ", query)
    clauses = [c.strip() for c in re.split(_CLAUSE_END, query, flags=re.IGNORECASE) if c and c.strip()]
    found: list[str] = []
    before = ""  # the clause before, which "what does that mean" may point back to
    more = len(clauses) > 1  # more than the question, which the tiers read as it is
    for clause in clauses:
        match = re.search(_ASKING_WHAT, clause, flags=re.IGNORECASE)
        if match:
            more = more or match.start() > 0
            # Read as the whole query is: "what is an MSc, is it hard" asks about a degree (query_words).
            quoted = query_words(kb, clause[: match.start()])[0] or query_words(kb, before)[0]
            term = query_words(kb, match.group("term") or match.group("meant") or "")[0]
            if match.group("meant") and term and all(w in _BACK for w in term):
                saying = [index for index, word in enumerate(quoted) if word in _SAYING]
                named = _named(kb, quoted) or (_named(kb, quoted[saying[-1] + 1 :]) if saying else [])
            else:
                # The finding before where a report places it: "what does nystagmus on lateral gaze mean".
                placing = (index for index, word in enumerate(term) if word in _PLACING)
                placed = next(placing, 0) if match.group("meant") else 0
                named = _named(kb, term) or (_named(kb, term[:placed]) if placed else [])
            found.extend(i for i in named if i not in found)
        before = clause
    return found if len(found) == 1 and (more or alone) else []


def _named(kb: KnowledgeBase, words: list[str]) -> list[str]:
    """The one entry these words, without fillers, name exactly; none for MS, qualifiers alone ("the side
    effects") or names set side by side ("the difference between Vumerity")."""
    from ms_ref.rank import folded_fillers

    fillers = folded_fillers()
    content = [w for w in words if w not in fillers]
    if not content or all(w in _QUALIFIERS for w in content) or _CONNECTORS.intersection(content):
        return []
    ids = kb.by_canonical(" ".join(content))
    if not ids:  # as a report words it: "bilateral optic neuritis", "several juxtacortical lesions"
        ids = kb.by_canonical(" ".join(w for w in content if w not in _REPORTED))
    return ids if len(ids) == 1 and ids != kb.by_canonical("ms") else []


# Words after which a report says where a finding is, as folded ("nystagmus on lateral gaze", "lesions in
# the cervical cord", "a lesion at C4").
_PLACING = frozenset("on in at within along involving affecting".split())
# Words a clinic letter or a report puts around a finding, as folded: "bilateral optic neuritis", "several
# juxtacortical lesions", "mild spasticity". Not "brisk": brisk reflexes are hyperreflexia.
_REPORTED = frozenset(
    "bilateral bilaterally unilateral left right sided mild moderate severe marked sustained several "
    "multiple small new old few scattered some".split()
)


# Words that say the next is a word, as folded: "the word relapse", "this term", "the abbreviation CIS".
_WORDING = frozenset("word term phrase expression abbreviation acronym".split())
_POINTING = frozenset("the this that".split())


def _unworded(words: list[str]) -> list[str]:
    """`words` without "the word", "this term" and the like before another word; unchanged without."""
    kept: list[str] = []
    index = 0
    while index < len(words):
        if words[index] in _POINTING and index + 2 < len(words) and words[index + 1] in _WORDING:
            index += 2
            continue
        kept.append(words[index])
        index += 1
    return kept


def _placed_or_read(kb: KnowledgeBase, query: str, words: list[str], otherwise: bool) -> Resolved:
    """_resolved on `words` without a name that says where the rest was read (_placed); when that finds
    nothing, on `words` as they are."""
    placed = _placed(kb, words)
    if placed != words:
        found = _resolved(kb, query, placed, otherwise)
        if found["ids"]:
            return found
    return _resolved(kb, query, words, otherwise)


_PIECES = 3  # the most pieces a word of a name is read as joined from
_NAME_WORD = 4  # the shortest word of a name joined from pieces ("rrms"; "o c t" is joined as letters)


def _rejoined(kb: KnowledgeBase, words: list[str]) -> list[str]:
    """`words` with a name that speech dictation, or a slow typist, split into pieces joined again:
    - single letters spelled out ("o c t", "r r m s"), when they spell a word the entries have;
    - two or three pieces of a word of a name ("peri ventricular", "scot oma", "bac low fen", "fingal
      mod"), where one piece at least is no word the entries or everyday English have, and the pieces
      joined are a word of a name, as written or within a slip (_joined_name).
    Unchanged when nothing joins."""
    from ms_ref.rank import folded_fillers, ranker

    ranking = ranker(kb)
    fillers = folded_fillers()
    keys, spoken, known = kb.derived("name words", _name_words)
    ordinary = ranking.everyday | ranking.lookalikes
    kept: list[str] = []
    index = 0
    while index < len(words):
        # Letters spelled one by one: "c i s", "e d s s".
        end = index
        while end < len(words) and len(words[end]) == 1 and words[end].isalpha():
            end += 1
        spelled = fold("".join(words[index:end])) if end - index >= 2 else ""
        if spelled and (spelled in ranking.df or kb.by_canonical(spelled)):
            kept.append(spelled)
            index = end
            continue
        for size in range(2, _PIECES + 1):
            pieces = words[index : index + size]
            if len(pieces) < size or not all(piece.isalpha() for piece in pieces):
                continue
            if all(piece in ranking.df or piece in ordinary for piece in pieces):
                continue  # whole words of their own ("can not", "new writing")
            if pieces[0] in fillers or pieces[-1] in fillers:
                continue  # a filler joins only inside a name ("tis a nidine"), never "convert a" or "an sti"
            name = _joined_name("".join(pieces), keys, spoken, known, ordinary)
            if name:
                kept.append(name)
                index += size
                break
        else:
            kept.append(words[index])
            index += 1
    return kept


def _name_words(kb: KnowledgeBase) -> tuple[list[str], list[str], frozenset[str]]:
    """The words of every name, alias and id, as folded, of _NAME_WORD letters or more; each as it sounds
    (ms_ref.words.sounds); and the words as a set."""
    words = sorted(
        {word for key in kb.canonical_keys() for word in key.split() if word.isalpha() and len(word) >= _NAME_WORD}
    )
    return words, [sounds(word) for word in words], frozenset(words)


def _joined_name(
    joined: str, keys: list[str], spoken: list[str], known: frozenset[str], ordinary: frozenset[str]
) -> str:
    """The word of a name `joined` is, as written or within a slip (the typo tier's allowance), or as it
    sounds (as _sound_alike reads a word); "" when none, or several."""
    if joined in known:
        return joined
    allowed = _allowance(len(joined))
    if allowed:
        hits = [(d, key) for key, d in closest_keys(joined, keys, allowed) if _plausible_typo(joined, key)]
        if hits:
            nearest = [key for distance, key in hits if distance == min(hits)[0]]
            return nearest[0] if len(nearest) == 1 else ""
    if len(joined) < 5 or joined in ordinary:
        return ""
    heard = _heard(joined, keys, spoken)
    return heard[0] if len(heard) == 1 else ""


def _resolved(kb: KnowledgeBase, query: str, words: list[str], otherwise: bool) -> Resolved:
    """resolve_query on the words of `query` as read."""
    key = " ".join(words)

    # A name, alias or id, as written or folded, always wins: "interferon" is the entry named Interferon.
    exact = (not otherwise and kb.by_name(normalise(query))) or kb.by_canonical(key)
    if exact:
        return _found(exact, "exact")

    # A glossary heading with its abbreviation or synonym in brackets: "Clinically isolated syndrome (CIS)",
    # "Avonex (interferon beta 1a)". Both parts are looked up: one's answer wins where the other agrees or
    # lists it among others. A bracket whose words alone find an entry says nothing where the heading
    # finds none: "mitral stenosis (MS)" is another MS.
    if "(" in query and ")" in query and not query.startswith("("):
        outer_text = query[: query.index("(")] + query[query.rindex(")") + 1 :]
        inner_text = query[query.index("(") + 1 : query.rindex(")")]
        if outer_text.strip() and inner_text.strip():
            outer, inner = resolve_query(kb, outer_text)["ids"], resolve_query(kb, inner_text)["ids"]
            if len(inner) == 1 and inner[0] in outer:
                return _found(inner, "canonical")
            # Two entries, one each side: the heading is the words outside the brackets ("Walking (Gait)
            # Difficulties", "MS hug (dysaesthesia)"); the bracket holds a broader or narrower word.
            if len(outer) == 1 and (len(inner) <= 1 or outer[0] in inner):
                return _found(outer, "canonical")

    from ms_ref.rank import stopped

    read = stopped(kb, words)  # "stop my DMT", "coming off Tysabri" are about stopping a medicine
    found = _read(kb, query, read)
    if read != words and not found["ids"]:
        found = _read(kb, query, words)
    return _acting(kb, words, found)


# A number counting kinds ("the 4 types of MS", "three main forms of MS") says how many, not which: the
# number is dropped. Elsewhere a number is part of a name ("alpha-4 integrin", "9-hole peg test").
_NUMBERS = frozenset("two three four five six seven eight nine ten".split())
_KINDS = frozenset("type kind form stage sort category".split())
_BEFORE_KINDS = frozenset("main different common".split())


def _uncounted(words: list[str]) -> list[str]:
    """`words` without a number that counts the kinds of something ("4 types", "three main kinds")."""
    kept = []
    for index, word in enumerate(words):
        if word.isdigit() or word in _NUMBERS:
            after = [w for w in words[index + 1 : index + 3] if w not in _BEFORE_KINDS]
            if after[:1] and after[0] in _KINDS:
                continue
        kept.append(word)
    return kept


# Words asking for the medicines that act on a drug target, not the target itself: "BTK pills", "CD20
# drugs" (ms_ref.rank.MEDICINE_WORDS), and these, "DHODH inhibitors", "S1P modulators". Not "DMT", the name
# of the family's own entry, which "cd20 dmts" lists beside the target.
_ACTING = frozenset("inhibitor blocker modulator antagonist agonist".split())
_TARGETS = "drug targets"
_CLASSES = "drug classes"


_WORKING = frozenset("work working worked".split())  # as folded ("works" is "work")
_HOW_IT_WORKS = frozenset("how doe do did".split())  # "how does MS work", "does it work"


# Where a word was read, as folded: "my physio notes", "the neurologist's letter", "my MRI report".
_PLACES = frozenset("letter report note leaflet result summary".split())
_PLACE_NAME_WORDS = 3  # the longest name read as a place ("lumbar puncture results")


def _placed(kb: KnowledgeBase, words: list[str]) -> list[str]:
    """`words` without a name that only says where the rest was read, when the rest has a word of its own:
    "what does clonus mean in my physio notes" asks about clonus, "my neurologist letter says CIS" about
    CIS. A name with nothing else ("my MRI report", "what do my MRI results mean") stays the subject."""
    for index, word in enumerate(words):
        if word not in _PLACES or index == 0:
            continue
        from ms_ref.rank import folded_fillers

        fillers = folded_fillers()
        for start in range(max(0, index - _PLACE_NAME_WORDS), index):
            if not kb.by_canonical(" ".join(words[start:index])):
                continue
            if start and words[start - 1] not in fillers:
                break  # the name is part of a longer one ("brain MRI report")
            rest = words[:start] + words[index + 1 :]
            subjects = [w for w in rest if w not in fillers and w not in _QUALIFIERS and w not in _PLACES]
            if any(w != "ms" and not w.isdigit() for w in subjects):
                return rest
            break
    return words


def _acting(kb: KnowledgeBase, words: list[str], found: Resolved) -> Resolved:
    """`found`, with a drug target the query asks for medicines of replaced by what acts on it (acting_on):
    "btk drugs" means the BTK inhibitors, not the enzyme. Where the answer listed the target with what acts
    on it ("S1P drugs": the receptor and the modulators), the target leaves the list."""
    from ms_ref.rank import MEDICINE_WORDS

    asked = (MEDICINE_WORDS | _ACTING).difference({"dmt"}).intersection(words)
    if not asked or not found["ids"]:
        return found
    ids = found["ids"]
    for target in ids:
        entry = kb.entry(target)
        if asked <= set(canonical_words(str(entry.get("name", "")))):
            continue  # the word is the target's own ("Acetylcholine release" has none; a name might)
        acting = acting_on(kb, entry)
        if not acting:
            continue
        if len(ids) == 1:
            return _found(acting, found["match"])
        if any(i in acting for i in ids if i != target):
            return _found([i for i in ids if i != target], "ranked")  # "ambiguous" while several remain
    return found


def acting_on(kb: KnowledgeBase, entry: Entry) -> list[str]:
    """What acts on a drug target: its drug class where it has one ("BTK inhibitor" for BTK), else the
    medicines it names or that name it (teriflunomide and vidofludimus for DHODH). A molecule acts through
    its class only ("interferon beta" for interferon): the medicines naming a molecule (plasma exchange
    for antibodies) do not act on it. Empty for anything else."""
    from ms_ref.rank import medicine

    category = entry.get("category")
    if category not in (_TARGETS, "molecules"):
        return []
    named = [str(i) for i in entry.get("related", []) or [] if kb.has(str(i))]
    classes = [i for i in named if kb.entry(i).get("category") == _CLASSES]
    if len(classes) == 1 or category != _TARGETS:
        return classes if len(classes) == 1 else []
    naming = [item[0] for item in kb.links(str(entry["id"]))["mentioned_by"]]
    return [i for i in _unique([*named, *naming]) if medicine(kb.entry(i))]


def _qualifying(word: str) -> bool:
    """Whether a word of a query qualifies a name: "pen", "test", "side effects", a dose or a unit."""
    return word in _QUALIFIERS or word[:1].isdigit()


def _read(kb: KnowledgeBase, query: str, words: list[str]) -> Resolved:
    """The tiers after the exact ones, on the words of `query` as read."""
    from ms_ref.rank import folded_fillers

    fillers = folded_fillers()  # folded as the words are ("does" is "doe")
    content = [w for w in words if w not in fillers]
    if not content:
        return _found([], "none")
    # "Can I work with MS", "MS at work": work as a job, where nothing but MS is left; not "how does MS work".
    if content == ["ms"] and _WORKING.intersection(words) and not _HOW_IT_WORKS.intersection(words):
        words = content = ["job"]
    # Ever shorter readings of the query: without "MS" ("MS relapse"), without joining words ("vitamin D
    # and MS"), without qualifiers, doses and units ("Kesimpta pen", "copaxone 40 mg").
    variants = [content]
    unqualified = False  # whether the last reading dropped qualifiers ("brain scan" is then "brain")
    for drop in (lambda w: w == "ms", lambda w: w in _CONNECTORS, _qualifying):
        shorter = [w for w in variants[-1] if not drop(w)]
        if shorter and shorter != variants[-1]:
            variants.append(shorter)
            unqualified = drop is _qualifying
    # A question about what a thing does ("does MS cause depression", "can MS affect memory", "what triggers
    # a relapse") names the thing: that reading answers only when it is a whole name.
    asked = [w for w in variants[-1] if w not in _ASKED]
    for index, variant in enumerate((*variants, asked) if asked and asked != variants[-1] else variants):
        found = kb.by_canonical(" ".join(variant)) or kb.by_unordered(" ".join(sorted(variant)))
        if found:
            # A name found only without the query's qualifiers ("is there a gene test for MS": Gene) is
            # checked against the ranker, which weighs them and the entries' everyday phrases: where its
            # scores put another entry first and it answers that one (Genetics of MS), that answer wins.
            if unqualified and index >= len(variants) - 1 and len(content) >= DEFER_WORDS:
                from ms_ref.rank import ranker

                scored = ranker(kb).score(words)
                ranked = _ranked(kb, words, scored)
                if ranked is not None and scored and ranked["ids"] == [scored[0][0]] != found[:1]:
                    return ranked
            return _found(found, "canonical")

    # The leading words of names ("neurofilament light", "vitamin d"): the entries those names belong to.
    everyday = _everyday(kb)
    lookalikes = _lookalikes(kb)
    for variant in variants:
        phrase = " ".join(variant)
        # One word ("acute") starts too many names to mean one of them; everyday words ("high blood
        # pressure") start names by chance.
        if len(variant) < 2 or all(w in everyday for w in variant):
            continue
        prefixed = kb.by_leading(phrase)
        if len(prefixed) == 1:
            return _found(prefixed, "prefix")
    # Medicines set side by side ("gabapentin or pregabalin for nerve pain, which is better"): all of them.
    compared = _compared(kb, words, content)
    if compared:
        return _found(compared, "ambiguous")
    last = [w for w in variants[-1] if w not in _QUALIFIERS and w not in _CONNECTORS]
    joined = any(w in _CONNECTORS for w in content) or "&" in query or "+" in query
    several = len(last) > 1 and all(kb.by_canonical(word) for word in last)
    # Whole names joined by "and", "or", "vs" ("pain and itching", "ocrelizumab vs natalizumab"), and
    # nothing else: list them all, before the ranker picks one.
    if several and joined:
        return _found(_unique(i for word in last for i in kb.by_canonical(word)), "ambiguous")
    # "MS treatments", "how is MS treated": the five treatment families, each with its summary.
    asks = [w for w in content if w != "ms"]
    if any(w in _TREATING for w in asks) and all(w in _TREATING or w in _OPTIONS for w in asks):
        from ms_ref.spec import FAMILY_IDS

        return _found([i for i in FAMILY_IDS if kb.has(i)], "ambiguous")
    ranked = _ranked(kb, words)
    topic = _topic(kb, words, content, ranked)
    if topic is not None:
        return topic
    if ranked is not None:
        return ranked
    switching = _switching(kb, words, content)
    if switching:
        return _found(switching, "ranked")

    # The start of a name, as Tab completion would finish it ("ocr", "natal", "terif").
    # Not for a word typed in capitals: "EDS" is an abbreviation of its own, not the start of "EDSS".
    if len(content) == 1 and len(words) <= 2 and not _known_word(kb, content[0]) and not query.strip().isupper():
        started = _completed(kb, content[0])
        if started:
            return _found(started, "prefix")
    # Several names side by side that the ranker could not weigh ("tysabri pml"): list them all.
    if several:
        return _found(_unique(i for word in last for i in kb.by_canonical(word)), "ambiguous")
    canon = kb.canonical_keys()
    for variant in variants:
        phrase = " ".join(variant)
        if all(w in everyday or w in lookalikes for w in variant):
            continue  # "paint" and "reflux" are words, not slips for "pain" and "reflex"
        allowed = _allowance(len(phrase))
        if not allowed or len(phrase) > 120:
            continue
        hits = [(k, d) for k, d in closest_keys(phrase, list(canon), allowed) if _plausible_typo(phrase, k)]
        if hits:
            best = min(distance for _key, distance in hits)
            return _found(_unique(i for k, distance in hits if distance == best for i in canon[k]), "fuzzy")
    # A name written as it sounds ("obagio" for Aubagio, "tysabery" for Tysabri), too far in letters.
    if len(variants[-1]) == 1:
        heard = _sound_alike(variants[-1][0], canon, everyday | lookalikes)
        if heard:
            return _found(heard, "fuzzy")
    return _found([], "none")


# Words asking how MS is treated, as folded ("MS treatments", "treating MS", "MS therapy options"): the
# answer is the treatment families, not one of them nor MS itself.
_TREATING = frozenset("treatment treated treating treat therapy".split())
_OPTIONS = frozenset("option available".split())
_TOPIC_WORDS = 2  # the most words besides "MS" and fillers of a query read as a topic of MS (_topic)


def _topic(kb: KnowledgeBase, words: list[str], content: list[str], ranked: Resolved | None) -> Resolved | None:
    """What a query of "MS" and a word or two names without "MS" ("MS eyes", "MS causes", "ms vision"),
    where the whole query found nothing else than MS itself: the name MS outweighs a topic the ranker
    spreads over several entries, though the person asks about that topic in MS. None otherwise, and
    when the words without "MS" find nothing, or MS again."""
    rest = [w for w in content if w != "ms"]
    if len(rest) == len(content) or not rest or len(rest) > _TOPIC_WORDS:
        return None
    ms = kb.by_canonical("ms")
    if ranked is not None and ranked["ids"] != ms:
        return None
    # The ranker's thresholds alone: the models of the second look read sentences, and this is none.
    from ms_ref.rank import ranker

    kept = [w for w in words if w != "ms"]
    found = choose(ranker(kb).score(kept), len(kept))
    if not found or any(i in found for i in ms):
        return None
    return _found(found, "ranked")


# Words that set names side by side ("ocrelizumab vs natalizumab", "the difference between gabapentin and
# pregabalin"), and words that ask to choose between names joined by "or" ("baclofen or tizanidine, which
# is better"). Not "than" or "between" alone: "is Vumerity easier on the stomach than Tecfidera" asks about
# Vumerity, "the gap between stopping Tysabri and starting Ocrevus" about the washout.
_COMPARING = frozenset("vs versus difference".split())
_CHOOSING = frozenset("which better worse best".split())


def _compared(kb: KnowledgeBase, words: list[str], content: list[str]) -> list[str]:
    """The medicines a query sets side by side, in its order, when it names two or more with words that
    compare them ("neurontin or lyrica, which is better for nerve pain"): msref lists them, never picks
    one. Empty otherwise ("can I breastfeed on Ocrevus or Kesimpta" asks about breastfeeding). `content`:
    the words but fillers ("or" is one)."""
    if not _COMPARING.intersection(words) and not ("or" in words and _CHOOSING.intersection(words)):
        return []
    found = _medicines_named(kb, content)
    return found if len(found) >= 2 else []


def _medicines_named(kb: KnowledgeBase, content: list[str]) -> list[str]:
    """The medicines `content` names by a name of one or two words, in its order."""
    from ms_ref.rank import medicine

    found: list[str] = []
    index = 0
    while index < len(content):
        for size in (2, 1):
            named = kb.by_canonical(" ".join(content[index : index + size])) if index + size <= len(content) else []
            if len(named) == 1 and medicine(kb.entry(named[0])):
                found.append(named[0])
                index += size - 1
                break
        index += 1
    return _unique(found)


# Verbs of moving from one medicine to another, as folded ("switching from Tecfidera to Ocrevus").
_SWITCHING = frozenset("switch switching switched switche swap swapping swapped".split())


def _switching(kb: KnowledgeBase, words: list[str], content: list[str]) -> list[str]:
    """The entry on switching treatment, for a query that switches from a medicine it names ("how do you
    switch from Tecfidera to Ocrevus, is there a gap"), where the ranker weighs the two medicines and
    finds neither; else empty."""
    if "from" not in words or not _SWITCHING.intersection(words):
        return []
    found = kb.by_canonical("switching treatment")
    return found if len(found) == 1 and _medicines_named(kb, content) else []


def query_words(kb: KnowledgeBase, query: str) -> tuple[list[str], bool]:
    """The canonical words of a query as the lookup reads them, and whether one of them is an abbreviation
    written in a case none of its names has, so another word ("MSc" is a degree): it is marked OTHERWISE."""
    words = canonical_words(query)
    otherwise = _written_otherwise(kb, query) if query != query.lower() else set()
    otherwise |= _another_ms(query)
    if otherwise:
        words = [word + OTHERWISE if word in otherwise else word for word in words]
    return words, bool(otherwise)


# Names after which "MS" is another thing: Microsoft's programs ("MS Word", "MS Teams"; the MS team is
# one) and MS Contin, a morphine.
_ANOTHER_MS = frozenset("word excel teams paint powerpoint onenote dos windows visio sharepoint contin".split())


def _another_ms(query: str) -> set[str]:
    """{"ms"} when "MS" is another thing, before one of those names as written ("MS Teams", "ms word",
    "MS Contin"); else nothing."""
    tokens = [token.lower() for token in written(query)]
    return {"ms"} if any(a == "ms" and b in _ANOTHER_MS for a, b in zip(tokens, tokens[1:])) else set()


def _written_otherwise(kb: KnowledgeBase, query: str) -> set[str]:
    """The folded words of `query` written in capitals and small letters where every name they fold to is an
    abbreviation written otherwise: "MSc" (a degree) is not MSC (mesenchymal stem cells), though both fold
    to "msc". A plural ("DMTs", "MSCs") is its abbreviation; a word in small letters, or starting with a
    capital only ("Msc" on a phone), may be either."""
    mixed = [t for t in written(query) if any(c.isupper() for c in t[1:]) and any(c.islower() for c in t)]
    if not mixed:
        return set()
    from ms_ref.annotate import capitals_forms, written_as

    found: set[str] = set()
    for token in mixed:
        word = fold(normalise(token))
        forms = capitals_forms(kb, word)
        if forms and not any(written_as(token, form) for form in forms):
            found.add(word)
    return found


def _sound_alike(word: str, canon: dict[str, list[str]], ordinary: frozenset[str]) -> list[str]:
    """The entries of the one-word names that sound like `word` (ms_ref.words.sounds) within a slip (none
    for a short word); never for everyday English, which is a word of its own and not a slip."""
    if len(word) < 5 or not word.isalpha() or word in ordinary:
        return []
    names = [key for key in canon if key.isalpha() and len(key) >= 5 and key not in ordinary]
    return _unique(i for key in _heard(word, names, [sounds(key) for key in names]) for i in canon[key])


def _heard(word: str, names: list[str], spoken: list[str]) -> list[str]:
    """The names (`spoken`: each as it sounds) nearest to how `word` sounds, starting with its sound, within
    a slip for a longer word and none for a shorter one; empty when none is."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    heard = sounds(word)
    allowed = 1 if len(heard) >= 6 else 0
    found = [
        (int(distance), names[index])
        for _sound, distance, index in process.extract(
            heard, spoken, scorer=OSA.distance, score_cutoff=allowed, limit=None
        )
        if spoken[index][:1] == heard[:1]
    ]
    if not found:
        return []
    best = min(distance for distance, _name in found)
    return [name for distance, name in found if distance == best]


def _ranked(
    kb: KnowledgeBase, words: list[str], scored: list[tuple[str, float, int, bool]] | None = None
) -> Resolved | None:
    """An answer or a short list from the ranker (ms_ref.rank), or None when nothing scores enough;
    `scored`: the ranker's scores of `words`, where the caller has them."""
    from ms_ref.rank import ranker

    ranking = ranker(kb)
    scored = ranking.score(words) if scored is None else scored
    chosen = choose(scored, len(words))
    # A list for a word or two ("incontinence") is what it names; only a sentence's list gets a second look.
    if SECOND_LOOK and (len(chosen) <= 1 or len(words) >= LISTED_SENTENCE):
        # A second look by models fitted on the dev queries, which weigh more of what the ranking knows
        # (ms_ref.confidence): at a sentence the thresholds declined, answered, or listed candidates for.
        from ms_ref import confidence

        if len(chosen) > 1:
            picked = confidence.settled(ranking, words, scored, chosen)
            chosen = [picked] if picked else chosen
        elif not chosen:
            picked = confidence.chosen(ranking, words, scored)
            chosen = [picked] if picked else []
        elif VETO and confidence.doubtful(ranking, words, scored):
            chosen = []
        else:
            chosen = [confidence.switched(ranking, words, scored) or chosen[0]]
    return _found(chosen, "ranked") if chosen else None


def choose(
    scored: list[tuple[str, float, int, bool]],
    length: int,
    answer: float = ANSWER,
    margin: float = MARGIN,
    answer_low: float = ANSWER_LOW,
    ratio_low: float = RATIO_LOW,
    listed: float = LIST,
    near: float = NEAR,
    answer_multi: float = ANSWER_MULTI,
    ratio_multi: float = RATIO_MULTI,
    answer_named: float = ANSWER_NAMED,
    ratio_named: float = RATIO_NAMED,
    answer_sentence: float = ANSWER_SENTENCE,
    ratio_sentence: float = RATIO_SENTENCE,
) -> list[str]:
    """The ranker's answer (one id), its close candidates (several) or nothing, for a query of `length`
    words, by the thresholds above (benchmarks/tune_lookup.py tries others through the keywords)."""
    if not scored:
        return []
    best, top, evidence, named = scored[0]
    second = scored[1][1] if len(scored) > 1 else 0.0
    if (
        (top >= answer and second < top * margin)
        or (top >= answer_low and second < top * ratio_low)
        or (evidence >= 2 and top >= answer_multi and second < top * ratio_multi)
        or (named and top >= answer_named and not any(n for _i, v, _e, n in scored[1:] if v >= top * ratio_named))
        or (length >= SENTENCE_WORDS and evidence >= 2 and top >= answer_sentence and second < top * ratio_sentence)
    ):
        return [best]
    if top >= listed:
        close = [entry_id for entry_id, value, _evidence, _named in scored if value >= top * near][:MAX_LISTED]
        if len(close) > 1:
            return close
    return []


def _everyday(kb: KnowledgeBase) -> frozenset[str]:
    from ms_ref.rank import ranker

    return ranker(kb).everyday


def _lookalikes(kb: KnowledgeBase) -> frozenset[str]:
    from ms_ref.rank import ranker

    return ranker(kb).lookalikes


def _known_word(kb: KnowledgeBase, word: str) -> bool:
    """Whether `word` is a whole word of some entry's names or summary (then it is not a partial name)."""
    from ms_ref.rank import ranker

    return word in ranker(kb).df


def _completed(kb: KnowledgeBase, word: str) -> list[str]:
    """Entries whose name, alias or id starts with `word` (three letters or more), as completion offers."""
    if len(word) < 3 or not word.isalnum():
        return []
    items = kb.completions(word[0])
    starts = [item for item in items if normalise(item[0]).startswith(word)]
    ids = _unique(_completion_id(kb, item) for item in starts)
    return [i for i in ids if i][:MAX_LISTED] if len(ids) <= MAX_LISTED else []


def _completion_id(kb: KnowledgeBase, item: list[str]) -> str:
    found = kb.by_name(normalise(item[0]))
    return found[0] if len(found) == 1 else ""


def _found(ids: Iterable[str], match: str) -> Resolved:
    ids = _unique(ids)
    return {"ids": ids, "match": match if len(ids) <= 1 else "ambiguous"}


def _plausible_typo(phrase: str, key: str) -> bool:
    """A near spelling counts as a typo only if no word changed wholesale: "vitamin b12" is not "vitamin d".

    The first letter and the digits must agree ("remyelinating" is not "demyelinating"), and in a
    several-word name each word may differ from its counterpart only by the edits its length allows.
    """
    from rapidfuzz.distance import OSA

    if phrase[:1] != key[:1] or [c for c in phrase if c.isdigit()] != [c for c in key if c.isdigit()]:
        return False
    typed, known = phrase.split(), key.split()
    if len(typed) == len(known) == 1:
        return True
    if len(typed) != len(known):
        return OSA.distance("".join(typed), "".join(known)) <= 1
    for a, b in zip(typed, known):
        limit = 0 if len(b) < 3 else 1 if len(b) < 9 else 2
        if a != b and OSA.distance(a, b) > limit:
            return False
    return True


def closest_keys(phrase: str, keys: list[str], allowed: int) -> list[tuple[str, int]]:
    """Keys within `allowed` edits of `phrase` (optimal string alignment: a swap of neighbours is one edit).

    rapidfuzz computes this in C++; benchmarks/lookup_eval.py compares it with a pure-Python version and
    with difflib on quality and cost.
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    return [
        (key, int(distance))
        for key, distance, _index in process.extract(
            phrase, keys, scorer=OSA.distance, score_cutoff=allowed, limit=None
        )
    ]


# Suggestions: ranker candidates that share at least one meaningful word with the query, never an entry
# found only through a filler word or a long text; and near spellings of names.
SUGGEST_FROM = 0.01
SUGGEST_EVERYDAY = 0.1


def suggest(kb: KnowledgeBase, query: str, limit: int = 5) -> list[str]:
    """Display names close to `query`, for 'did you mean' hints: the ranker's candidates, names the query
    starts (as completion would offer them), and near spellings of whole names and of single words."""
    from rapidfuzz import fuzz, process

    from ms_ref.rank import folded_fillers, ranker, stopped

    words = query_words(kb, query[:500])[0]
    ranking = ranker(kb)
    read = stopped(kb, words)  # as resolve_query reads them
    scored = ranking.score(read)
    if scored:
        from ms_ref.confidence import unrelated

        if unrelated(ranking, read, scored):  # a sentence about something else: no entry is near it
            scored = []
    fillers = folded_fillers()
    content = [w for w in words if w not in fillers]
    # A suggestion shares a word with the query that is not everyday English ("macular oedema" never
    # suggests an entry that only shares "first" or "dose" with it); a query of everyday words only
    # takes its clearer candidates.
    rare = [w for w in read if w not in fillers and w not in ranking.everyday and w not in ranking.qualifiers]
    sharing = {entry_id for entry_id, *_rest in ranking.score(rare)} if rare else None
    found = [
        entry_id
        for entry_id, value, evidence, _n in scored
        if evidence >= 1
        and (value >= SUGGEST_FROM if sharing is not None else value >= SUGGEST_EVERYDAY)
        and (sharing is None or entry_id in sharing)
    ][:limit]
    if len(content) == 1:
        found += _completed(kb, content[0])
    canon = kb.canonical_keys()
    keys = list(canon)
    for phrase in [" ".join(words)[:120], *(w for w in content if len(w) >= 5)]:
        if not phrase:
            continue
        for key, _score, _index in process.extract(phrase, keys, scorer=fuzz.ratio, score_cutoff=80, limit=3):
            if key[:1] == phrase[:1]:
                found.extend(canon[key])
    labels = []
    for entry_id in _unique(found):
        label = kb.name(entry_id)
        if label not in labels:
            labels.append(label)
    return labels[:limit]
