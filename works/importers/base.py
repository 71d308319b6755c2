"""Shared importer machinery: reading records, checking fields, the report, the batch writer.

Reading: files may be gzipped; JSON-lines are split on "\\n" only (OpenAlex strings hold U+2028
and other Unicode line separators, which `str.splitlines()` would wrongly break on). `.json`
files are one document: a single object, a list, or an API list response with `results`.

Checking: a parser turns one raw record into the plain data classes below and raises
`FieldError` on a wrong type or a missing required field; the reader turns that into `BadRecord`
naming file, line and field (`works.jsonl:17: field "title": expected a string, got 42`).

Writing: `RecordWriter` takes a batch of parsed records and writes it with bulk statements, a
fixed number of queries per batch whatever its size. Identity is resolved in Python against rows
looked up in bulk (one query per batch per identifier), because the unique constraints on
identifiers are partial (`~Q(field="")`) and ON CONFLICT cannot target them.
"""

import gzip
import io
import json
import math
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import models
from django.utils.text import slugify

from ..bulk import insert_rows
from ..models import Author, Authorship, Institution, Topic, Venue, Work, WorkTopic
from ..names import name_key

KINDS = ("works", "authors", "institutions", "topics", "venues")
# The ranges of the columns integers land in: PositiveIntegerField, PositiveSmallIntegerField.
MAX_COUNT = 2_147_483_647
MAX_YEAR = 32_767


# --- Errors --------------------------------------------------------------------------------------


class BadRecord(Exception):
    """A record that cannot be imported; the message names file, line (or position) and field."""

    def __init__(self, location: str, message: str):
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message


class FieldError(Exception):
    """Raised by parsers; the reader adds the location."""

    def __init__(self, path: str, problem: str):
        super().__init__(f'field "{path}": {problem}')


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


class Obj:
    """Typed, path-aware access to one JSON object, raising FieldError with the field's path."""

    __slots__ = ("data", "path")

    def __init__(self, data: Any, path: str = ""):
        if not isinstance(data, dict):
            raise FieldError(path or "record", f"expected an object, got {_shown(data)}")
        self.data = data
        self.path = path

    def _path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def missing(self, key: str) -> FieldError:
        return FieldError(self._path(key), "missing (required)")

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None or (required and isinstance(value, str) and not value.strip()):
            if required:
                raise self.missing(key)
            return ""
        if not isinstance(value, str):
            raise FieldError(self._path(key), f"expected a string, got {_shown(value)}")
        return value

    def integer(self, key: str, *, minimum: int = 0, maximum: int = MAX_COUNT) -> int | None:
        """A whole number within the column's range (by default a non-negative count), so a
        value the database would refuse is reported here with its field, not as a crash."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise FieldError(self._path(key), f"expected a whole number, got {_shown(value)}")
        if isinstance(value, str):
            try:
                number = int(value)
            except ValueError:
                raise FieldError(
                    self._path(key), f"expected a whole number, got {_shown(value)}"
                ) from None
        else:
            number = value
        if not minimum <= number <= maximum:
            raise FieldError(
                self._path(key),
                f"expected a whole number from {minimum} to {maximum}, got {_shown(value)}",
            )
        return number

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FieldError(self._path(key), f"expected a number, got {_shown(value)}")
        return float(value)

    def date(self, key: str) -> date | None:
        value = self.text(key)
        if not value:
            return None
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise FieldError(self._path(key), f"expected a date, got {_shown(value)}") from None

    def items(self, key: str) -> list:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise FieldError(self._path(key), f"expected a list, got {_shown(value)}")
        return value

    def obj(self, key: str) -> "Obj | None":
        value = self.data.get(key)
        if value is None:
            return None
        return Obj(value, self._path(key))

    def objs(self, key: str) -> "list[Obj]":
        path = self._path(key)
        return [
            Obj(item, f"{path}[{index}]")
            for index, item in enumerate(self.items(key))
            if item is not None
        ]

    def texts(self, key: str) -> list[str]:
        items = self.items(key)
        for index, item in enumerate(items):
            if not isinstance(item, str):
                raise FieldError(
                    f"{self._path(key)}[{index}]", f"expected a string, got {_shown(item)}"
                )
        return items


# --- Identifier normalisation --------------------------------------------------------------------


def strip_prefix(value: str, *prefixes: str) -> str:
    value = value.strip()
    lowered = value.lower()
    for prefix in prefixes:
        if lowered.startswith(prefix):
            return value[len(prefix) :]
    return value


def short_openalex_id(value: str) -> str:
    """ "https://openalex.org/W2755950973" → "W2755950973"."""
    return strip_prefix(value, "https://openalex.org/", "http://openalex.org/").upper()


def normalise_doi(value: str) -> str:
    """A lower-case bare DOI: "https://doi.org/10.1016/J.JOI…" → "10.1016/j.joi…"."""
    value = strip_prefix(
        value, "https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/"
    )
    return strip_prefix(value, "doi:").strip().lower()


def normalise_orcid(value: str) -> str:
    return strip_prefix(value, "https://orcid.org/", "http://orcid.org/").upper()


def normalise_ror(value: str) -> str:
    return strip_prefix(value, "https://ror.org/", "http://ror.org/").lower()


def arxiv_id_from_doi(doi: str) -> str:
    """arXiv's own DOIs (10.48550/arxiv.2003.03477) carry the arXiv id."""
    prefix = "10.48550/arxiv."
    return doi[len(prefix) :] if doi.startswith(prefix) else ""


