"""Reusable reads of the scholarly record for the work, topic, institution and search pages."""

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast, Greatest, Lower

from .models import Author, Authorship, Institution, Topic, Work, WorkTopic

PAGE_SIZE = 20
SEARCH_LIMIT = 20
# Word similarity at which a name counts as a match ("zhou" in "Eric Zhou" is 1.0).
NAME_SIMILARITY = 0.5
WORK_SORTS = {
    "year": "Newest first",
    "citations": "Most cited",
    "title": "Title A–Z",
}


def sort_works(works: QuerySet[Work], sort: str) -> QuerySet[Work]:
    """Order works by one of WORK_SORTS (newest first for anything else)."""
    if sort == "citations":
        return works.order_by("-cited_by_count", F("publication_year").desc(nulls_last=True), "-id")
    if sort == "title":
        return works.order_by(Lower("title"), "id")
    return works.newest_first()


def with_list_relations(works: QuerySet[Work]) -> QuerySet[Work]:
    """Join the venue and prefetch ordered authorships and topics: three queries for any page."""
    return works.select_related("venue").prefetch_related(
        Prefetch(
            "authorships",
            queryset=Authorship.objects.select_related("author").order_by("position"),
        ),
        Prefetch(
            "work_topics",
            queryset=WorkTopic.objects.select_related("topic").order_by("-score", "topic__name"),
        ),
    )


def get_work_detail(work_id: int) -> Work | None:
    """A work with everything its page shows: venue, authors in order with their institutions."""
    return (
        Work.objects.select_related("venue")
        .prefetch_related(
            Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("author")
                .prefetch_related("institutions")
                .order_by("position"),
            ),
            Prefetch(
                "work_topics",
                queryset=WorkTopic.objects.select_related("topic").order_by(
                    "-score", "topic__name"
                ),
            ),
        )
        .filter(pk=work_id)
        .first()
    )


def topic_works(topic: Topic) -> QuerySet[Work]:
    return with_list_relations(Work.objects.filter(work_topics__topic=topic).newest_first())


def topic_researchers(topic: Topic, *, limit: int = PAGE_SIZE) -> list[Author]:
    """The visible researchers with most works on this topic, annotated with `topic_works`."""
    return list(
        Author.objects.visible()
        .filter(authorships__work__work_topics__topic=topic)
        .annotate(topic_works=Count("authorships__work", distinct=True))
        .select_related("current_institution")
        .order_by("-topic_works", "-works_count", "display_name", "pk")[:limit]
    )


def institution_works(institution: Institution) -> QuerySet[Work]:
    """Works with an author affiliated with the institution at the time (from authorships)."""
    ids = Authorship.objects.filter(institutions=institution).values("work_id")
    return with_list_relations(Work.objects.filter(pk__in=ids).newest_first())


def institution_researchers(institution: Institution, *, limit: int = PAGE_SIZE) -> list[Author]:
    """Visible researchers affiliated on their works or now, with `institution_works` counted."""
    return list(
        Author.objects.visible()
        .filter(Q(authorships__institutions=institution) | Q(current_institution=institution))
        .annotate(
            institution_works=Count(
                "authorships__work",
                filter=Q(authorships__institutions=institution),
                distinct=True,
            )
        )
        .select_related("current_institution")
        .order_by("-institution_works", "-works_count", "display_name", "pk")[:limit]
    )


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def search_researchers(query: str, *, limit: int = SEARCH_LIMIT) -> list[Author]:
    """Visible researchers whose name or a name variant matches, best match first.

    PostgreSQL: trigram word similarity (pg_trgm), so "zhou" and "Erik Zhou" find Eric Zhou. The
    `%>` operator lets the trigram indexes (works migration 0003) find the candidates instead of
    scoring every researcher; its threshold, pg_trgm.word_similarity_threshold, is set to
    NAME_SIMILARITY on every connection (settings.DATABASES). SQLite: containment.
    """
    authors = Author.objects.visible().select_related("current_institution")
    variants = Cast("name_variants", output_field=TextField())
    if _on_postgresql():
        return list(
            authors.annotate(
                variants_text=variants,
                similarity=Greatest(
                    TrigramWordSimilarity(query, "display_name"),
                    TrigramWordSimilarity(query, variants),
                ),
            )
            .filter(
                Q(display_name__trigram_word_similar=query)
                | Q(variants_text__trigram_word_similar=query)
            )
            .order_by("-similarity", "-works_count", "display_name", "pk")[:limit]
        )
    return list(
        authors.annotate(variants_text=variants)
        .filter(Q(display_name__icontains=query) | Q(variants_text__icontains=query))
        .order_by("-works_count", "display_name", "pk")[:limit]
    )


def search_works(query: str, *, limit: int = SEARCH_LIMIT) -> list[Work]:
    """Works whose title matches: PostgreSQL full-text search ranked, SQLite containment."""
    works = Work.objects.all()
    if _on_postgresql():
        search_query = SearchQuery(query, search_type="websearch", config="english")
        vector = SearchVector("title", config="english")
        works = (
            works.annotate(document=vector, rank=SearchRank(vector, search_query))
            .filter(document=search_query)
            .order_by("-rank", "-cited_by_count", "-id")
        )
    else:
        works = works.filter(title__icontains=query).newest_first()
    return list(with_list_relations(works)[:limit])


def attach_author_previews(works, *, ego_id: int | None = None, limit: int = 6) -> list[Work]:
    """Give each work `author_preview` (its first authorships), `author_preview_later` (the
    ego's authorship when it comes after those) and `authors_hidden` (how many are left out).

    Reads the prefetched authorships only: no queries.
    """
    works = list(works)
    for work in works:
        authorships = list(work.authorships.all())
        preview = authorships[:limit]
        later = []
        if ego_id is not None and all(a.author_id != ego_id for a in preview):
            later = [a for a in authorships[limit:] if a.author_id == ego_id]
        work.author_preview = preview
        work.author_preview_later = later
        work.authors_hidden = max(len(authorships), work.author_count) - len(preview) - len(later)
    return works
