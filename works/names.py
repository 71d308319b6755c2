"""Person-name normalisation: the key that matches authors who come without identifiers (arXiv).

`name_key` folds case, diacritics and punctuation, turns "Last, First" into "First Last", drops
suffixes (Jr., III) and middle initials that follow a full given name. So "Zhou, Eric",
"Eric Zhou", "ERIC ZHOU" and "Eric J. Zhou" share the key "eric zhou", and "José García" matches
"Jose Garcia".

Initials are kept when they are all we have: "E. Zhou" and "ZHOU, E." give "e zhou", which does
NOT match "Eric Zhou". An initial could be Eric or Emma; merging two public records is easy to do
later (a claim) and hard to undo, so the key errs on the side of keeping people apart. For the
same reason the key keeps every full given name ("Hanpeng Liu" and "Yan Liu" stay two people) and
never reorders names written without a comma (the order cannot be known).
"""

import re
import unicodedata

# Letters NFKD does not decompose into a base letter plus a combining mark.
_FOLD = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ı": "i",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ß": "ss",
    }
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NOT_WORD = re.compile(r"[^\w]+")


def fold_name(name: str) -> str:
    """Lower-case, strip diacritics and punctuation, collapse spaces: "José  García-Pérez" →
    "jose garcia perez"."""
    text = unicodedata.normalize("NFKD", name.casefold()).translate(_FOLD)
    # Combining marks (the accents NFKD split off) and format characters (soft hyphens) go.
    text = "".join(
        ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    )
    return " ".join(_NOT_WORD.sub(" ", text).replace("_", " ").split())


def _reorder(name: str) -> str:
    """ "Last, First" and "Last, Suffix, First" (BibTeX orders) become "First Last"."""
    parts = [part.strip() for part in name.split(",")]
    parts = [part for part in parts if part]
    if len(parts) < 2:
        return name
    if len(parts) >= 3 and fold_name(parts[1]) in _SUFFIXES:
        return f"{' '.join(parts[2:])} {parts[0]}"
    # "Evans, Neal J., II": the suffix is last.
    rest = [part for part in parts[1:] if fold_name(part) not in _SUFFIXES]
    return f"{' '.join(rest)} {parts[0]}"


def name_key(name: str) -> str:
    """The matching key of a person's name (see the module docstring); "" for a blank name."""
    tokens = fold_name(_reorder(name)).split()
    tokens = [token for token in tokens if token not in _SUFFIXES] or tokens
    if len(tokens) <= 2:
        return " ".join(tokens)
    given, last = tokens[:-1], tokens[-1]
    if len(given[0]) > 1:
        # A full first name: the middle initials add nothing we can trust to tell people apart.
        given = [given[0], *(token for token in given[1:] if len(token) > 1)]
    return " ".join([*given, last])


def display_form(name: str) -> str:
    """A name as a page shows it: "Mäler, Karl-Göran" → "Karl-Göran Mäler" (spaces collapsed)."""
    return " ".join(_reorder(name).split())


def join_name_parts(last: str, first: str = "", suffix: str = "") -> str:
    """A printable "First Last Suffix" from parsed parts (arXiv's authors_parsed order)."""
    return " ".join(part.strip() for part in (first, last, suffix) if part and part.strip())