def email_domain_from_url(url: str) -> str:
    """The host of an institution's homepage without "www." ("https://www.umich.edu" →
    "umich.edu"); "" when there is no host."""
    rest = url.split("://", 1)[-1]
    host = rest.split("/", 1)[0].split(":", 1)[0].lower().strip(".")
    host = host.removeprefix("www.")
    return host if "." in host else ""


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())


# --- Parsed records ------------------------------------------------------------------------------


@dataclass(eq=False)
class InstitutionData:
    name: str
    openalex_id: str = ""
    ror: str = ""
    country_code: str = ""
    type: str = ""
    homepage_url: str = ""
    email_domain: str = ""
    row: dict | None = None

    def values(self) -> dict:
        return {
            "name": self.name,
            "openalex_id": self.openalex_id,
            "ror": self.ror,
            "country_code": self.country_code,
            "type": self.type,
            "homepage_url": self.homepage_url,
            "email_domain": self.email_domain,
        }


@dataclass(eq=False)
class VenueData:
    name: str
    openalex_id: str = ""
    issn_l: str = ""
    type: str = ""
    publisher: str = ""
    row: dict | None = None

    def values(self) -> dict:
        return {
            "name": self.name,
            "openalex_id": self.openalex_id,
            "issn_l": self.issn_l,
            "type": self.type,
            "publisher": self.publisher,
        }


@dataclass(eq=False)
class TopicData:
    scheme: str
    external_id: str
    name: str
    domain: str = ""
    field: str = ""
    subfield: str = ""
    row: dict | None = None

    def values(self) -> dict:
        return {
            "scheme": self.scheme,
            "external_id": self.external_id,
            "name": self.name,
            "domain": self.domain,
            "field": self.field,
            "subfield": self.subfield,
        }


_UNSET = object()


@dataclass(eq=False)
class AuthorData:
    display_name: str
    openalex_id: str = ""
    orcid: str = ""
    s2_id: str = ""
    name_variants: list[str] = field(default_factory=list)
    # Only an OpenAlex author record's last_known_institutions sets this; authorships never do.
    current_institution: Any = _UNSET
    row: dict | None = None

    @property
    def has_ids(self) -> bool:
        return bool(self.openalex_id or self.orcid or self.s2_id)

    def values(self) -> dict:
        values = {
            "display_name": self.display_name,
            "name_key": name_key(self.display_name),
            "openalex_id": self.openalex_id,
            "orcid": self.orcid,
            "s2_id": self.s2_id,
            "name_variants": self.name_variants,
        }
        if self.current_institution is not _UNSET:
            institution = self.current_institution
            values["current_institution_id"] = institution.row["pk"] if institution else None
        return values


@dataclass(eq=False)
class AuthorshipData:
    author: AuthorData
    raw_name: str
    institutions: list[InstitutionData] = field(default_factory=list)


