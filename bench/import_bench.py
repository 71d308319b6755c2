"""Import benchmark: the real importer against PostgreSQL COPY of the same rows, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bzpeer .venv/bin/python bench/import_bench.py

Uses its own database (`bzpeer_bench_import` on the DATABASE_URL server, dropped and made anew)
so it never touches real data. It writes ../shared/data/openalex/works.jsonl repeated to at least
BENCH_WORKS works (default 100,000) into a temporary file, each copy with its own work and author
ids, DOIs and ORCIDs (institutions, venues and topics stay shared, as in real data), imports it
through `works.importers.import_paths` (the code `manage.py import_works` runs, with the author
stats and trust refresh), then copies the rows it wrote into empty tables of the same shape with
COPY and prints works/s for both and their ratio.
"""

import math
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("BZPEER_DATA_DIR", ROOT.parent / "shared" / "data"))
TARGET = int(os.environ.get("BENCH_WORKS", "100000"))
BENCH_DB = "bzpeer_bench_import"

# Every table an OpenAlex works import writes, parents first (the COPY side loads them all).
TABLES = [
    "works_institution",
    "works_venue",
    "works_topic",
    "works_author",
    "works_work",
    "works_authorship",
    "works_authorship_institutions",
    "works_worktopic",
]

_IDS = re.compile(r"(openalex\.org/[WA]\d+|doi\.org/10\.[^\"\s]+|orcid\.org/\d{4}-)")


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/x")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def recreate_database(url: str) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{BENCH_DB}"')


def _rewrite(token: str, copy: int) -> str:
    if token.startswith("openalex.org/"):
        # W2755950973 → W9007 2755950973 (copy 7): unique per copy, still "letter + digits".
        return f"{token[:14]}9{copy:03d}{token[14:]}"
    if token.startswith("doi.org/"):
        return f"{token}.bench{copy}"
    # ORCID first block 0000 / 0009 → 0070 / 0079 (copy 7): unique per copy, still 19 chars.
    block = int(token[10:14]) + 10 * copy
    return f"orcid.org/{block:04d}-"


def write_repeated_file(folder: Path) -> tuple[Path, int]:
    """works.jsonl repeated ceil(TARGET / 395) times; returns the file and its work count."""
    text = (DATA / "openalex" / "works.jsonl").read_text(encoding="utf-8")
    lines = [line for line in text.split("\n") if line.strip()]
    copies = math.ceil(TARGET / len(lines))
    pieces = _IDS.split("\n".join(lines) + "\n")
    path = folder / "works-repeated.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        out.write("".join(pieces))
        for copy in range(1, copies):
            out.write(
                "".join(
                    _rewrite(piece, copy) if index % 2 else piece
                    for index, piece in enumerate(pieces)
                )
            )
    return path, copies * len(lines)


def time_copy(tables: list[str], prefix: str) -> tuple[float, dict[str, int]]:
    """COPY every row of these tables into new empty tables of the same shape (columns,
    defaults, indexes, unique constraints; no foreign keys). Only the COPY FROM is timed."""
    from django.db import connection

    dumps: dict[str, bytes] = {}
    rows: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in tables:
            buffer = bytearray()
            with cursor.cursor.copy(f"COPY {table} TO STDOUT (FORMAT BINARY)") as copy:
                for chunk in copy:
                    buffer += chunk
            dumps[table] = bytes(buffer)
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            rows[table] = cursor.fetchone()[0]
            cursor.execute(f"CREATE TABLE {prefix}_{table} (LIKE {table} INCLUDING ALL)")
        started = time.perf_counter()
        for table in tables:
            with cursor.cursor.copy(f"COPY {prefix}_{table} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(dumps[table])
        return time.perf_counter() - started, rows


def main() -> None:
    url = bench_database_url()
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bzpeer.settings")
    os.environ.setdefault("DJANGO_ENV", "test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    import works.importers as importers

    call_command("migrate", verbosity=0)

    # Time the stats refresh the importer runs at the end, to show it beside the writes.
    refresh_seconds = 0.0
    refresh = importers.refresh_author_stats

    def timed_refresh(author_ids):
        nonlocal refresh_seconds
        started = time.perf_counter()
        try:
            return refresh(author_ids)
        finally:
            refresh_seconds += time.perf_counter() - started

    importers.refresh_author_stats = timed_refresh

    with tempfile.TemporaryDirectory(prefix="bzpeer-bench-") as folder:
        started = time.perf_counter()
        path, expected = write_repeated_file(Path(folder))
        size_mb = path.stat().st_size / 1e6
        generated = time.perf_counter() - started
        print(
            f"generated {expected:,} works ({size_mb:,.0f} MB of JSON-lines) in {generated:.1f} s"
        )

        started = time.perf_counter()
        report = importers.import_paths([path])
        import_seconds = time.perf_counter() - started

    works = report.counts["works"].created
    assert works == expected, (works, expected)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    copy_seconds, rows = time_copy(TABLES, "bench_all")
    work_copy_seconds, _ = time_copy(["works_work"], "bench_only")

    total_rows = sum(rows.values())
    import_rate = works / import_seconds
    copy_rate = works / copy_seconds
    work_copy_rate = works / work_copy_seconds
    print(
        f"importer (import_paths): {works:,} works in {import_seconds:.1f} s "
        f"= {import_rate:,.0f} works/s"
    )
    print(
        f"  of which reading, checking and writing {import_seconds - refresh_seconds:.1f} s, "
        f"refresh_author_stats + trust for {report.authors_refreshed:,} authors "
        f"{refresh_seconds:.1f} s"
    )
    for table, count in rows.items():
        print(f"  {table}: {count:,} rows")
    print(
        f"COPY of the same {total_rows:,} rows into tables of the same shape: "
        f"{copy_seconds:.1f} s = {copy_rate:,.0f} works/s"
    )
    print(
        f"COPY of the {works:,} works_work rows alone: {work_copy_seconds:.2f} s "
        f"= {work_copy_rate:,.0f} works/s"
    )
    print(
        f"ratio COPY / importer: {copy_rate / import_rate:.1f}x (all rows), "
        f"{work_copy_rate / import_rate:.1f}x (works_work rows only)"
    )


if __name__ == "__main__":
    main()
