"""The demo world: the seed researcher and his two papers, from the project's own fixture."""

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import Author, Authorship, Institution, Source, Topic, Venue, Work, WorkTopic
from .names import name_key
from .services import refresh_author_stats

SEED_WORLD = Path(__file__).resolve().parent / "fixtures" / "seed_world.json"


def _find_author(display_name: str, now: datetime.datetime) -> Author:
    """Reuse a record with the same name key (an earlier demo load or an arXiv import)."""
    key = name_key(display_name)
    author = Author.objects.filter(name_key=key).order_by("pk").first()
    if author is None:
        author = Author.objects.create(
            display_name=display_name, name_key=key, source=Source.DEMO, imported_at=now
        )
    return author


def _world_state(arxiv_ids: list[str]) -> list[tuple]:
    """What the demo writes, as comparable values: works, ordered authorships, topics."""
    works = (
        Work.objects.filter(arxiv_id__in=arxiv_ids)
        .order_by("arxiv_id")
        .prefetch_related("authorships__institutions", "work_topics")
    )
    return [
        (
            work.arxiv_id,
            work.title,
            work.abstract,
            work.type,
            work.publication_year,
            work.publication_date,
            work.venue_id,
            work.author_count,
            [
                (a.position, a.author_id, a.raw_name, sorted(i.pk for i in a.institutions.all()))
                for a in work.authorships.all()
            ],
            sorted(link.topic_id for link in work.work_topics.all()),
        )
        for work in works
    ]


@transaction.atomic
def load_demo_world(path: Path = SEED_WORLD) -> Author:
    """Write the seed researcher's world; running it again reuses what is there.

    Creates or updates the institutions, arXiv-category topics, the arXiv venue, both works with
    their ordered authorships and PDF-header affiliations, and the co-authors; marks the seed
    researcher open to collaborate; then, only when the works changed, refreshes the derived
    figures of everyone on them (which bumps their data version and so rebuilds their graphs).
    Returns the seed researcher.
    """
    world = json.loads(path.read_text(encoding="utf-8"))
    arxiv_ids = [item["arxiv_id"] for item in world["works"]]
    before = _world_state(arxiv_ids)
    now = timezone.now()
    institutions = {}
    for item in world["institutions"]:
        institution = Institution.objects.filter(name=item["name"], openalex_id="").first()
        if institution is None:
            institution = Institution(source=Source.DEMO, imported_at=now)
        for field in ("name", "country_code", "type", "homepage_url"):
            setattr(institution, field, item[field])
        institution.save()
        institutions[item["key"]] = institution
    topics = {}
    for item in world["topics"]:
        topic, _ = Topic.objects.update_or_create(
            scheme=Topic.Scheme.ARXIV,
            external_id=item["external_id"],
            defaults={"name": item["name"], "field": item["field"]},
            create_defaults={
                "name": item["name"],
                "field": item["field"],
                "slug": slugify(item["name"])[:120],
                "source": Source.DEMO,
                "imported_at": now,
            },
        )
        topics[item["external_id"]] = topic
    touched: set[int] = set()
    for item in world["works"]:
        venue, _ = Venue.objects.get_or_create(
            name=item["venue"],
            openalex_id="",
            defaults={"source": Source.DEMO, "imported_at": now, "type": "repository"},
        )
        date = item["publication_date"]
        fields = {
            "title": item["title"],
            "abstract": item["abstract"],
            "type": item["type"],
            "publication_year": item["publication_year"],
            "publication_date": datetime.date.fromisoformat(date) if date else None,
            "venue": venue,
            "author_count": len(item["authors"]),
        }
        work, _ = Work.objects.update_or_create(
            arxiv_id=item["arxiv_id"],
            defaults=fields,
            create_defaults=fields | {"source": Source.DEMO, "imported_at": now},
        )
        work.authorships.all().delete()
        for position, (display_name, institution_key) in enumerate(item["authors"]):
            author = _find_author(display_name, now)
            authorship = Authorship.objects.create(
                work=work, author=author, position=position, raw_name=display_name
            )
            if institution_key:
                authorship.institutions.add(institutions[institution_key])
            touched.add(author.pk)
        WorkTopic.objects.filter(work=work).delete()
        WorkTopic.objects.bulk_create(
            WorkTopic(work=work, topic=topics[external_id], score=1.0)
            for external_id in item["topics"]
        )
    researcher = _find_author(world["researcher"]["display_name"], now)
    researcher.name_variants = sorted(
        set(researcher.name_variants) | set(world["researcher"]["name_variants"])
    )
    researcher.open_to_collaborate = world["researcher"]["open_to_collaborate"]
    researcher.save(update_fields=["name_variants", "open_to_collaborate", "updated_at"])
    if _world_state(arxiv_ids) != before:
        refresh_author_stats(touched)
    researcher.refresh_from_db()
    return researcher