@dataclass(eq=False)
class WorkData:
    title: str
    openalex_id: str = ""
    doi: str = ""
    arxiv_id: str = ""
    s2_id: str = ""
    abstract: str = ""
    type: str = Work.Type.ARTICLE
    publication_year: int | None = None
    publication_date: date | None = None
    venue: VenueData | None = None
    cited_by_count: int = 0
    language: str = ""
    authorships: list[AuthorshipData] = field(default_factory=list)
    topics: list[tuple[TopicData, float]] = field(default_factory=list)
    row: dict | None = None


# --- Reading -------------------------------------------------------------------------------------


@dataclass
class RawRecord:
    location: str
    data: Any = None
    error: str = ""


class RecordReader:
    """Iterates the raw records of one file; `done` / `total` are bytes, for a progress bar."""

    def __init__(self, path: Path):
        self.path = path
        self.name = path.name
        self.total = path.stat().st_size
        self.done = 0
        self._raw = None

    def _open(self) -> io.BufferedIOBase:
        self._raw = open(self.path, "rb")  # noqa: SIM115 - closed in __iter__
        if self._raw.read(2) == b"\x1f\x8b":
            self._raw.seek(0)
            return gzip.GzipFile(fileobj=self._raw)
        self._raw.seek(0)
        return self._raw

    def _is_document(self, stream: io.BufferedIOBase) -> bool:
        suffixes = [s.lower() for s in self.path.suffixes if s.lower() != ".gz"]
        if suffixes and suffixes[-1] == ".json":
            return True
        if suffixes and suffixes[-1] in {".jsonl", ".ndjson"}:
            return False
        first = b""
        for line in stream:
            if line.strip():
                first = line
                break
        try:
            return not isinstance(json.loads(first), dict)
        except ValueError:
            return True

    def __iter__(self) -> Iterator[RawRecord]:
        stream = self._open()
        try:
            document = self._is_document(stream)
            stream.seek(0)
            if document:
                yield from self._document(stream)
            else:
                yield from self._lines(stream)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            # A truncated or corrupt .gz: say which file, instead of a traceback.
            raise BadRecord(self.name, f"not a readable gzip file ({exc})") from exc
        finally:
            stream.close()
            self._raw.close()
            self.done = self.total

    def _lines(self, stream: io.BufferedIOBase) -> Iterator[RawRecord]:
        # Binary line iteration splits on b"\n" only: U+2028 inside strings stays put.
        for number, line in enumerate(stream, start=1):
            self.done = self._raw.tell()
            if not line.strip():
                continue
            location = f"{self.name}:{number}"
            try:
                yield RawRecord(location, json.loads(line.rstrip(b"\r\n")))
            except UnicodeDecodeError as exc:
                yield RawRecord(location, error=f"not UTF-8 text ({exc.reason})")
            except json.JSONDecodeError as exc:
                yield RawRecord(location, error=f"malformed JSON: {exc.msg} (column {exc.colno})")

    def _document(self, stream: io.BufferedIOBase) -> Iterator[RawRecord]:
        try:
            document = json.loads(stream.read())
        except UnicodeDecodeError as exc:
            yield RawRecord(self.name, error=f"not UTF-8 text ({exc.reason})")
            return
        except json.JSONDecodeError as exc:
            yield RawRecord(
                f"{self.name}:{exc.lineno}", error=f"malformed JSON: {exc.msg} (column {exc.colno})"
            )
            return
        if isinstance(document, dict) and isinstance(document.get("results"), list):
            for index, item in enumerate(document["results"]):
                yield RawRecord(f"{self.name}:results[{index}]", item)
        elif isinstance(document, list):
            for index, item in enumerate(document):
                yield RawRecord(f"{self.name}:[{index}]", item)
        else:
            yield RawRecord(self.name, document)


# --- Report --------------------------------------------------------------------------------------


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


