"""BibTeX export of a work (plain text, for the work page and its download)."""

import re

from django.utils.text import slugify

from .models import Work

_ENTRY_TYPES = {
    "article": "article",
    "review": "article",
    "book": "book",
    "book-chapter": "incollection",
    "dissertation": "phdthesis",
}
_SPECIAL = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "#": r"\#",
        "$": r"\$",
        "_": r"\_",
    }
)


def _value(text: str) -> str:
    """One field value: LaTeX specials escaped, so a title can never unbalance the entry."""
    return " ".join(str(text).split()).translate(_SPECIAL)


def bibtex_key(work: Work, first_author_name: str) -> str:
    surname = first_author_name.split()[-1] if first_author_name.split() else "anon"
    first_word = next((w for w in re.findall(r"[A-Za-z0-9]+", work.title) if len(w) > 3), "work")
    return slugify(f"{surname}{work.publication_year or ''}{first_word}").replace("-", "")


def format_bibtex(work: Work, author_names: list[str]) -> str:
    """The BibTeX entry for a work whose authors (in order, as printed) are given."""
    entry_type = _ENTRY_TYPES.get(work.type, "misc")
    fields = [("title", work.title)]
    if author_names:
        fields.append(("author", " and ".join(author_names)))
    if work.publication_year:
        fields.append(("year", str(work.publication_year)))
    if work.venue is not None and work.venue.name != "arXiv":
        venue_field = {"article": "journal", "incollection": "booktitle"}.get(entry_type)
        fields.append((venue_field or "howpublished", work.venue.name))
    if work.doi:
        fields.append(("doi", work.doi))
    if work.arxiv_id:
        fields += [("eprint", work.arxiv_id), ("archivePrefix", "arXiv")]
    if work.doi:
        fields.append(("url", f"https://doi.org/{work.doi}"))
    elif work.arxiv_id:
        fields.append(("url", f"https://arxiv.org/abs/{work.arxiv_id}"))
    key = bibtex_key(work, author_names[0] if author_names else "")
    body = ",\n".join(f"  {name} = {{{_value(value)}}}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"
