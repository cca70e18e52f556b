"""Words as lookup and full-text search compare them: normalised, plural-folded, spelling-folded.

Both the compiled indexes and the queries go through these functions, so they must stay in step with
the store (their sources are part of the cache key). Builtin modules only: every run imports it.
"""

from __future__ import annotations

# Characters read as word separators when normalising names and queries.
_SEPARATORS = '-_/\\.,;:!?()[]{}<>"*+=|~`@#$%^&\t\r\n\u2010\u2011\u2012\u2013\u2014\u00a0'
_APOSTROPHES = "'\u2018\u2019\u02bc`"
_NORMALISE = str.maketrans({**dict.fromkeys(_SEPARATORS, " "), **dict.fromkeys(_APOSTROPHES, "")})

STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the to was were with "
    "which this these those can may not your you".split()
)


def normalise(text: str) -> str:
    """Lowercase, drop apostrophes, read punctuation and hyphens as spaces, collapse spaces. Letters in
    compatibility forms (full-width "ｍｓ ｈｕｇ" from a phone keyboard, ligatures) read as plain ones."""
    if not text.isascii():
        text = _plain(text)
    return " ".join(text.casefold().translate(_NORMALISE).split())


def _plain(text: str) -> str:
    """`text` in compatibility forms read as plain letters, without invisible format characters: a soft
    hyphen or a zero-width space copied from a web page ("demy\u00adelination"), a direction mark."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if c.isascii() or unicodedata.category(c) != "Cf")


# Marks a word written as none of the names it folds to is ("MSc" for the abbreviation MSC, ms_ref.lookup):
# no entry's word then.
OTHERWISE = "~"


def written(text: str) -> list[str]:
    """The words of `text` as normalise() splits them, in the case they are written ("MSc", "DMTs")."""
    if not text.isascii():
        text = _plain(text)
    return text.translate(_NORMALISE).split()


_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """Plural folding ("lesions" -> "lesion", "therapies" -> "therapy"), memoised: indexing calls it often."""
    found = _STEMS.get(word)
    if found is None:
        found = word
        if len(word) > 4 and word.endswith("ies"):
            found = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            found = word[:-1]
        _STEMS[word] = found
    return found


_US_WORDS = {"grey": "gray", "programme": "program", "ageing": "aging"}
_UK_ENDINGS = (
    ("isation", "ization"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("ise", "ize"),
    ("yse", "yze"),
    ("lling", "ling"),
    ("lled", "led"),
)


def spelling(word: str) -> str:
    """Fold British and American spellings together."""
    if len(word) > 4:
        word = word.replace("ae", "e").replace("oe", "e")
    if len(word) > 5:
        if word.endswith("our"):
            word = word[:-3] + "or"
        for uk, us in _UK_ENDINGS:
            if word.endswith(uk):
                word = word[: -len(uk)] + us
                break
    if len(word) > 4 and word.endswith(("bre", "tre")):
        word = word[:-2] + "er"
    return _US_WORDS.get(word, word.replace("smould", "smold"))


# Letters spelt differently for one sound, as people write a name they have only heard ("obagio" for
# Aubagio, "tysabery" for Tysabri, "gilenia" for Gilenya): replaced in this order.
_SOUNDS = (
    ("ph", "f"), ("ck", "k"), ("qu", "kw"), ("q", "k"), ("x", "ks"), ("ce", "se"), ("ci", "si"), ("cy", "si"),
    ("c", "k"), ("z", "s"), ("y", "i"), ("au", "o"), ("ou", "o"), ("aw", "o"), ("ee", "i"), ("ea", "i"),
    ("ie", "i"), ("ey", "i"),
)


def sounds(word: str) -> str:
    """`word` as it sounds, roughly: one spelling for each sound above, doubled letters once, no final e."""
    for written, sound in _SOUNDS:
        word = word.replace(written, sound)
    single = "".join(c for i, c in enumerate(word) if i == 0 or c != word[i - 1])
    return single[:-1] if len(single) > 3 and single.endswith("e") else single
