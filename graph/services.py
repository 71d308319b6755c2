"""Building graph slices and asking for them: ranking, layout, single-flight enqueueing."""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

import networkx as nx
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from works.models import Author, Institution, Topic, Work

from .models import GraphSlice
from .params import NODE_TYPES, SliceParams, profile_params
from .selectors import Neighbourhood, select_latest_ready_slice, select_neighbourhood

logger = logging.getLogger(__name__)

LAYOUT_SEED = 20200306
LAYOUT_ITERATIONS = 50
BOX = 1000.0
MARGIN = 110.0
# A slice still pending or building this long after its last change may be queued again.
STUCK_AFTER = timedelta(seconds=20)
# Explorer filters combine freely: keep only each researcher's most recent explorer slices.
EXPLORER_SLICES_KEPT = 20
WORKER_UNREACHABLE = "The graph worker could not be reached"
_TYPE_ORDER = {kind: index for index, kind in enumerate(NODE_TYPES)}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _node_key(node_id: str) -> tuple[int, int]:
    kind, pk = node_id.split(":")
    return _TYPE_ORDER[kind], int(pk)


def _candidate_graph(hood: Neighbourhood) -> tuple[nx.Graph, dict[str, dict]]:
    """The candidate graph (nodes inserted in a fixed order) and each node's facts."""
    ego_id = f"author:{hood.ego.pk}"
    facts: dict[str, dict] = {
        ego_id: {"type": "author", "pk": hood.ego.pk, "why": "this researcher"}
    }
    edges: list[tuple[str, str, str, float]] = []
    n_works = len(hood.works)
    for work in hood.works:
        year = work.year if work.year is not None else "year unknown"
        facts[f"work:{work.pk}"] = {
            "type": "work",
            "pk": work.pk,
            "label": work.display_title,
            "why": f"{year} · {_plural(work.cited_by_count, 'citation')}",
        }
        edges.append((ego_id, f"work:{work.pk}", "authored", 1.0))
    for tie in hood.coauthors:
        facts[f"author:{tie.pk}"] = {
            "type": "author",
            "pk": tie.pk,
            "why": _plural(tie.shared, "shared work"),
        }
        edges.append((ego_id, f"author:{tie.pk}", "coauthor", tie.strength))
    for work_id, author_id in hood.coauthor_links:
        edges.append((f"author:{author_id}", f"work:{work_id}", "authored", 1.0))
    for topic_id, count in hood.topic_works.items():
        facts[f"topic:{topic_id}"] = {
            "type": "topic",
            "pk": topic_id,
            "why": f"topic of {count} of {_plural(n_works, 'work')}",
        }
        edges.append((ego_id, f"topic:{topic_id}", "has_topic", float(count)))
    for work_id, topic_id in hood.topic_links:
        edges.append((f"work:{work_id}", f"topic:{topic_id}", "has_topic", 1.0))
    for institution_id, count in hood.institution_works.items():
        facts[f"institution:{institution_id}"] = {
            "type": "institution",
            "pk": institution_id,
            "why": f"affiliation on {_plural(count, 'work')}",
        }
        edges.append((ego_id, f"institution:{institution_id}", "affiliated", float(count)))
    for seed_id, ties in hood.second_ties.items():
        for tie in ties:
            node_id = f"author:{tie.pk}"
            if node_id not in facts:
                facts[node_id] = {
                    "type": "author",
                    "pk": tie.pk,
                    "why": f"{_plural(tie.shared, 'shared work')} with "
                    f"{hood.names.get(seed_id, 'a co-author')}",
                }
            edges.append((f"author:{seed_id}", node_id, "coauthor", tie.strength))
    graph = nx.Graph()
    graph.add_nodes_from(sorted(facts, key=_node_key))
    for source, target, kind, weight in sorted(
        edges, key=lambda edge: (_node_key(edge[0]), _node_key(edge[1]), edge[2])
    ):
        if not graph.has_edge(source, target):
            graph.add_edge(source, target, type=kind, weight=weight)
    return graph, facts


def _rank(graph: nx.Graph, ego_id: str) -> dict[str, float]:
    """Personalized PageRank from the ego, rounded so float noise cannot reorder ties."""
    if graph.number_of_edges() == 0:
        return {node: (1.0 if node == ego_id else 0.0) for node in graph}
    scores = nx.pagerank(graph, alpha=0.85, personalization={ego_id: 1.0}, weight="weight")
    return {node: round(score, 9) for node, score in scores.items()}


