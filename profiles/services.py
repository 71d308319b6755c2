"""What people do with a record: trust, follows, collaboration."""

from django.db.models import QuerySet

from works.bulk import update_rows
from works.models import Author

from .trust import trust_for_author


def refresh_trust_scores(authors: QuerySet[Author]) -> int:
    """Store each author's trust score from their stored counts (one read, one bulk write)."""
    changed = []
    for author in authors.only(
        "pk",
        "trust_score",
        "verification_level",
        "works_count",
        "close_collaborators_count",
        "verified_collaborators_count",
        "followers_count",
        "orcid",
        "current_institution_id",
    ).iterator(chunk_size=2000):
        score = trust_for_author(author).score
        if score != author.trust_score:
            author.trust_score = score
            changed.append(author)
    update_rows(Author, ["trust_score"], [(a.pk, a.trust_score) for a in changed])
    return len(changed)