@dataclass
class ImportReport:
    """What an import did, per kind: created, updated, unchanged (matched, nothing new), skipped."""

    counts: dict[str, KindCounts] = field(default_factory=lambda: {k: KindCounts() for k in KINDS})
    files: list[tuple[str, str, int]] = field(default_factory=list)  # (name, format, records)
    skipped: list[str] = field(default_factory=list)
    authors_refreshed: int = 0
    _created: dict[str, set] = field(default_factory=lambda: {k: set() for k in KINDS})
    _updated: dict[str, set] = field(default_factory=lambda: {k: set() for k in KINDS})
    _matched: dict[str, set] = field(default_factory=lambda: {k: set() for k in KINDS})

    def finish(self) -> "ImportReport":
        for kind in KINDS:
            created, updated = self._created[kind], self._updated[kind] - self._created[kind]
            counts = self.counts[kind]
            counts.created = len(created)
            counts.updated = len(updated)
            counts.unchanged = len(self._matched[kind] - created - updated)
        return self

    def summary_lines(self) -> list[str]:
        lines = [f"{name}: {records} records ({fmt})" for name, fmt, records in self.files]
        for kind in KINDS:
            c = self.counts[kind]
            lines.append(
                f"{kind}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged, "
                f"{c.skipped} skipped"
            )
        lines.extend(f"skipped {message}" for message in self.skipped)
        return lines


# --- Writing -------------------------------------------------------------------------------------


def _max_lengths(model: type[models.Model]) -> dict[str, int]:
    return {
        f.attname: f.max_length
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField) and f.max_length
    }


def _union(old: list[str], new: list[str], exclude: str) -> list[str]:
    seen = set(old)
    merged = list(old)
    for value in new:
        if value and value not in seen and value != exclude:
            seen.add(value)
            merged.append(value)
    return [v for v in merged if v != exclude]