def _layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Spring layout with a fixed seed, scaled into the drawing box and rounded to 0.1."""
    if graph.number_of_nodes() == 1:
        return {node: (BOX / 2, BOX / 2) for node in graph}
    # Fruchterman-Reingold costs iterations x n^2: big explorer slices get fewer rounds.
    iterations = LAYOUT_ITERATIONS if graph.number_of_nodes() <= 120 else 30
    raw = nx.spring_layout(graph, seed=LAYOUT_SEED, iterations=iterations, weight=None)
    xs = [float(point[0]) for point in raw.values()]
    ys = [float(point[1]) for point in raw.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = (BOX - 2 * MARGIN) / span
    x_offset = (BOX - (max(xs) - min(xs)) * scale) / 2
    y_offset = (BOX - (max(ys) - min(ys)) * scale) / 2
    return {
        node: (
            round(x_offset + (float(point[0]) - min(xs)) * scale, 1),
            round(y_offset + (float(point[1]) - min(ys)) * scale, 1),
        )
        for node, point in raw.items()
    }


def _labels_and_urls(ego: Author, hood: Neighbourhood, kept: list[str], facts: dict) -> None:
    titles = {work.pk: work.display_title for work in hood.works}
    for node_id in kept:
        fact = facts[node_id]
        kind, pk = fact["type"], fact["pk"]
        if kind == "author":
            name = ego.display_name if pk == ego.pk else hood.names.get(pk, "")
            fact["label"] = name
            fact["url"] = Author(pk=pk, display_name=name).get_absolute_url()
        elif kind == "work":
            fact["label"] = titles[pk]
            fact["url"] = Work(pk=pk).get_absolute_url()
        elif kind == "topic":
            topic: Topic = hood.topics[pk]
            fact["label"] = topic.name
            fact["url"] = topic.get_absolute_url()
        else:
            institution: Institution = hood.institutions[pk]
            fact["label"] = institution.name
            fact["url"] = institution.get_absolute_url()


def compute_slice(author: Author, params: SliceParams) -> tuple[list[dict], list[dict]]:
    """The nodes and edges of the author's slice: a pure function of the database state.

    Candidates come from bounded queries (graph.selectors); personalized PageRank from the author
    ranks them, ties broken by type and id; the top `params.max_nodes` of the allowed types are
    kept and laid out with a fixed seed. Same data, same output.
    """
    hood = select_neighbourhood(author, params)
    graph, facts = _candidate_graph(hood)
    ego_id = f"author:{author.pk}"
    scores = _rank(graph, ego_id)
    allowed = set(params.types)
    others = sorted(
        (node for node in graph if node != ego_id and facts[node]["type"] in allowed),
        key=lambda node: (-scores[node], _node_key(node)),
    )
    # The ego first, then the kept nodes by type and id: a stable order for layout and output.
    kept = [ego_id, *sorted(others[: max(params.max_nodes - 1, 0)], key=_node_key)]
    kept_set = set(kept)
    subgraph = nx.Graph()
    subgraph.add_nodes_from(kept)
    for source, target, data in graph.edges(data=True):
        if source in kept_set and target in kept_set:
            subgraph.add_edge(source, target, **data)
    positions = _layout(subgraph)
    _labels_and_urls(author, hood, kept, facts)
    nodes = [
        {
            "id": node_id,
            "type": facts[node_id]["type"],
            "label": facts[node_id]["label"],
            "url": facts[node_id]["url"],
            "x": positions[node_id][0],
            "y": positions[node_id][1],
            "weight": round(scores[node_id], 6),
            "why": facts[node_id]["why"],
        }
        for node_id in kept
    ]
    edges = []
    for source, target, data in graph.edges(data=True):
        if source in kept_set and target in kept_set:
            # Authors point at works, works and people at topics and institutions, ego outwards.
            if data["type"] != "coauthor" and _node_key(source)[0] > _node_key(target)[0]:
                source, target = target, source
            if data["type"] == "coauthor" and target == ego_id:
                source, target = target, source
            edges.append(
                {
                    "source": source,
                    "target": target,
                    "type": data["type"],
                    "weight": round(data["weight"], 4),
                }
            )
    edges.sort(key=lambda edge: (_node_key(edge["source"]), _node_key(edge["target"])))
    return nodes, edges


def _store(graph_slice: GraphSlice, **values) -> None:
    """Set these fields on the slice and its row. A row deleted meanwhile (a newer data version
    finished first and replaced it) stays deleted: the update matches nothing, nothing raises."""
    values["updated_at"] = timezone.now()
    for name, value in values.items():
        setattr(graph_slice, name, value)
    GraphSlice.objects.filter(pk=graph_slice.pk).update(**values)


def build_slice(graph_slice: GraphSlice) -> GraphSlice:
    """Build this slice and store it: marks it building, then ready (nodes, edges, build_ms),
    and deletes the older data versions of the same author and parameters it replaces.

    A ready slice is left alone (idempotent). Any error but a database OperationalError (which
    the task retries) marks the slice failed with the error text.
    """
    if graph_slice.is_ready:
        return graph_slice
    GraphSlice.objects.filter(pk=graph_slice.pk).exclude(status=GraphSlice.Status.READY).update(
        status=GraphSlice.Status.BUILDING, updated_at=timezone.now()
    )
    started = time.perf_counter()
    try:
        author = Author.objects.get(pk=graph_slice.author_id)
        nodes, edges = compute_slice(author, SliceParams.from_dict(graph_slice.params))
    except OperationalError:
        raise
    except Exception as exc:
        logger.exception("Graph slice %s failed", graph_slice.pk)
        _store(
            graph_slice,
            status=GraphSlice.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return graph_slice
    _store(
        graph_slice,
        nodes=nodes,
        edges=edges,
        build_ms=round((time.perf_counter() - started) * 1000),
        status=GraphSlice.Status.READY,
        error="",
    )
    GraphSlice.objects.filter(
        author_id=graph_slice.author_id,
        params_key=graph_slice.params_key,
        data_version__lt=graph_slice.data_version,
    ).delete()
    return graph_slice


def enqueue_build(graph_slice: GraphSlice) -> bool:
    """Publish the build task for this slice; if the broker cannot take it, mark the slice failed.

    Returns whether the message was published. Never raises: a dead broker must not break a page.
    """
    from .tasks import build_slice_task

    try:
        build_slice_task.delay(slice_id=graph_slice.pk)
    except Exception as exc:
        logger.exception("Could not queue graph slice %s", graph_slice.pk)
        graph_slice.status = GraphSlice.Status.FAILED
        graph_slice.error = f"{WORKER_UNREACHABLE}: {type(exc).__name__}: {exc}"[:2000]
        GraphSlice.objects.filter(pk=graph_slice.pk).exclude(status=GraphSlice.Status.READY).update(
            status=graph_slice.status, error=graph_slice.error, updated_at=timezone.now()
        )
        return False
    return True


@dataclass
class SliceRequest:
    """The slice for the author's current data version, and the ready slice to show meanwhile."""

    current: GraphSlice
    shown: GraphSlice | None

    @property
    def stale(self) -> bool:
        return self.shown is not None and self.shown.pk != self.current.pk


