"""Reads for the research graph: the bounded neighbourhood queries and the drawing of a slice.

Every query here is capped: the ego's works (newest, then most cited), the co-authors on those
works, their topics and institutions, and for depth 2 the strongest ties of the strongest
co-authors within their latest recorded works. Nothing reads the whole co-authorship graph.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection

from works.models import UNTITLED, Author, Authorship, Institution, Topic
from works.services import is_main_topic

from .models import GraphSlice
from .params import SliceParams

# Caps: a researcher with thousands of works or co-authors costs no more than these allow.
WORK_CAP = 200
COAUTHOR_CAP = 300
DEPTH2_SEEDS = 10
DEPTH2_WORK_CAP = 50
DEPTH2_TIES = 8


@dataclass
class WorkRow:
    pk: int
    title: str
    year: int | None
    cited_by_count: int

    @property
    def display_title(self) -> str:
        return self.title.strip() or UNTITLED


@dataclass
class Tie:
    pk: int
    strength: float
    shared: int


@dataclass
class Neighbourhood:
    """The candidate nodes and links around one researcher, before ranking."""

    ego: Author
    works: list[WorkRow] = field(default_factory=list)
    coauthors: list[Tie] = field(default_factory=list)
    # (work_id, author_id) for co-authors in `coauthors` on the ego's works
    coauthor_links: list[tuple[int, int]] = field(default_factory=list)
    # (work_id, topic_id) for the main topics only; topic_id -> works carrying it
    topic_links: list[tuple[int, int]] = field(default_factory=list)
    topic_works: dict[int, int] = field(default_factory=dict)
    institution_works: dict[int, int] = field(default_factory=dict)
    # seed author_id -> that co-author's strongest ties
    second_ties: dict[int, list[Tie]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    topics: dict[int, Topic] = field(default_factory=dict)
    institutions: dict[int, Institution] = field(default_factory=dict)


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _year_filter(params: SliceParams) -> tuple[str, list]:
    clauses, values = [], []
    if params.year_from is not None:
        clauses.append("AND w.publication_year >= %s")
        values.append(params.year_from)
    if params.year_to is not None:
        clauses.append("AND w.publication_year <= %s")
        values.append(params.year_to)
    return " ".join(clauses), values


def select_recent_works(author_id: int, params: SliceParams, *, limit: int) -> list[WorkRow]:
    """The author's works, newest first, then most cited, then id; at most `limit`."""
    years, year_values = _year_filter(params)
    rows = _fetch(
        f"""
        SELECT w.id, w.title, w.publication_year, w.cited_by_count
        FROM works_authorship a JOIN works_work w ON w.id = a.work_id
        WHERE a.author_id = %s {years}
        ORDER BY w.publication_year DESC NULLS LAST, w.cited_by_count DESC, w.id DESC
        LIMIT %s
        """,  # noqa: S608 (only %s placeholders are interpolated)
        [author_id, *year_values, limit],
    )
    return [WorkRow(pk, title, year, cited) for pk, title, year, cited in rows]


def select_latest_work_ids(author_id: int, params: SliceParams, *, limit: int) -> list[int]:
    """The author's most recently recorded works (highest ids first), at most `limit`.

    Walks the (author, work) index backwards instead of sorting every work by year, so a
    co-author with thousands of works costs no more than one with fifty (used for depth 2).
    """
    years, year_values = _year_filter(params)
    rows = _fetch(
        f"""
        SELECT a.work_id
        FROM works_authorship a JOIN works_work w ON w.id = a.work_id
        WHERE a.author_id = %s {years}
        ORDER BY a.work_id DESC
        LIMIT %s
        """,  # noqa: S608 (only %s placeholders are interpolated)
        [author_id, *year_values, limit],
    )
    return [work_id for (work_id,) in rows]