class _Table:
    """One batch's rows of one model, matched on identifiers and written with bulk statements.

    Rows are dicts of the written fields plus "pk" (None until created). A record matches the
    first row found through its identifiers in priority order, unless an identifier earlier in
    that order holds a different value on both sides (two different works sharing a DOI stay two
    works). An identifier already held by another row is not copied (the constraint is unique).
    Records without identifiers match on `fallback` (Author.name_key, Venue.name).
    """

    def __init__(
        self,
        writer: "RecordWriter",
        model: type[models.Model],
        kind: str,
        keys: tuple[str, ...],
        fields: tuple[str, ...],
        fallback: str = "",
        fallback_filter: dict | None = None,
        fill_only: bool = False,
    ):
        self.writer = writer
        self.model = model
        self.kind = kind
        self.keys = keys
        self.fields = fields
        self.fallback = fallback
        self.fallback_filter = fallback_filter or {}
        self.fill_only = fill_only
        self.max_lengths = _max_lengths(model)
        self.by_key: dict[tuple[str, Any], dict] = {}
        self.loaded: dict[int, dict] = {}
        self.original: dict[int, tuple] = {}
        self.new_rows: list[dict] = []
        self.forced: set[int] = set()

    def _snapshot(self, row: dict) -> tuple:
        return tuple(row[f] for f in self.fields)

    def _register(self, row: dict) -> None:
        for key in self.keys:
            if row[key]:
                self.by_key.setdefault((key, row[key]), row)
        if (
            self.fallback
            and row[self.fallback]
            and all(row[f] == v for f, v in self.fallback_filter.items())
        ):
            self.by_key.setdefault((self.fallback, row[self.fallback]), row)

    def _derive(self, row: dict) -> dict:
        """A stored row as the table keys it (a subclass may add derived keys)."""
        return row

    def _load(self, queryset: models.QuerySet) -> None:
        for row in map(self._derive, queryset.values("pk", *self.fields)):
            if row["pk"] not in self.loaded:
                self.loaded[row["pk"]] = row
                self.original[row["pk"]] = self._snapshot(row)
                self._register(row)

    def preload(self, all_values: list[dict]) -> None:
        """Look up every existing row these records could match: one query per identifier."""
        if self.fallback:
            names = {
                v[self.fallback]
                for v in all_values
                if v[self.fallback] and not any(v[k] for k in self.keys)
            }
            if names:
                self._load(
                    self.model.objects.filter(
                        **{f"{self.fallback}__in": names}, **self.fallback_filter
                    ).order_by("pk")
                )
        for key in self.keys:
            wanted = {v[key] for v in all_values if v[key]}
            if wanted:
                # The unique indexes are partial (WHERE key <> ''): say so, or they go unused.
                self._load(self.model.objects.filter(**{f"{key}__in": wanted}).exclude(**{key: ""}))

    def _clip(self, values: dict) -> dict:
        for name, limit in self.max_lengths.items():
            value = values.get(name)
            if isinstance(value, str) and len(value) > limit:
                values[name] = value[:limit]
        return values

    def _find(self, values: dict) -> dict | None:
        for position, key in enumerate(self.keys):
            value = values[key]
            candidate = self.by_key.get((key, value)) if value else None
            if candidate is None:
                continue
            earlier = self.keys[:position]
            if not any(values[k] and candidate[k] and values[k] != candidate[k] for k in earlier):
                return candidate
        if self.fallback and values[self.fallback] and not any(values[k] for k in self.keys):
            return self.by_key.get((self.fallback, values[self.fallback]))
        return None

    def resolve(self, values: dict) -> dict:
        """The row this record is, created or updated in memory; written by `flush`.

        A fill-only table (records nested in works: their authors, institutions, venues,
        topics) only fills empty fields of a row that exists; the entity's own records (an
        OpenAlex author or institution file) and works themselves overwrite: newer wins.
        """
        fill_only = self.fill_only
        values = self._clip(values)
        row = self._find(values)
        if row is None:
            row = {"pk": None, **values}
            if "name_variants" in row:
                row["name_variants"] = _union([], values["name_variants"], row["display_name"])
            self.new_rows.append(row)
        else:
            before = {key: row[key] for key in self.keys}
            for name, value in values.items():
                if name == "name_variants":
                    row[name] = _union(row[name], value, row.get("display_name", ""))
                elif name == "current_institution_id":
                    row[name] = value  # explicit, None included: the record says so
                elif value is None or value == "" or fill_only and row[name] not in ("", None):
                    continue
                else:
                    row[name] = value
            for key in self.keys:
                holder = self.by_key.get((key, row[key])) if row[key] else None
                if holder is not None and holder is not row:
                    row[key] = before[key]
        for key in self.keys:
            holder = self.by_key.get((key, row[key])) if row[key] else None
            if holder is not None and holder is not row:
                row[key] = ""
        self._register(row)
        if row["pk"] is not None:
            self.writer.report._matched[self.kind].add(row["pk"])
        return row

    def resolve_all(self, items: list, all_values: list[dict]) -> None:
        """Preload every row these records could match, then set each record's `row`."""
        self.preload(all_values)
        for item, values in zip(items, all_values, strict=True):
            item.row = self.resolve(values)

    def force_update(self, row: dict) -> None:
        if row["pk"] is not None:
            self.forced.add(row["pk"])

    def changed_rows(self) -> list[dict]:
        return [
            row
            for pk, row in self.loaded.items()
            if pk in self.forced or self._snapshot(row) != self.original[pk]
        ]

    def _instance(self, row: dict) -> models.Model:
        return self.model(
            **{f: row[f] for f in self.fields},
            source=self.writer.source,
            imported_at=self.writer.now,
        )

    def flush(self, extra: Callable[[dict], dict] | None = None) -> list[dict]:
        """Insert new rows (their pks land in the row dicts), update changed ones; return both."""
        report = self.writer.report
        if self.new_rows:
            provenance = {"source": self.writer.source, "imported_at": self.writer.now}
            pks = insert_rows(
                self.model,
                [
                    {
                        **{f: row[f] for f in self.fields},
                        **(extra(row) if extra else {}),
                        **provenance,
                    }
                    for row in self.new_rows
                ],
            )
            for row, pk in zip(self.new_rows, pks, strict=True):
                row["pk"] = pk
            report._created[self.kind].update(pks)
            report._matched[self.kind].update(pks)
        changed = self.changed_rows()
        if changed:
            objs = []
            for row in changed:
                obj = self._instance(row)
                obj.pk = row["pk"]
                objs.append(obj)
                report._updated[self.kind].add(row["pk"])
            self.model.objects.bulk_update(
                objs, [*self.fields, "source", "imported_at"], batch_size=500
            )
        # Everything written: the next batch starts from the database again.
        for row in self.new_rows:
            self.loaded[row["pk"]] = row
            self.original[row["pk"]] = self._snapshot(row)
        for row in changed:
            self.original[row["pk"]] = self._snapshot(row)
        written = self.new_rows + changed
        self.new_rows = []
        self.forced = set()
        return written


