"""Semantic Scholar papers: the S2AG "papers" dataset (JSON-lines, usually gzipped) or API objects.

The dataset spells keys in lower case (`externalids`, `s2fieldsofstudy`), the API in camelCase
(`externalIds`, `s2FieldsOfStudy`): keys are compared case-insensitively. The work's identity is
its CorpusId (the API's `paperId` when there is none); authors match on their S2 `authorId`.
Data: Semantic Scholar Academic Graph, Allen Institute for AI (ODC-BY 1.0).
"""

from ..models import Topic, Work
from .base import (
    MAX_YEAR,
    AuthorData,
    AuthorshipData,
    FieldError,
    Obj,
    TopicData,
    VenueData,
    WorkData,
    collapse_spaces,
    normalise_doi,
)

_TYPES = {
    "review": Work.Type.REVIEW,
    "book": Work.Type.BOOK,
    "booksection": Work.Type.BOOK_CHAPTER,
    "dataset": Work.Type.DATASET,
}


def _lowered(record: Obj) -> Obj:
    return Obj({key.lower(): value for key, value in record.data.items()}, record.path)


def _id_string(obj: Obj, key: str) -> str:
    value = obj.raw(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise FieldError(obj._path(key), f"expected an id, got {value!r}")
    return str(value).strip()


def _fields_of_study(record: Obj) -> list[str]:
    names = list(record.texts("fieldsofstudy"))
    for item in record.objs("s2fieldsofstudy"):
        names.append(item.text("category", required=True))
    return list(dict.fromkeys(name for name in names if name))


def parse_s2_paper(record: Obj) -> WorkData:
    """One S2 paper → WorkData (raises FieldError)."""
    record = _lowered(record)
    s2_id = _id_string(record, "corpusid") or _id_string(record, "paperid")
    if not s2_id:
        raise record.missing("corpusid")
    external = record.obj("externalids")
    external = _lowered(external) if external else None
    doi = normalise_doi(_id_string(external, "doi")) if external else ""
    arxiv_id = _id_string(external, "arxiv") if external else ""
    authorships = []
    for author in map(_lowered, record.objs("authors")):
        name = collapse_spaces(author.text("name"))
        if not name:
            continue
        authorships.append(
            AuthorshipData(
                author=AuthorData(
                    display_name=name,
                    s2_id=_id_string(author, "authorid"),
                    name_variants=[name],
                ),
                raw_name=name,
            )
        )
    journal = record.obj("journal")
    venue_name = record.text("venue") or (journal.text("name") if journal else "")
    kinds = [kind.lower() for kind in record.texts("publicationtypes")]
    work_type = next((_TYPES[k] for k in kinds if k in _TYPES), Work.Type.ARTICLE)
    published = record.date("publicationdate")
    year = record.integer("year", maximum=MAX_YEAR) or (published.year if published else None)
    return WorkData(
        title=collapse_spaces(record.text("title", required=True)),
        s2_id=s2_id,
        doi=doi,
        arxiv_id=arxiv_id,
        abstract=collapse_spaces(record.text("abstract")),
        type=work_type,
        publication_year=year,
        publication_date=published,
        venue=VenueData(name=collapse_spaces(venue_name)) if venue_name.strip() else None,
        cited_by_count=record.integer("citationcount") or 0,
        authorships=authorships,
        topics=[
            (TopicData(scheme=Topic.Scheme.S2_FIELD, external_id=name, name=name), 1.0)
            for name in _fields_of_study(record)
        ],
    )
