"""Importers for open scholarly metadata: OpenAlex, arXiv and Semantic Scholar files.

Entry points (verb first, each returns an `ImportReport`):
`import_paths(paths, format=None, skip_bad=False)` and `import_path(path, ...)` detect the format
from the first record; `import_openalex_works`, `import_openalex_authors`,
`import_openalex_institutions`, `import_arxiv_file` and `import_semantic_scholar_papers` name it.

Transactions: a whole run (every file given) is ONE transaction, written in batches of
`batch_size` records with bulk statements. A bad record (malformed JSON, a wrong type, a missing
required field) raises `BadRecord` and rolls everything back, so nothing is half-written; with
`skip_bad=True` bad records are left out and listed in the report while the rest is written.
Records are checked as they are read, so the check costs no second pass over the file.

Identity and updates: works match on OpenAlex id, DOI, arXiv id, S2 id; authors on OpenAlex id,
ORCID, S2 id, and, for authors without any id (arXiv), on `works.names.name_key` (the oldest
record wins when several share the key; an id-less author whose name matches an identified
author of the same work is that author). An identifier already held by another row is not
copied (two OpenAlex works sharing one DOI stay two works; the first keeps the DOI). An author's
current institution comes only from an OpenAlex author record, never from authorships. A work record
overwrites the stored work (the newer import wins; empty values never erase stored ones) and
replaces its authorships and topics. Records nested in a work (its authors, institutions,
venue, topics) create what is missing and fill empty fields; the entity's own records (an
OpenAlex author or institution file) overwrite. A row whose values do not change is not written
at all, so importing a file twice changes nothing (not even `imported_at`). Afterwards the
derived figures of every author touched are recomputed once, in bulk
(`works.services.refresh_author_stats`, which also triggers the trust recompute).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from ..models import Source
from ..services import refresh_author_stats
from .arxiv import parse_arxiv_record
from .base import (
    BadRecord,
    FieldError,
    ImportReport,
    Obj,
    RecordReader,
    RecordWriter,
    short_openalex_id,
)
from .openalex import parse_author, parse_institution, parse_work
from .semantic_scholar import parse_s2_paper

__all__ = [
    "FORMATS",
    "BadRecord",
    "ImportReport",
    "detect_format",
    "import_arxiv_file",
    "import_openalex_authors",
    "import_openalex_institutions",
    "import_openalex_works",
    "import_path",
    "import_paths",
    "import_semantic_scholar_papers",
]


@dataclass(frozen=True)
class Format:
    name: str
    kind: str  # the report kind its records count under
    source: str
    parse: Callable
    write: str  # the RecordWriter method


FORMATS = {
    f.name: f
    for f in (
        Format("openalex-works", "works", Source.OPENALEX, parse_work, "write_works"),
        Format("openalex-authors", "authors", Source.OPENALEX, parse_author, "write_authors"),
        Format(
            "openalex-institutions",
            "institutions",
            Source.OPENALEX,
            parse_institution,
            "write_institutions",
        ),
        Format("arxiv", "works", Source.ARXIV, parse_arxiv_record, "write_works"),
        Format("s2-papers", "works", Source.SEMANTIC_SCHOLAR, parse_s2_paper, "write_works"),
    )
}
_OPENALEX_BY_LETTER = {"W": "openalex-works", "A": "openalex-authors", "I": "openalex-institutions"}

Progress = Callable[[RecordReader, int], None]


def detect_format(record: object) -> str | None:
    """The format name a raw record looks like, or None."""
    if not isinstance(record, dict):
        return None
    if "authors_parsed" in record or {"categories", "versions"} <= record.keys():
        return "arxiv"
    keys = {key.lower() for key in record}
    if keys & {"corpusid", "paperid", "externalids"}:
        return "s2-papers"
    identifier = record.get("id")
    if isinstance(identifier, str):
        short = short_openalex_id(identifier)
        if short[1:].isdigit():
            return _OPENALEX_BY_LETTER.get(short[:1])
    return None


def _import_file(
    path: Path,
    *,
    format: str | None,
    skip_bad: bool,
    batch_size: int,
    report: ImportReport,
    now,
    progress: Progress | None,
    touched: set[int],
) -> None:
    reader = RecordReader(path)
    fmt = FORMATS[format] if format else None
    writer = None
    batch: list = []
    records = 0

    def bad(location: str, message: str) -> None:
        if not skip_bad:
            raise BadRecord(location, message)
        report.skipped.append(f"{location}: {message}")
        report.counts[fmt.kind if fmt else "works"].skipped += 1

    for raw in reader:
        if raw.error:
            bad(raw.location, raw.error)
            continue
        if fmt is None:
            detected = detect_format(raw.data)
            if detected is None:
                raise BadRecord(
                    raw.location,
                    "cannot tell the format of this record; name it with --format "
                    f"({', '.join(FORMATS)})",
                )
            fmt = FORMATS[detected]
        if writer is None:
            writer = RecordWriter(report, source=fmt.source, now=now)
        try:
            batch.append(fmt.parse(Obj(raw.data)))
        except FieldError as exc:
            bad(raw.location, str(exc))
            continue
        records += 1
        if len(batch) >= batch_size:
            getattr(writer, fmt.write)(batch)
            batch = []
            if progress:
                progress(reader, records)
    if batch:
        getattr(writer, fmt.write)(batch)
    if progress:
        progress(reader, records)
    if writer:
        touched |= writer.touched_authors
    report.files.append((path.name, fmt.name if fmt else format or "empty", records))


# After this many authors touched, refresh planner statistics before the stats refresh: rows
# written in this (still open) transaction are invisible to autovacuum, and plans made for the
# tables' old sizes turn the refresh's per-chunk joins into scans of whole tables.
_ANALYZE_AFTER = 10_000


def _tune_planner() -> None:
    """For this transaction only: PostgreSQL's default random_page_cost (4.0) assumes spinning
    disks and makes the refresh's joins hash whole tables for each chunk of authors (quadratic
    in a large import); 1.1, the usual value for SSDs and cached data, keeps them on indexes.
    More work_mem keeps the co-author aggregation of 100-author papers off the disk."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL random_page_cost = 1.1")
            cursor.execute("SET LOCAL work_mem = '64MB'")