_INSTITUTION_FIELDS = (
    "name",
    "openalex_id",
    "ror",
    "country_code",
    "type",
    "homepage_url",
    "email_domain",
)
_VENUE_FIELDS = ("name", "openalex_id", "issn_l", "type", "publisher")
_TOPIC_FIELDS = ("scheme", "external_id", "name", "domain", "field", "subfield")
_AUTHOR_FIELDS = ("display_name", "name_key", "openalex_id", "orcid", "s2_id", "name_variants")
_WORK_FIELDS = (
    "title",
    "abstract",
    "type",
    "publication_year",
    "publication_date",
    "venue_id",
    "doi",
    "arxiv_id",
    "openalex_id",
    "s2_id",
    "cited_by_count",
    "language",
    "author_count",
)


class RecordWriter:
    """Writes batches of parsed records for one file (one source, one run time)."""

    def __init__(self, report: ImportReport, *, source: str, now: datetime):
        self.report = report
        self.source = source
        self.now = now
        self.touched_authors: set[int] = set()

    # Institutions, venues and topics first: authors and works point at them.

    def _write_institutions(self, items: list[InstitutionData], *, nested: bool) -> None:
        items = [i for i in items if i.openalex_id or i.ror]
        if not items:
            return
        table = _Table(
            self,
            Institution,
            "institutions",
            ("openalex_id", "ror"),
            _INSTITUTION_FIELDS,
            fill_only=nested,
        )
        table.resolve_all(items, [i.values() for i in items])
        table.flush()

    def _write_venues(self, items: list[VenueData]) -> None:
        if not items:
            return
        table = _Table(
            self,
            Venue,
            "venues",
            ("openalex_id",),
            _VENUE_FIELDS,
            fallback="name",
            fallback_filter={"openalex_id": ""},
            fill_only=True,
        )
        table.resolve_all(items, [v.values() for v in items])
        table.flush()

    def _write_topics(self, items: list[TopicData]) -> None:
        if not items:
            return
        table = _TopicTable(self)
        table.resolve_all(items, [table._derive(t.values()) for t in items])
        table.flush_topics()

    def _write_authors(self, items: list[AuthorData], *, nested: bool) -> None:
        if not items:
            return
        fields = _AUTHOR_FIELDS
        if any(a.current_institution is not _UNSET for a in items):
            fields = (*fields, "current_institution_id")
        table = _Table(
            self,
            Author,
            "authors",
            ("openalex_id", "orcid", "s2_id"),
            fields,
            fallback="name_key",
            fill_only=nested,
        )
        all_values = [a.values() for a in items]
        for values in all_values:
            # A name with no letters or digits ("†") folds to "": it still needs a key, and it
            # must be set before the preload looks rows up by key, or a re-import duplicates it.
            if not values["name_key"]:
                values["name_key"] = values["display_name"].casefold()
        table.preload(all_values)
        # A claimed record's current institution is the owner's to set, not a later import's.
        claimed = {}
        if "current_institution_id" in fields and table.loaded:
            claimed = {
                pk: table.loaded[pk]["current_institution_id"]
                for pk in Author.objects.filter(
                    pk__in=list(table.loaded), claimed=True
                ).values_list("pk", flat=True)
            }
        for item, values in zip(items, all_values, strict=True):
            item.row = table.resolve(values)
            if item.row["pk"] in claimed:
                item.row["current_institution_id"] = claimed[item.row["pk"]]
        # New or changed records need fresh counts and trust (an ORCID or institution counts).
        self.touched_authors.update(row["pk"] for row in table.flush())

    def write_institutions(self, items: list[InstitutionData]) -> None:
        """Write a batch of institution records (creates and updates in bulk)."""
        self._write_institutions(items, nested=False)

    def write_authors(self, items: list[AuthorData]) -> None:
        """Write a batch of author records and the institutions they name as current."""
        self._write_institutions(
            [
                a.current_institution
                for a in items
                if isinstance(a.current_institution, InstitutionData)
            ],
            nested=True,
        )
        self._write_authors(items, nested=False)

    def write_works(self, items: list[WorkData]) -> None:
        """Write a batch of works with their venues, topics, authors, institutions, authorships."""
        if not items:
            return
        self._write_institutions(
            [i for w in items for a in w.authorships for i in a.institutions], nested=True
        )
        self._write_venues([w.venue for w in items if w.venue])
        self._write_topics([t for w in items for t, _score in w.topics])
        for work in items:
            _pair_unidentified_authors(work)
        self._write_authors([a.author for w in items for a in w.authorships], nested=True)

        # The last record of a work in the batch wins (a file may repeat a work).
        table = _Table(
            self, Work, "works", ("openalex_id", "doi", "arxiv_id", "s2_id"), _WORK_FIELDS
        )
        plans = []
        all_values = []
        for work in items:
            authorships = _plan_authorships(work)
            topics = _plan_topics(work)
            values = {
                "title": work.title,
                "abstract": work.abstract,
                "type": work.type,
                "publication_year": work.publication_year,
                "publication_date": work.publication_date,
                "venue_id": work.venue.row["pk"] if work.venue else None,
                "doi": work.doi,
                "arxiv_id": work.arxiv_id,
                "openalex_id": work.openalex_id,
                "s2_id": work.s2_id,
                "cited_by_count": work.cited_by_count,
                "language": work.language,
                "author_count": len(authorships),
            }
            all_values.append(values)
            plans.append((work, authorships, topics))
        table.preload(all_values)
        last: dict[int, tuple] = {}
        for (work, authorships, topics), values in zip(plans, all_values, strict=True):
            work.row = table.resolve(values)
            last[id(work.row)] = (work.row, authorships, topics)

        existing = [row["pk"] for row, _a, _t in last.values() if row["pk"] is not None]
        old_authorships, old_topics = _current_relations(existing)
        rewrite = []
        for row, authorships, topics in last.values():
            if row["pk"] is None:
                rewrite.append((row, authorships, topics, True, True))
                continue
            old_a = old_authorships.get(row["pk"], [])
            old_t = old_topics.get(row["pk"], {})
            new_a = [
                (author_pk, raw, tuple(sorted(insts))) for author_pk, raw, insts in authorships
            ]
            a_changed, t_changed = old_a != new_a, old_t != topics
            if a_changed or t_changed:
                table.force_update(row)
                rewrite.append((row, authorships, topics, a_changed, t_changed))
                if a_changed:
                    self.touched_authors.update(a for a, _r, _i in old_a)
        created = list(table.new_rows)
        table.flush()
        new_pks = {row["pk"] for row in created}
        _write_relations(rewrite, new_pks)
        for _row, authorships, _topics, a_changed, t_changed in rewrite:
            if a_changed or t_changed:
                self.touched_authors.update(a for a, _r, _i in authorships)


