"""Reads for the profile, home and trust pages: a fixed number of queries whatever the data size."""

import json
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe

from works.forms import WorkListForm
from works.models import Author, Topic, Work
from works.selectors import attach_author_previews, sort_works, with_list_relations
from works.services import is_main_topic

from .trust import (
    VERIFICATION_LABELS,
    VERIFICATION_POINTS,
    TrustBreakdown,
    compute_trust,
    trust_for_author,
)

WORKS_PAGE_SIZE = 20
HOME_RESEARCHERS = 20
# How many of a researcher's topics the filter offers (most frequent first).
TOPIC_FILTER_LIMIT = 50
# The characters json_script escapes, so a JSON-LD block can never close its <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def visible_authors() -> QuerySet[Author]:
    """Authors a public page may show, with their current institution joined."""
    return Author.objects.visible().select_related("current_institution")


def top_researchers(limit: int = HOME_RESEARCHERS) -> list[Author]:
    """The home page's list: the visible researchers with the most works."""
    return list(visible_authors().order_by("-works_count", "display_name", "pk")[:limit])


def author_works(
    author: Author, *, sort: str = "year", work_type: str = "", topic_slug: str = ""
) -> QuerySet[Work]:
    """An author's works, sorted and filtered, with venue, ordered authors and topics prefetched."""
    works = Work.objects.filter(authorships__author=author)
    if work_type:
        works = works.filter(type=work_type)
    if topic_slug:
        works = works.filter(work_topics__topic__slug=topic_slug)
    return with_list_relations(sort_works(works, sort))


@dataclass(frozen=True)
class YearBar:
    year: int
    count: int
    x: int
    y: int
    height: int


@dataclass(frozen=True)
class WorkSummary:
    """One query's worth of facts about all of an author's works (not just the shown page)."""

    total: int
    per_year: tuple[tuple[int, int], ...]
    undated: int
    types: tuple[tuple[str, int], ...]

    @property
    def first_year(self) -> int | None:
        return self.per_year[0][0] if self.per_year else None

    @property
    def last_year(self) -> int | None:
        return self.per_year[-1][0] if self.per_year else None

    @property
    def bars(self) -> list[YearBar]:
        """Bars of a works-per-year chart, one per year from the first to the last (gaps at 0)."""
        if not self.per_year:
            return []
        counts = dict(self.per_year)
        peak = max(counts.values())
        bars = []
        for index, year in enumerate(range(self.first_year, self.last_year + 1)):
            count = counts.get(year, 0)
            height = max(2, round(40 * count / peak)) if count else 0
            bars.append(YearBar(year, count, index * 10, 40 - height, height))
        return bars

    @property
    def chart_width(self) -> int:
        return max(10, len(self.bars) * 10)

    @property
    def chart_pixels(self) -> int:
        """The chart's natural width: 18px a year, at least 90px (CSS caps it at the column)."""
        return max(90, len(self.bars) * 18)


def summarise_works(author: Author) -> WorkSummary:
    """Counts of the author's works by year and by type (one grouped query)."""
    rows = (
        Work.objects.filter(authorships__author=author)
        .order_by()
        .values_list("publication_year", "type")
        .annotate(n=Count("id"))
    )
    years: dict[int, int] = defaultdict(int)
    types: dict[str, int] = defaultdict(int)
    undated = total = 0
    for year, work_type, n in rows:
        total += n
        types[work_type] += n
        if year is None:
            undated += n
        else:
            years[year] += n
    return WorkSummary(
        total=total,
        per_year=tuple(sorted(years.items())),
        undated=undated,
        types=tuple(sorted(types.items(), key=lambda item: (-item[1], item[0]))),
    )


def author_topics(author: Author, *, limit: int = TOPIC_FILTER_LIMIT) -> list[Topic]:
    """The author's topics, most frequent first, each with `author_works`: how many of theirs."""
    return list(
        Topic.objects.filter(work_topics__work__authorships__author=author)
        .annotate(author_works=Count("work_topics"))
        .order_by("-author_works", "name", "pk")[:limit]
    )


def main_topics(topics: list[Topic], works: int) -> list[Topic]:
    """DESIGN.md's topics of a researcher: those on at least a quarter of their works."""
    return [topic for topic in topics if is_main_topic(topic.author_works, works)]


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def summary_sentence(author: Author, summary: WorkSummary, topics: list[Topic]) -> str:
    """A one-line, true summary of the record for authors without a bio.

    "Author of 2 works (2020–2021) on Machine Learning and Information Retrieval."
    """
    if summary.total == 0:
        return f"{author.display_name} has no works in the open record yet."
    noun = "work" if summary.total == 1 else "works"
    sentence = f"Author of {summary.total} {noun}"
    if summary.first_year is not None:
        if summary.first_year == summary.last_year:
            sentence += f" ({summary.first_year})"
        else:
            sentence += f" ({summary.first_year}–{summary.last_year})"
    names = [topic.name for topic in main_topics(topics, summary.total)[:3]]
    if names:
        sentence += " on " + _join_names(names)
    return sentence + "."


