"""Graph slice benchmark on a synthetic world of 1,000,000 works (works/synthetic.py, COPY).

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/graph_bench.py

The DATABASE_URL only names the server: the world goes into its own database (GRAPH_BENCH_DB,
default bzpeer_bench_graph), created, migrated and loaded once per (works, seed) and reused.
Prints p50/p99 build_slice times (in-process, profile parameters) for 200 random researchers
and the 100 biggest hubs, peak traced memory per build, and beside them the same researchers'
networkx ego_graph(radius=2) on the whole author-work graph held in memory. A smaller world
(GRAPH_BENCH_SMALL_WORKS) is measured the same way to show memory does not grow with the world.
"""

import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bzpeer")
BENCH_DB = os.environ.get("GRAPH_BENCH_DB", "bzpeer_bench_graph")
N_WORKS = int(os.environ.get("GRAPH_BENCH_WORKS", "1000000"))
SMALL_WORKS = int(os.environ.get("GRAPH_BENCH_SMALL_WORKS", "100000"))
SEED = int(os.environ.get("GRAPH_BENCH_SEED", "1"))
RANDOM_RESEARCHERS = 200
HUBS = 100


def database_url(name: str) -> str:
    parts = urlsplit(SERVER_URL)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def ensure_database(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def load_world(alias: str, n_works: int) -> dict:
    """Migrate and load the world unless this database already holds the same (works, seed)."""
    from django.core.management import call_command
    from django.db import connections

    from works.synthetic import load_synthetic_world

    call_command("migrate", database=alias, verbosity=0)
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS graph_bench_meta (n_works integer, seed integer, "
            "counts text, load_seconds double precision)"
        )
        cursor.execute("SELECT n_works, seed, counts, load_seconds FROM graph_bench_meta")
        row = cursor.fetchone()
    if row and row[0] == n_works and row[1] == SEED:
        print(f"[{alias}] reusing the loaded world: {row[2]} (loaded in {row[3]:.0f} s)")
        return {"reused": True}
    if row:
        raise SystemExit(f"Database for {alias} holds another world {row}; drop it first.")
    started = time.perf_counter()
    counts = load_synthetic_world(n_works, seed=SEED, using=alias)
    seconds = time.perf_counter() - started
    with connections[alias].cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            "INSERT INTO graph_bench_meta VALUES (%s, %s, %s, %s)",
            [n_works, SEED, repr(counts), seconds],
        )
    print(f"[{alias}] loaded {counts} in {seconds:.0f} s with COPY")
    return counts


def pick_researchers(alias: str) -> tuple[list[int], list[int]]:
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT author_id FROM works_authorship GROUP BY author_id "
            "ORDER BY COUNT(*) DESC, author_id LIMIT %s",
            [HUBS],
        )
        hubs = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT MIN(id), MAX(id) FROM works_author")
        low, high = cursor.fetchone()
    rng = random.Random(SEED)
    return rng.sample(range(low, high + 1), RANDOM_RESEARCHERS), hubs


def time_builds(author_ids: list[int], params=None) -> tuple[list[float], dict]:
    """build_slice on a fresh GraphSlice per author (profile parameters unless given); ms each."""
    from graph.models import GraphSlice
    from graph.params import profile_params
    from graph.services import build_slice
    from works.models import Author

    params = params or profile_params()
    GraphSlice.objects.filter(author_id__in=author_ids, params_key=params.key).delete()
    timings, sizes = [], []
    for author in Author.objects.filter(pk__in=author_ids).order_by("pk"):
        graph_slice = GraphSlice.objects.create(
            author=author,
            params=params.as_dict(),
            params_key=params.key,
            data_version=author.data_version,
        )
        started = time.perf_counter()
        build_slice(graph_slice)
        timings.append((time.perf_counter() - started) * 1000)
        assert graph_slice.status == GraphSlice.Status.READY, graph_slice.error
        sizes.append(len(graph_slice.nodes))
    return timings, {"max_nodes": max(sizes)}


def traced_peak(author_ids: list[int]) -> float:
    """Largest tracemalloc peak (MiB) of one build among these authors."""
    from graph.params import profile_params
    from graph.services import compute_slice
    from works.models import Author

    params = profile_params()
    peak = 0
    for author in Author.objects.filter(pk__in=author_ids):
        tracemalloc.start()
        compute_slice(author, params)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return peak / 2**20