class _TopicTable(_Table):
    """Topics match on (scheme, external_id); a new topic gets a unique, URL-safe slug."""

    def __init__(self, writer: RecordWriter):
        super().__init__(writer, Topic, "topics", ("topic_key",), _TOPIC_FIELDS, fill_only=True)

    def _derive(self, row: dict) -> dict:
        row["topic_key"] = f"{row['scheme']}:{row['external_id']}"
        return row

    def preload(self, all_values: list[dict]) -> None:
        # Both columns, so the (scheme, external_id) unique index serves the lookup.
        schemes = {v["scheme"] for v in all_values}
        wanted = {v["external_id"] for v in all_values}
        self._load(Topic.objects.filter(scheme__in=schemes, external_id__in=wanted))

    def flush_topics(self) -> None:
        bases = {}
        for row in self.new_rows:
            base = slugify(row["name"])[:90].strip("-") or "topic"
            bases[id(row)] = (base, f"{base}-{slugify(row['external_id'])}"[:120].strip("-"))
        candidates = {slug for pair in bases.values() for slug in pair}
        taken = set(Topic.objects.filter(slug__in=candidates).values_list("slug", flat=True))
        slugs = {}
        for row in self.new_rows:
            base, with_id = bases[id(row)]
            slug, number = (base if base not in taken else with_id), 2
            while slug in taken:
                slug = f"{with_id[:110]}-{number}"
                number += 1
            taken.add(slug)
            slugs[id(row)] = slug
        self.flush(extra=lambda row: {"slug": slugs[id(row)]})


