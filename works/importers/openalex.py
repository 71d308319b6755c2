"""OpenAlex works, authors and institutions (API objects, JSON-lines or API list responses)."""

import re

from ..models import Topic, Work
from ..names import display_form
from .base import (
    MAX_YEAR,
    AuthorData,
    AuthorshipData,
    FieldError,
    InstitutionData,
    Obj,
    TopicData,
    VenueData,
    WorkData,
    arxiv_id_from_doi,
    email_domain_from_url,
    normalise_doi,
    normalise_orcid,
    normalise_ror,
    short_openalex_id,
)

_ARXIV_VERSION = re.compile(r"v\d+$")


def _openalex_id(obj: Obj, key: str, letter: str, *, required: bool) -> str:
    value = obj.text(key, required=required)
    if not value:
        return ""
    short = short_openalex_id(value)
    if not (short[:1] == letter and short[1:].isdigit()):
        raise FieldError(
            obj._path(key), f'expected an OpenAlex id starting with "{letter}", got "{value}"'
        )
    return short


def rebuild_abstract(index: Obj | None) -> str:
    """Plain text from OpenAlex's abstract_inverted_index ({word: [positions]})."""
    if index is None:
        return ""
    words: dict[int, str] = {}
    for word, positions in index.data.items():
        if not isinstance(positions, list):
            raise FieldError(index._path(word), "expected a list of word positions")
        words.update(dict.fromkeys(positions, word))
    try:
        order = sorted(words)
    except TypeError:
        order = None
    if order is None or (order and not (isinstance(order[0], int) and isinstance(order[-1], int))):
        raise FieldError(index.path, "expected whole-number word positions")
    return " ".join(words[position] for position in order)


def _institution(obj: Obj) -> InstitutionData | None:
    openalex_id = _openalex_id(obj, "id", "I", required=False)
    ror = normalise_ror(obj.text("ror"))
    if not (openalex_id or ror):
        return None
    homepage = obj.text("homepage_url")
    return InstitutionData(
        name=obj.text("display_name") or openalex_id or ror,
        openalex_id=openalex_id,
        ror=ror,
        country_code=obj.text("country_code").upper()[:2],
        type=obj.text("type"),
        homepage_url=homepage,
        email_domain=email_domain_from_url(homepage) if homepage else "",
    )


def _venue(work: Obj) -> VenueData | None:
    location = work.obj("primary_location")
    source = location.obj("source") if location else None
    if source is None:
        return None
    openalex_id = _openalex_id(source, "id", "S", required=False)
    name = source.text("display_name")
    if not name:
        return None
    return VenueData(
        name=name,
        openalex_id=openalex_id,
        issn_l=source.text("issn_l"),
        type=source.text("type"),
        publisher=source.text("host_organization_name"),
    )


def _topics(work: Obj) -> list[tuple[TopicData, float]]:
    topics = []
    for topic in work.objs("topics"):
        external_id = _openalex_id(topic, "id", "T", required=True)
        parts = {}
        for level in ("domain", "field", "subfield"):
            part = topic.obj(level)
            parts[level] = part.text("display_name") if part else ""
        topics.append(
            (
                TopicData(
                    scheme=Topic.Scheme.OPENALEX_TOPIC,
                    external_id=external_id,
                    name=topic.text("display_name", required=True),
                    **parts,
                ),
                topic.number("score") or 0.0,
            )
        )
    return topics


def _arxiv_id(work: Obj, doi: str) -> str:
    from_doi = arxiv_id_from_doi(doi)
    if from_doi:
        return from_doi
    for location in work.objs("locations"):
        url = location.text("landing_page_url")
        if "arxiv.org/abs/" in url:
            # Drop only a trailing version: old-style ids such as solv-int/9901001 hold a "v".
            return _ARXIV_VERSION.sub("", url.split("arxiv.org/abs/", 1)[1].strip("/"))
    return ""


def parse_work(record: Obj) -> WorkData:
    """One OpenAlex work object → WorkData (raises FieldError)."""
    openalex_id = _openalex_id(record, "id", "W", required=True)
    # Newer layouts carry both `title` and `display_name`, API list responses may carry only the
    # latter. A present but empty title is OpenAlex's own data (it has some) and is kept.
    if not (record.has("title") or record.has("display_name")):
        raise record.missing("title")
    title = record.text("title") or record.text("display_name")
    doi = normalise_doi(record.text("doi"))
    authorships = []
    for authorship in record.objs("authorships"):
        author = authorship.obj("author")
        if author is None:
            raise authorship.missing("author")
        display_name = author.text("display_name")
        raw_name = authorship.text("raw_author_name") or display_name
        if not (display_name or raw_name):
            raise author.missing("display_name")
        institutions = [
            institution
            for institution in map(_institution, authorship.objs("institutions"))
            if institution
        ]
        author_id = _openalex_id(author, "id", "A", required=False)
        if not author_id:
            display_name = display_form(display_name or raw_name)
        authorships.append(
            AuthorshipData(
                author=AuthorData(
                    display_name=display_name or raw_name,
                    openalex_id=author_id,
                    orcid=normalise_orcid(author.text("orcid")),
                    name_variants=[raw_name],
                ),
                raw_name=raw_name,
                institutions=institutions,
            )
        )
    return WorkData(
        title=title,
        openalex_id=openalex_id,
        doi=doi,
        arxiv_id=_arxiv_id(record, doi),
        abstract=rebuild_abstract(record.obj("abstract_inverted_index")),
        type=record.text("type") or Work.Type.OTHER,
        publication_year=record.integer("publication_year", maximum=MAX_YEAR),
        publication_date=record.date("publication_date"),
        venue=_venue(record),
        cited_by_count=record.integer("cited_by_count") or 0,
        language=record.text("language"),
        authorships=authorships,
        topics=_topics(record),
    )


def parse_author(record: Obj) -> AuthorData:
    """One OpenAlex author object → AuthorData with its current institution (raises FieldError).

    The current institution is the first of `last_known_institutions` (or the older layout's
    `last_known_institution`); none when the record lists none.
    """
    openalex_id = _openalex_id(record, "id", "A", required=True)
    if record.has("last_known_institutions"):
        known = record.objs("last_known_institutions")
    else:
        single = record.obj("last_known_institution")
        known = [single] if single else []
    current = next((i for i in map(_institution, known) if i), None)
    return AuthorData(
        display_name=record.text("display_name", required=True),
        openalex_id=openalex_id,
        orcid=normalise_orcid(record.text("orcid")),
        name_variants=record.texts("display_name_alternatives"),
        current_institution=current,
    )


def parse_institution(record: Obj) -> InstitutionData:
    """One OpenAlex institution object → InstitutionData (raises FieldError)."""
    _openalex_id(record, "id", "I", required=True)
    record.text("display_name", required=True)
    institution = _institution(record)
    assert institution is not None  # the id is required above
    return institution