QUICK_READS = {
    0: "Entered without a work from an open source, and nobody has verified it.",
    1: "Built from open bibliographic metadata; nobody has claimed this record yet.",
    2: "Claimed by an account with a verified e-mail and approved by a moderator.",
    3: "Claimed and proven by ORCID, an institutional e-mail address or strong evidence.",
}


def quick_read(author: Author, trust) -> str:
    """A plain-language sentence on what the trust snapshot means for this record."""
    main = max(trust.parts, key=lambda part: (part.points, part.key == "verification"))
    return (
        f"{QUICK_READS[author.verification_level]} "
        f"Its trust score of {trust.score} out of 100 comes mostly from {main.label.lower()}."
    )


@dataclass(frozen=True)
class BarSegment:
    key: str
    label: str
    points: float
    x: float
    width: float


def trust_segments(trust) -> list[BarSegment]:
    """The trust breakdown as segments of a 0–100 stacked bar (parts with no points left out)."""
    segments, x = [], 0.0
    for part in trust.parts:
        if part.points <= 0:
            continue
        segments.append(BarSegment(part.key, part.label, part.points, round(x, 2), part.points))
        x += part.points
    return segments


def profile_json_ld(author: Author, *, url: str, description: str) -> SafeString:
    """Schema.org ProfilePage/Person data, escaped like json_script for a <script> element."""
    person: dict = {"@type": "Person", "name": author.display_name, "url": url}
    if description:
        person["description"] = description
    if author.current_institution is not None:
        person["affiliation"] = {
            "@type": "Organization",
            "name": author.current_institution.name,
        }
    same_as = []
    if author.orcid:
        same_as.append(f"https://orcid.org/{author.orcid}")
    if author.openalex_id:
        same_as.append(f"https://openalex.org/{author.openalex_id}")
    if same_as:
        person["sameAs"] = same_as
    if author.name_variants:
        person["alternateName"] = list(author.name_variants)
    data = {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "dateModified": author.updated_at,
        "mainEntity": person,
    }
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped above


def profile_page(author: Author, params: QueryDict) -> dict:
    """Everything the profile template shows for `author`, with the works list sorted, filtered
    and paginated by the GET parameters (sort, type, topic, page): a fixed number of queries."""
    summary = summarise_works(author)
    topics = author_topics(author)
    form = WorkListForm(params or None, types=list(summary.types), topics=topics)
    chosen = form.selections()
    works = author_works(
        author, sort=chosen["sort"], work_type=chosen["type"], topic_slug=chosen["topic"]
    )
    page_obj = Paginator(works, WORKS_PAGE_SIZE).get_page(params.get("page"))
    trust = trust_for_author(author)
    description = author.bio or summary_sentence(author, summary, topics)
    canonical_url = settings.SITE_URL + author.get_absolute_url()
    return {
        "author": author,
        "description": description,
        "canonical_url": canonical_url,
        "json_ld": profile_json_ld(author, url=canonical_url, description=description),
        "trust": trust,
        "trust_total": sum(part.points for part in trust.parts),
        "trust_segments": trust_segments(trust),
        "quick_read": quick_read(author, trust),
        "summary": summary,
        "form": form,
        "is_filtered": form.is_filtered,
        "page_obj": page_obj,
        "works": attach_author_previews(page_obj.object_list, ego_id=author.pk),
    }


# DESIGN.md's verification levels, in words, for the published formula.
LEVEL_MEANINGS = {
    0: "A record with no work from an open source (created by hand, or emptied by a split).",
    1: "Built from open bibliographic metadata (OpenAlex, arXiv, Semantic Scholar); "
    "nobody has claimed it.",
    2: "Claimed by an account with a verified e-mail and approved by a moderator.",
    3: "Claim proven without a moderator (the account's ORCID iD from ORCID sign-in equals the "
    "record's, or a verified e-mail at the record's institution's domain), or by a moderator "
    "who checked strong evidence.",
}


def verification_levels() -> list[dict]:
    """The published formula's table: each level's points, label and meaning."""
    return [
        {
            "level": level,
            "points": points,
            "label": VERIFICATION_LABELS[level],
            "meaning": LEVEL_MEANINGS[level],
        }
        for level, points in VERIFICATION_POINTS.items()
    ]


def seed_example_trust() -> TrustBreakdown:
    """The worked example on /trust/: the seed researcher's inputs (L1, 2 works, 5 close
    collaborators, none verified, no followers, ORCID or institution)."""
    return compute_trust(
        verification_level=1,
        works=2,
        close_collaborators=5,
        verified_collaborators=0,
        followers=0,
        has_orcid=False,
        has_institution=False,
    )