def _pair_unidentified_authors(work: WorkData) -> None:
    """An author listed without ids whose name matches an identified author of the same work is
    that author (some OpenAlex works list their authors twice, with and without ids)."""
    identified = {}
    for authorship in work.authorships:
        if authorship.author.has_ids:
            for name in (authorship.author.display_name, authorship.raw_name):
                identified.setdefault(name_key(name), authorship.author)
    if not identified:
        return
    for authorship in work.authorships:
        if not authorship.author.has_ids:
            twin = identified.get(name_key(authorship.author.display_name))
            if twin is None:
                twin = identified.get(name_key(authorship.raw_name))
            if twin is not None:
                authorship.author = twin


def _plan_authorships(work: WorkData) -> list[tuple[int, str, list[int]]]:
    """(author pk, raw name, institution pks) in order; an author listed twice counts once."""
    seen: set[int] = set()
    planned = []
    for authorship in work.authorships:
        pk = authorship.author.row["pk"]
        if pk in seen:
            continue
        seen.add(pk)
        institutions = sorted({i.row["pk"] for i in authorship.institutions if i.row})
        planned.append((pk, authorship.raw_name[:300], institutions))
    return planned


def _plan_topics(work: WorkData) -> dict[int, float]:
    topics: dict[int, float] = {}
    for topic, score in work.topics:
        pk = topic.row["pk"]
        topics[pk] = max(score, topics.get(pk, -math.inf))
    return topics


def _current_relations(work_ids: list[int]) -> tuple[dict, dict]:
    authorships: dict[int, list] = {}
    topics: dict[int, dict] = {}
    if not work_ids:
        return authorships, topics
    through = Authorship.institutions.through
    institutions: dict[int, list[int]] = {}
    for authorship_id, institution_id in through.objects.filter(
        authorship__work_id__in=work_ids
    ).values_list("authorship_id", "institution_id"):
        institutions.setdefault(authorship_id, []).append(institution_id)
    for pk, work_id, author_id, raw_name in (
        Authorship.objects.filter(work_id__in=work_ids)
        .order_by("work_id", "position")
        .values_list("pk", "work_id", "author_id", "raw_name")
    ):
        authorships.setdefault(work_id, []).append(
            (author_id, raw_name, tuple(sorted(institutions.get(pk, []))))
        )
    for work_id, topic_id, score in WorkTopic.objects.filter(work_id__in=work_ids).values_list(
        "work_id", "topic_id", "score"
    ):
        topics.setdefault(work_id, {})[topic_id] = score
    return authorships, topics


def _write_relations(rewrite: list[tuple], new_pks: set[int]) -> None:
    """Replace the authorships and topics of new and changed works, in bulk."""

    def new(row: dict) -> bool:
        return row["pk"] in new_pks

    old_authorships = [r["pk"] for r, _a, _t, changed, _tc in rewrite if changed and not new(r)]
    old_topics = [r["pk"] for r, _a, _t, _ac, changed in rewrite if changed and not new(r)]
    if old_authorships:
        Authorship.objects.filter(work_id__in=old_authorships).delete()
    if old_topics:
        WorkTopic.objects.filter(work_id__in=old_topics).delete()
    authorships, institution_lists, work_topics = [], [], []
    for row, planned, topics, a_changed, t_changed in rewrite:
        if a_changed:
            for position, (author_pk, raw_name, institutions) in enumerate(planned):
                authorships.append(
                    {
                        "work_id": row["pk"],
                        "author_id": author_pk,
                        "position": position,
                        "raw_name": raw_name,
                    }
                )
                institution_lists.append(institutions)
        if t_changed:
            work_topics.extend(
                {"work_id": row["pk"], "topic_id": topic_pk, "score": score}
                for topic_pk, score in topics.items()
            )
    authorship_pks = insert_rows(Authorship, authorships)
    insert_rows(
        Authorship.institutions.through,
        [
            {"authorship_id": authorship_pk, "institution_id": institution_pk}
            for authorship_pk, institutions in zip(authorship_pks, institution_lists, strict=True)
            for institution_pk in institutions
        ],
    )
    insert_rows(WorkTopic, work_topics)
