"""The scholarly record: works, the public author records, and what they link to.

Every imported row carries provenance (`source`, `imported_at`, `synthetic`). Derived figures on
Author (counts, verification level, trust, data version) are written in bulk by
`works.services.refresh_author_stats` after an import, never per row.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify


class Source(models.TextChoices):
    OPENALEX = "openalex", "OpenAlex"
    ARXIV = "arxiv", "arXiv"
    SEMANTIC_SCHOLAR = "s2", "Semantic Scholar"
    DEMO = "demo", "BZPEER demo data"
    SYNTHETIC = "synthetic", "BZPEER synthetic data"
    MANUAL = "manual", "Entered by hand"


class Provenance(models.Model):
    source = models.CharField(max_length=16, choices=Source.choices)
    imported_at = models.DateTimeField()
    synthetic = models.BooleanField(default=False)

    class Meta:
        abstract = True


def _unique_when_set(field: str, model: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=[field], condition=~Q(**{field: ""}), name=f"{model}_{field}_unique"
    )


class Institution(Provenance):
    name = models.CharField(max_length=500)
    openalex_id = models.CharField(max_length=32, blank=True, default="")
    ror = models.CharField(max_length=64, blank=True, default="", help_text="e.g. 05290cv24")
    country_code = models.CharField(max_length=2, blank=True, default="")
    type = models.CharField(max_length=64, blank=True, default="")
    homepage_url = models.URLField(max_length=500, blank=True, default="")
    email_domain = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [
            _unique_when_set("openalex_id", "institution"),
            _unique_when_set("ror", "institution"),
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("works:institution", args=[self.pk])


class Topic(Provenance):
    class Scheme(models.TextChoices):
        OPENALEX_TOPIC = "openalex_topic", "OpenAlex topic"
        OPENALEX_CONCEPT = "openalex_concept", "OpenAlex concept"
        ARXIV = "arxiv", "arXiv category"
        S2_FIELD = "s2_field", "Semantic Scholar field of study"

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    scheme = models.CharField(max_length=20, choices=Scheme.choices)
    external_id = models.CharField(max_length=64, help_text="T11636, cs.LG, Computer Science")
    domain = models.CharField(max_length=200, blank=True, default="")
    field = models.CharField(max_length=200, blank=True, default="")
    subfield = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "external_id"], name="topic_scheme_id_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("works:topic", args=[self.slug])


class Venue(Provenance):
    name = models.CharField(max_length=500)
    openalex_id = models.CharField(max_length=32, blank=True, default="")
    issn_l = models.CharField(max_length=16, blank=True, default="")
    type = models.CharField(max_length=64, blank=True, default="")
    publisher = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        constraints = [
            _unique_when_set("openalex_id", "venue"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(openalex_id=""), name="venue_name_unique_without_id"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AuthorQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(suppressed=False)


class Author(Provenance):
    """The public author record: one researcher as the open record knows them."""

    class Verification(models.IntegerChoices):
        L0 = 0, "L0"
        L1 = 1, "L1"
        L2 = 2, "L2"
        L3 = 3, "L3"

    display_name = models.CharField(max_length=300)
    name_variants = models.JSONField(default=list, blank=True)
    name_key = models.CharField(
        max_length=300, db_index=True, help_text="Normalised name used to match arXiv authors."
    )
    openalex_id = models.CharField(max_length=32, blank=True, default="")
    orcid = models.CharField(max_length=19, blank=True, default="", help_text="0000-0002-1825-0097")
    s2_id = models.CharField(max_length=32, blank=True, default="")
    bio = models.TextField(blank=True, default="")
    current_institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    open_to_collaborate = models.BooleanField(default=False)
    suppressed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Derived figures, refreshed in bulk by works.services.refresh_author_stats.
    works_count = models.PositiveIntegerField(default=0)
    topics_count = models.PositiveIntegerField(default=0)
    close_collaborators_count = models.PositiveIntegerField(default=0)
    verified_collaborators_count = models.PositiveIntegerField(
        default=0, help_text="Close collaborators at verification level L2 or L3."
    )
    followers_count = models.PositiveIntegerField(default=0)
    verification_level = models.PositiveSmallIntegerField(
        choices=Verification.choices, default=Verification.L0
    )
    claimed = models.BooleanField(default=False)
    trust_score = models.PositiveSmallIntegerField(default=0)
    data_version = models.PositiveIntegerField(
        default=1, help_text="Bumped by every change to this researcher's record or neighbourhood."
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        constraints = [
            _unique_when_set("openalex_id", "author"),
            _unique_when_set("orcid", "author"),
            _unique_when_set("s2_id", "author"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("profiles:profile", args=[self.slug, self.pk])

    @property
    def slug(self) -> str:
        return slugify(self.display_name) or "researcher"


UNTITLED = "Untitled work"


class WorkQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by(
            models.F("publication_year").desc(nulls_last=True),
            models.F("publication_date").desc(nulls_last=True),
            "-id",
        )


class Work(Provenance):
    class Type(models.TextChoices):
        ARTICLE = "article", "article"
        PREPRINT = "preprint", "preprint"
        BOOK = "book", "book"
        BOOK_CHAPTER = "book-chapter", "book chapter"
        DATASET = "dataset", "dataset"
        DISSERTATION = "dissertation", "dissertation"
        REVIEW = "review", "review"
        OTHER = "other", "other"

    title = models.TextField()
    abstract = models.TextField(blank=True, default="")
    type = models.CharField(max_length=32, default=Type.ARTICLE)
    publication_year = models.PositiveSmallIntegerField(null=True, blank=True)
    publication_date = models.DateField(null=True, blank=True)
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.SET_NULL, related_name="works"
    )
    doi = models.CharField(max_length=255, blank=True, default="", help_text="10.1016/j.joi…")
    arxiv_id = models.CharField(max_length=32, blank=True, default="")
    openalex_id = models.CharField(max_length=32, blank=True, default="")
    s2_id = models.CharField(max_length=64, blank=True, default="")
    cited_by_count = models.PositiveIntegerField(default=0)
    language = models.CharField(max_length=16, blank=True, default="")
    author_count = models.PositiveIntegerField(
        default=0, help_text="Authors on the work as imported (for Newman's weighting)."
    )
    authors = models.ManyToManyField(Author, through="Authorship", related_name="works")
    topics = models.ManyToManyField(Topic, through="WorkTopic", related_name="works")

    objects = WorkQuerySet.as_manager()

    class Meta:
        constraints = [
            _unique_when_set("doi", "work"),
            _unique_when_set("arxiv_id", "work"),
            _unique_when_set("openalex_id", "work"),
            _unique_when_set("s2_id", "work"),
        ]
        indexes = [models.Index(fields=["-publication_year", "-cited_by_count"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("works:work", args=[self.pk])

    @property
    def display_title(self) -> str:
        """The title, or a stand-in where the source gives an empty one (OpenAlex has some)."""
        return self.title.strip() or UNTITLED


class Authorship(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="authorships")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="authorships")
    position = models.PositiveIntegerField(help_text="0 for the first author.")
    raw_name = models.CharField(max_length=300, help_text="The name as printed on the work.")
    institutions = models.ManyToManyField(Institution, blank=True, related_name="authorships")

    class Meta:
        ordering = ["work", "position"]
        constraints = [
            models.UniqueConstraint(fields=["work", "position"], name="authorship_position_unique"),
            models.UniqueConstraint(fields=["work", "author"], name="authorship_author_unique"),
        ]
        indexes = [models.Index(fields=["author", "work"])]

    def __str__(self) -> str:
        return f"{self.raw_name} on {self.work_id}"


class WorkTopic(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="work_topics")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="work_topics")
    score = models.FloatField(default=1.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "topic"], name="worktopic_unique"),
        ]
        indexes = [models.Index(fields=["topic", "work"])]

    def __str__(self) -> str:
        return f"{self.topic_id} on {self.work_id}"
