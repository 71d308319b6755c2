"""works.names: the key that matches authors who come without identifiers."""

import pytest

from works.names import display_form, fold_name, join_name_parts, name_key


@pytest.mark.parametrize(
    "written",
    ["Eric Zhou", "Zhou, Eric", "ZHOU, ERIC", "eric zhou", "  Eric   Zhou ", "Eric J. Zhou"],
)
def test_name_key_same_person_written_differently(written):
    """Case, "Last, First" order, spacing and a middle initial do not change the key."""
    assert name_key(written) == "eric zhou"


def test_name_key_initial_does_not_match_full_given_name():
    """An initial is kept apart from a full name: "E. Zhou" could be Eric or Emma."""
    assert name_key("ZHOU, E.") == "e zhou"
    assert name_key("E. Zhou") == "e zhou"
    assert name_key("E. Zhou") != name_key("Eric Zhou")


def test_name_key_diacritics_are_folded():
    """Accents and letters like ø, ł and ß fold to their plain forms."""
    assert name_key("José García") == name_key("Jose Garcia") == "jose garcia"
    assert name_key("Søren Łukasz Weiß") == "soren lukasz weiss"
    assert name_key("Johan Ärnlöv") == "johan arnlov"


def test_name_key_unrelated_people_stay_apart():
    """Different given names with the same surname give different keys."""
    assert name_key("Hanpeng Liu") != name_key("Yan Liu")
    assert name_key("Hanpeng Liu") == "hanpeng liu"


def test_name_key_punctuation_and_suffixes():
    """Hyphens of any kind split tokens, soft hyphens vanish, Jr./II are dropped."""
    assert name_key("Abbasi\u2010Kangevari, Mohsen") == "mohsen abbasi kangevari"
    assert name_key("Mohsen Abbasi-Kangevari") == "mohsen abbasi kangevari"
    assert name_key("Peter Alle\xadbeck") == "peter allebeck"
    assert name_key("Evans, Neal J., II") == name_key("Neal J. Evans II") == "neal evans"
    assert name_key("King, Jr., Martin Luther") == "martin luther king"


def test_name_key_keeps_non_latin_scripts():
    """Names in other scripts are kept as they are (only case-folded)."""
    assert name_key("粟毅") == "粟毅"


def test_name_key_blank_is_empty():
    """A blank name has an empty key."""
    assert name_key("  ") == ""


def test_fold_name_collapses_everything_but_letters_and_digits():
    """fold_name lower-cases, strips accents and replaces punctuation with single spaces."""
    assert fold_name("José  García-Pérez") == "jose garcia perez"


def test_display_form_reorders_last_first():
    """A "Last, First" name is shown as "First Last"."""
    assert display_form("Mäler, Karl-Göran") == "Karl-Göran Mäler"
    assert display_form("Eric Zhou") == "Eric Zhou"


def test_join_name_parts_uses_arxiv_order():
    """arXiv's authors_parsed gives [last, first, suffix]; the printed name is first last suffix."""
    assert join_name_parts("Evans", "Neal J.", "II") == "Neal J. Evans II"
    assert join_name_parts("Pan", "Hongjun", "") == "Hongjun Pan"
    assert join_name_parts("Collaboration", "", "") == "Collaboration"
