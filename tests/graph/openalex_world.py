"""Load the shared OpenAlex sample into the test database, and read the same facts from the file.

The loader mirrors what an importer stores (authors by OpenAlex id, one authorship per author
per work, author_count = the authorships listed, institutions per authorship, topics); the
expected values are computed straight from the JSON, without the database.
"""

import json
from collections import defaultdict
from pathlib import Path

from django.utils import timezone
from django.utils.text import slugify

from works.models import Author, Authorship, Institution, Source, Topic, Work, WorkTopic


def read_works(data_dir: Path) -> list[dict]:
    text = (data_dir / "openalex" / "works.jsonl").read_bytes().decode("utf-8")
    return [json.loads(line) for line in text.split("\n") if line.strip()]


def _short(openalex_url: str) -> str:
    return openalex_url.rsplit("/", 1)[-1]


def author_ids_of(work: dict) -> list[str]:
    """The work's distinct author ids in order (an id listed twice counts once)."""
    seen: list[str] = []
    for authorship in work.get("authorships") or []:
        author_id = (authorship.get("author") or {}).get("id")
        if author_id and _short(author_id) not in seen:
            seen.append(_short(author_id))
    return seen


def expected_coauthors(works: list[dict], openalex_id: str) -> set[str]:
    """OpenAlex ids of everyone who shares a work with this author, from the file alone."""
    coauthors: set[str] = set()
    for work in works:
        ids = author_ids_of(work)
        if openalex_id in ids and len(ids) > 1:
            coauthors.update(ids)
    coauthors.discard(openalex_id)
    return coauthors


def load_openalex_world(data_dir: Path) -> dict[str, Author]:
    """Write every work of the sample with its authors, institutions and topics; returns the
    authors by OpenAlex id."""
    works = read_works(data_dir)
    now = timezone.now()
    provenance = {"source": Source.OPENALEX, "imported_at": now, "synthetic": False}
    authors: dict[str, Author] = {}
    institutions: dict[str, Institution] = {}
    topics: dict[str, Topic] = {}
    for work in works:
        for authorship in work.get("authorships") or []:
            author = authorship.get("author") or {}
            if author.get("id") and _short(author["id"]) not in authors:
                name = author.get("display_name") or _short(author["id"])
                authors[_short(author["id"])] = Author(
                    display_name=name,
                    name_key=name.lower(),
                    openalex_id=_short(author["id"]),
                    verification_level=Author.Verification.L1,
                    **provenance,
                )
            for institution in authorship.get("institutions") or []:
                if institution.get("id") and _short(institution["id"]) not in institutions:
                    institutions[_short(institution["id"])] = Institution(
                        name=institution.get("display_name") or _short(institution["id"]),
                        openalex_id=_short(institution["id"]),
                        **provenance,
                    )
        for topic in work.get("topics") or []:
            if _short(topic["id"]) not in topics:
                topics[_short(topic["id"])] = Topic(
                    name=topic["display_name"],
                    slug=f"{slugify(topic['display_name'])[:100]}-{_short(topic['id']).lower()}",
                    scheme=Topic.Scheme.OPENALEX_TOPIC,
                    external_id=_short(topic["id"]),
                    **provenance,
                )
    Author.objects.bulk_create(authors.values())
    Institution.objects.bulk_create(institutions.values())
    Topic.objects.bulk_create(topics.values())
    work_rows = []
    for work in works:
        work_rows.append(
            Work(
                title=work.get("display_name") or work.get("title") or _short(work["id"]),
                openalex_id=_short(work["id"]),
                publication_year=work.get("publication_year"),
                cited_by_count=work.get("cited_by_count") or 0,
                author_count=len(author_ids_of(work)),
                **provenance,
            )
        )
    Work.objects.bulk_create(work_rows)
    authorships, links, work_topics = [], defaultdict(list), []
    for work, row in zip(works, work_rows, strict=True):
        listed = {}
        for authorship in work.get("authorships") or []:
            author_id = _short((authorship.get("author") or {}).get("id") or "")
            if author_id in authors and author_id not in listed:
                listed[author_id] = Authorship(
                    work=row,
                    author=authors[author_id],
                    position=len(listed),
                    raw_name=authorship.get("raw_author_name") or authors[author_id].display_name,
                )
                authorships.append(listed[author_id])
                for institution in authorship.get("institutions") or []:
                    if institution.get("id"):
                        links[len(authorships) - 1].append(institutions[_short(institution["id"])])
        for topic_id in dict.fromkeys(_short(topic["id"]) for topic in work.get("topics") or []):
            work_topics.append(WorkTopic(work=row, topic=topics[topic_id]))
    Authorship.objects.bulk_create(authorships)
    through = Authorship.institutions.through
    through.objects.bulk_create(
        [
            through(authorship_id=authorships[index].pk, institution_id=institution.pk)
            for index, linked in links.items()
            for institution in dict.fromkeys(linked)
        ]
    )
    WorkTopic.objects.bulk_create(work_topics)
    return authors