def select_strongest_ties(
    author_id: int, work_ids: list[int], *, min_shared: int, limit: int
) -> list[Tie]:
    """Co-authors of `author_id` on these works with Newman strength, strongest first.

    Strength is the sum over shared works of 1 / (author_count - 1), the definition
    works.services uses for close collaborators, restricted to the given (capped) works.
    """
    if not work_ids:
        return []
    rows = _fetch(
        f"""
        SELECT b.author_id, SUM(1.0 / (w.author_count - 1)) AS strength, COUNT(*) AS shared
        FROM works_authorship b JOIN works_work w ON w.id = b.work_id
        WHERE b.work_id IN ({_placeholders(work_ids)}) AND b.author_id <> %s
          AND w.author_count > 1
        GROUP BY b.author_id
        HAVING COUNT(*) >= %s
        ORDER BY strength DESC, b.author_id
        LIMIT %s
        """,  # noqa: S608
        [*work_ids, author_id, min_shared, limit],
    )
    return [Tie(pk, float(strength), shared) for pk, strength, shared in rows]


def select_neighbourhood(author: Author, params: SliceParams) -> Neighbourhood:
    """Every candidate for the author's slice, read with a bounded number of capped queries."""
    hood = Neighbourhood(ego=author)
    hood.works = select_recent_works(author.pk, params, limit=WORK_CAP)
    work_ids = [work.pk for work in hood.works]
    hood.coauthors = select_strongest_ties(
        author.pk, work_ids, min_shared=params.min_shared, limit=COAUTHOR_CAP
    )
    if work_ids and hood.coauthors:
        coauthor_ids = [tie.pk for tie in hood.coauthors]
        hood.coauthor_links = _fetch(
            f"""
            SELECT work_id, author_id FROM works_authorship
            WHERE work_id IN ({_placeholders(work_ids)})
              AND author_id IN ({_placeholders(coauthor_ids)})
            ORDER BY work_id, author_id
            """,  # noqa: S608
            [*work_ids, *coauthor_ids],
        )
    if work_ids:
        topic_links = _fetch(
            f"""
            SELECT work_id, topic_id FROM works_worktopic
            WHERE work_id IN ({_placeholders(work_ids)}) ORDER BY work_id, topic_id
            """,  # noqa: S608
            work_ids,
        )
        counts = Counter(topic_id for _work_id, topic_id in topic_links)
        hood.topic_works = {
            topic_id: count
            for topic_id, count in sorted(counts.items())
            if is_main_topic(count, len(work_ids))
        }
        hood.topic_links = [link for link in topic_links if link[1] in hood.topic_works]
        through = Authorship.institutions.through._meta.db_table
        institution_rows = _fetch(
            f"""
            SELECT ai.institution_id, COUNT(DISTINCT a.work_id)
            FROM works_authorship a JOIN {through} ai ON ai.authorship_id = a.id
            WHERE a.author_id = %s AND a.work_id IN ({_placeholders(work_ids)})
            GROUP BY ai.institution_id ORDER BY ai.institution_id
            """,  # noqa: S608
            [author.pk, *work_ids],
        )
        hood.institution_works = dict(institution_rows)
    if params.depth >= 2:
        for seed in hood.coauthors[:DEPTH2_SEEDS]:
            ties = select_strongest_ties(
                seed.pk,
                select_latest_work_ids(seed.pk, params, limit=DEPTH2_WORK_CAP),
                min_shared=params.min_shared,
                limit=DEPTH2_TIES + 1,
            )
            hood.second_ties[seed.pk] = [tie for tie in ties if tie.pk != author.pk][:DEPTH2_TIES]
    author_ids = {tie.pk for tie in hood.coauthors}
    for ties in hood.second_ties.values():
        author_ids.update(tie.pk for tie in ties)
    hood.names = dict(
        Author.objects.visible().filter(pk__in=author_ids).values_list("pk", "display_name")
    )
    # A suppressed record is not shown or linked anywhere: it leaves the slice with its links.
    if len(hood.names) < len(author_ids):
        hood.coauthors = [tie for tie in hood.coauthors if tie.pk in hood.names]
        hood.coauthor_links = [link for link in hood.coauthor_links if link[1] in hood.names]
        hood.second_ties = {
            seed: [tie for tie in ties if tie.pk in hood.names]
            for seed, ties in hood.second_ties.items()
            if seed in hood.names
        }
    hood.topics = Topic.objects.in_bulk(list(hood.topic_works))
    hood.institutions = Institution.objects.in_bulk(list(hood.institution_works))
    return hood