def request_slice(author: Author, params: SliceParams) -> SliceRequest:
    """Get or create the slice for the author's data version; only its creator enqueues a build.

    The unique (author, params_key, data_version) row decides the single flight; the build is
    published after commit (a publish failure marks the row failed). Returns that slice and the
    newest ready one to show while a newer version builds.
    """
    current, created = GraphSlice.objects.get_or_create(
        author=author,
        params_key=params.key,
        data_version=author.data_version,
        defaults={"params": params.as_dict()},
    )
    if created:
        if params.key != profile_params().key:
            prune_explorer_slices(author, keep=current)
        transaction.on_commit(partial(enqueue_build, current))
    shown = current if current.is_ready else select_latest_ready_slice(author, params.key)
    return SliceRequest(current=current, shown=shown)


def prune_explorer_slices(author: Author, *, keep: GraphSlice) -> int:
    """Delete the author's explorer slices beyond the EXPLORER_SLICES_KEPT most recent.

    The profile's slices and `keep` always stay. Without this every filter combination anyone
    ever tried would stay in the table. A build still queued for a deleted row finds it gone and
    does nothing. Returns how many rows were deleted.
    """
    older = (
        GraphSlice.objects.filter(author=author)
        .exclude(params_key=profile_params().key)
        .exclude(pk=keep.pk)
        .order_by("-updated_at", "-pk")
        .values_list("pk", flat=True)[EXPLORER_SLICES_KEPT - 1 :]
    )
    deleted, _ = GraphSlice.objects.filter(pk__in=list(older)).delete()
    return deleted


def retry_slice(author: Author, params: SliceParams) -> SliceRequest:
    """Queue the current slice again if it failed or looks stuck, then request it as usual.

    Only the request whose conditional UPDATE flips the row back to pending enqueues.
    """
    slice_request = request_slice(author, params)
    current = slice_request.current
    stuck = Q(
        status__in=[GraphSlice.Status.PENDING, GraphSlice.Status.BUILDING],
        updated_at__lt=timezone.now() - STUCK_AFTER,
    )
    flipped = (
        GraphSlice.objects.filter(pk=current.pk)
        .filter(Q(status=GraphSlice.Status.FAILED) | stuck)
        .update(status=GraphSlice.Status.PENDING, error="", updated_at=timezone.now())
    )
    if flipped:
        current.status, current.error = GraphSlice.Status.PENDING, ""
        transaction.on_commit(partial(enqueue_build, current))
    return slice_request
