"""factory_boy factories for the scholarly record. No surprises: every row is plain and explicit."""

import factory
from django.utils import timezone

from works.models import Author, Authorship, Institution, Source, Topic, Venue, Work, WorkTopic


class ProvenanceFactory(factory.django.DjangoModelFactory):
    source = Source.OPENALEX
    imported_at = factory.LazyFunction(timezone.now)
    synthetic = False


class InstitutionFactory(ProvenanceFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institute {n}")
    country_code = "GB"
    type = "education"


class TopicFactory(ProvenanceFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    scheme = Topic.Scheme.ARXIV
    external_id = factory.Sequence(lambda n: f"cs.T{n}")


class VenueFactory(ProvenanceFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Journal {n}")


class AuthorFactory(ProvenanceFactory):
    class Meta:
        model = Author

    display_name = factory.Sequence(lambda n: f"Researcher {n}")
    name_key = factory.LazyAttribute(lambda o: o.display_name.lower())
    verification_level = Author.Verification.L1


class WorkFactory(ProvenanceFactory):
    class Meta:
        model = Work

    title = factory.Sequence(lambda n: f"Work number {n}")
    type = Work.Type.ARTICLE
    publication_year = 2020


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorship

    work = factory.SubFactory(WorkFactory)
    author = factory.SubFactory(AuthorFactory)
    position = 0
    raw_name = factory.LazyAttribute(lambda o: o.author.display_name)


class WorkTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkTopic

    work = factory.SubFactory(WorkFactory)
    topic = factory.SubFactory(TopicFactory)
    score = 1.0


def make_work(authors: list[Author], **fields) -> Work:
    """A work with these authors in order; author_count set to match, as importers do."""
    work = WorkFactory(author_count=len(authors), **fields)
    for position, author in enumerate(authors):
        AuthorshipFactory(work=work, author=author, position=position)
    return work