def _analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE works_author, works_work, works_authorship, works_worktopic")


def import_paths(
    paths: Iterable[str | Path],
    *,
    format: str | None = None,
    skip_bad: bool = False,
    batch_size: int = 1000,
    progress: Progress | None = None,
) -> ImportReport:
    """Import these files in one transaction; then refresh the touched authors' derived figures.

    Side effects: creates and updates Work, Author, Authorship, Institution, Venue, Topic and
    WorkTopic rows; calls refresh_author_stats (counts, data_version, trust) once for the authors
    touched. Raises BadRecord (nothing written) on bad input unless `skip_bad`.
    """
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    report = ImportReport()
    now = timezone.now()
    touched: set[int] = set()
    with transaction.atomic():
        _tune_planner()
        for path in paths:
            _import_file(
                Path(path),
                format=format,
                skip_bad=skip_bad,
                batch_size=batch_size,
                report=report,
                now=now,
                progress=progress,
                touched=touched,
            )
        if touched:
            if len(touched) >= _ANALYZE_AFTER:
                _analyze()
            report.authors_refreshed = refresh_author_stats(touched)
    return report.finish()


def import_path(
    path: str | Path, *, format: str | None = None, skip_bad: bool = False
) -> ImportReport:
    """Import one file, its format detected unless named (see `import_paths`)."""
    return import_paths([path], format=format, skip_bad=skip_bad)


def import_openalex_works(path: str | Path, *, skip_bad: bool = False) -> ImportReport:
    """Import OpenAlex works (JSON, JSON-lines or an API list response)."""
    return import_paths([path], format="openalex-works", skip_bad=skip_bad)


def import_openalex_authors(path: str | Path, *, skip_bad: bool = False) -> ImportReport:
    """Import OpenAlex author records (names, ORCID, current institution)."""
    return import_paths([path], format="openalex-authors", skip_bad=skip_bad)


def import_openalex_institutions(path: str | Path, *, skip_bad: bool = False) -> ImportReport:
    """Import OpenAlex institution records."""
    return import_paths([path], format="openalex-institutions", skip_bad=skip_bad)


def import_arxiv_file(path: str | Path, *, skip_bad: bool = False) -> ImportReport:
    """Import an arXiv metadata snapshot file."""
    return import_paths([path], format="arxiv", skip_bad=skip_bad)


def import_semantic_scholar_papers(path: str | Path, *, skip_bad: bool = False) -> ImportReport:
    """Import a Semantic Scholar papers file (.jsonl or .jsonl.gz)."""
    return import_paths([path], format="s2-papers", skip_bad=skip_bad)