def reference_ego_graphs(
    alias: str, groups: list[list[int]]
) -> tuple[list[list[float]], float, int]:
    """networkx ego_graph(radius=2) around each author in the whole author-work graph."""
    import networkx as nx
    from django.db import connections

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    graph = nx.Graph()
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT author_id, work_id FROM works_authorship")
        while rows := cursor.fetchmany(200_000):
            graph.add_edges_from((("a", a), ("w", w)) for a, w in rows)
    load_seconds = time.perf_counter() - started
    rss_grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    results = []
    for author_ids in groups:
        timings = []
        for author_id in author_ids:
            node = ("a", author_id)
            started = time.perf_counter()
            if node in graph:
                nx.ego_graph(graph, node, radius=2)
            timings.append((time.perf_counter() - started) * 1000)
        results.append(timings)
    print(
        f"  reference graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} "
        f"edges, loaded in {load_seconds:.0f} s, max RSS grew {rss_grew:,.0f} MiB"
    )
    return results, rss_grew, graph.number_of_edges()


def report(label: str, ours: list[float], reference: list[float] | None = None) -> None:
    line = f"  {label:<28} p50 {percentile(ours, 50):7.1f} ms   p99 {percentile(ours, 99):7.1f} ms"
    if reference:
        ref50, ref99 = percentile(reference, 50), percentile(reference, 99)
        line += (
            f"   | ego_graph p50 {ref50:7.1f} ms  p99 {ref99:7.1f} ms"
            f"   | ratio p50 {percentile(ours, 50) / max(ref50, 1e-3):.2f}"
            f"  p99 {percentile(ours, 99) / max(ref99, 1e-3):.2f}"
        )
    print(line)


def setup_django(name: str) -> None:
    ensure_database(name)
    os.environ["DATABASE_URL"] = database_url(name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bzpeer.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def small_world_only() -> None:
    """Child run: load the small world and print its hub timings and peak memory."""
    setup_django(f"{BENCH_DB}_small")
    load_world("default", SMALL_WORKS)
    _randoms, hubs = pick_researchers("default")
    time_builds(hubs[:5])
    hub_ms, _ = time_builds(hubs)
    print(
        f"SMALL {percentile(hub_ms, 50):.1f} {percentile(hub_ms, 99):.1f} "
        f"{traced_peak(hubs[:20]):.2f}"
    )


def main() -> None:
    import subprocess

    bench_started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, __file__, "--small"], capture_output=True, text=True, check=True
    )
    print(child.stdout.strip())
    small = next(line for line in child.stdout.splitlines() if line.startswith("SMALL "))
    small_p50, small_p99, peak_small = (float(value) for value in small.split()[1:])

    setup_django(BENCH_DB)
    load_world("default", N_WORKS)
    randoms, hubs = pick_researchers("default")
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    time_builds(hubs[:5])  # warm imports, scipy and the database cache
    random_ms, random_info = time_builds(randoms)
    hub_ms, hub_info = time_builds(hubs)
    hub_warm_ms, _ = time_builds(hubs)  # the same hubs again, their pages now in cache
    rss_builds = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_start) / 1024
    peak_big = traced_peak(hubs[:20])
    from graph.params import SliceParams

    explorer_ms, explorer_info = time_builds(hubs, SliceParams(depth=2, max_nodes=300))
    (ref_random, ref_hubs), ref_rss, ref_edges = reference_ego_graphs("default", [randoms, hubs])

    print()
    print(f"World: {N_WORKS:,} works (seed {SEED}); small world {SMALL_WORKS:,} works")
    print("build_slice, profile parameters (60 nodes) unless said, in-process, PostgreSQL:")
    print("  (reference: ego_graph radius 2 on the author-work graph = works and co-authors)")
    report(f"{RANDOM_RESEARCHERS} random researchers", random_ms, ref_random)
    report(f"{HUBS} biggest hubs", hub_ms, ref_hubs)
    report(f"{HUBS} hubs, second pass", hub_warm_ms)
    report(f"{HUBS} hubs, explorer depth 2", explorer_ms)
    print(f"      (explorer slices hold at most {explorer_info['max_nodes']} nodes)")
    print(f"  {HUBS} hubs, small world          p50 {small_p50:7.1f} ms   p99 {small_p99:7.1f} ms")
    hub_p99 = percentile(hub_ms, 99)
    print(
        f"  nodes per slice at most {max(random_info['max_nodes'], hub_info['max_nodes'])}; "
        f"hub p99 target 250 ms: {'met' if hub_p99 <= 250 else 'MISSED'}"
    )
    print("Memory:")
    print(
        f"  peak traced memory of one hub build: {peak_big:.2f} MiB (big world), "
        f"{peak_small:.2f} MiB (small world)"
    )
    print(f"  max RSS growth over {RANDOM_RESEARCHERS + 2 * HUBS + 5} builds: {rss_builds:.0f} MiB")
    print(
        f"  reference: the whole author-work graph in networkx ({ref_edges:,} edges) "
        f"grew max RSS by {ref_rss:,.0f} MiB"
    )
    print(f"Total bench time {time.perf_counter() - bench_started:.0f} s")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"Machine: {os.cpu_count()} CPUs, load average at the end {load} (others share it)")


if __name__ == "__main__":
    if "--small" in sys.argv:
        small_world_only()
    else:
        main()
