from django.dispatch import receiver

from works.models import Author
from works.signals import authors_refreshed

from .services import refresh_trust_scores


@receiver(authors_refreshed)
def _refresh_trust(sender, *, author_ids: list[int], **kwargs) -> None:
    refresh_trust_scores(Author.objects.filter(pk__in=author_ids))