def select_latest_ready_slice(author: Author, params_key: str) -> GraphSlice | None:
    """The newest ready slice of these parameters, whatever its data version."""
    return (
        GraphSlice.objects.for_params(author, params_key).ready().order_by("-data_version").first()
    )


# --- Drawing --------------------------------------------------------------------------------

TYPE_LABELS = {
    "author": ("Person", "People"),
    "work": ("Work", "Works"),
    "topic": ("Topic", "Topics"),
    "institution": ("Institution", "Institutions"),
}
SHAPES = {"author": "circle", "work": "square", "topic": "diamond", "institution": "triangle"}
# Fills with at least 3:1 contrast on white; the stylesheet swaps lighter ones in for dark mode.
FILLS = {"author": "#1d70b8", "work": "#6f3cc4", "topic": "#00703c", "institution": "#b2361c"}
LABELLED_NODES = 24


def _shape_points(shape: str, x: float, y: float, size: float) -> str:
    if shape == "diamond":
        corners = [(x, y - size), (x + size, y), (x, y + size), (x - size, y)]
    elif shape == "triangle":
        corners = [(x, y - size), (x + size, y + size * 0.8), (x - size, y + size * 0.8)]
    else:
        return ""
    return " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in corners)


def describe_slice(graph_slice: GraphSlice) -> dict:
    """What the templates need to draw a ready slice: SVG shapes, edges, legend and text list."""
    nodes = graph_slice.nodes
    by_id = {node["id"]: node for node in nodes}
    ego_id = f"author:{graph_slice.author_id}"
    ranked = sorted(nodes, key=lambda node: -node["weight"])
    labelled = {node["id"] for node in ranked[:LABELLED_NODES]}
    drawn = []
    for node in nodes:
        is_ego = node["id"] == ego_id
        size = 16.0 if is_ego else 10.0
        shape = SHAPES[node["type"]]
        drawn.append(
            {
                **node,
                "shape": shape,
                "fill": FILLS[node["type"]],
                "size": size,
                "rect_x": round(node["x"] - size * 0.85, 1),
                "rect_y": round(node["y"] - size * 0.85, 1),
                "side": round(size * 1.7, 1),
                "points": _shape_points(shape, node["x"], node["y"], size),
                "is_ego": is_ego,
                "show_label": node["id"] in labelled,
                "label_y": round(node["y"] + size + 22, 1),
                "kind": TYPE_LABELS[node["type"]][0],
            }
        )
    lines = []
    for edge in graph_slice.edges:
        source, target = by_id.get(edge["source"]), by_id.get(edge["target"])
        if source and target:
            lines.append(
                {
                    "type": edge["type"],
                    "x1": source["x"],
                    "y1": source["y"],
                    "x2": target["x"],
                    "y2": target["y"],
                }
            )
    groups = defaultdict(list)
    for node in ranked:
        if node["id"] != ego_id:
            groups[node["type"]].append(node)
    return {
        "nodes": drawn,
        "edges": lines,
        "ego": by_id.get(ego_id),
        "groups": [
            {"type": kind, "label": TYPE_LABELS[kind][1], "nodes": groups[kind]}
            for kind in TYPE_LABELS
            if groups[kind]
        ],
        "legend": [
            {
                "type": kind,
                "label": TYPE_LABELS[kind][1],
                "shape": SHAPES[kind],
                "fill": FILLS[kind],
            }
            for kind in TYPE_LABELS
        ],
        "counts": {kind: len(groups[kind]) for kind in TYPE_LABELS},
    }
