"""Importers on the real files in ../shared/data, counted against the files themselves."""

import datetime
import gzip
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from works.importers import (
    BadRecord,
    import_arxiv_file,
    import_openalex_authors,
    import_openalex_institutions,
    import_openalex_works,
    import_path,
    import_semantic_scholar_papers,
)
from works.models import (
    Author,
    Authorship,
    Institution,
    Source,
    Topic,
    Venue,
    Work,
    WorkTopic,
)

pytestmark = pytest.mark.django_db


def read_jsonl(path: Path) -> list[dict]:
    """The file's records, split on "\\n" only (the files hold U+2028 inside strings)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return [json.loads(line) for line in handle.read().split("\n") if line.strip()]


def short(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def table_counts() -> dict[str, int]:
    models = (Work, Author, Authorship, Institution, Venue, Topic, WorkTopic)
    return {model.__name__: model.objects.count() for model in models}


def run_command(*args, **options) -> str:
    out = StringIO()
    call_command("import_works", *[str(a) for a in args], stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def works_file(data_dir) -> Path:
    return data_dir / "openalex" / "works.jsonl"


@pytest.fixture
def openalex_works(works_file) -> list[dict]:
    return read_jsonl(works_file)


# --- OpenAlex works ------------------------------------------------------------------------------


def test_openalex_works_unicode_line_separators_do_not_split_records(works_file):
    """works.jsonl holds U+2028 in strings; every one of its 395 lines is one work."""
    text = works_file.read_text(encoding="utf-8")
    assert "\u2028" in text
    assert len(text.splitlines()) > 395

    report = import_openalex_works(works_file)

    assert Work.objects.count() == 395
    assert report.counts["works"].created == 395


def test_openalex_works_counts_match_the_file(works_file, openalex_works):
    """Works, authors, institutions, venues, topics and links equal the file's own counts."""
    author_ids = set()
    authorships = 0
    institution_ids, venue_ids, topic_ids = set(), set(), set()
    work_topics = 0
    for work in openalex_works:
        # Some works list their authors twice, once with ids and once without: one authorship.
        with_ids = {a["raw_author_name"] for a in work["authorships"] if a["author"]["id"]}
        seen = set()
        for authorship in work["authorships"]:
            author_id = authorship["author"]["id"]
            if author_id or authorship["raw_author_name"] not in with_ids:
                seen.add(author_id or authorship["raw_author_name"])
            if author_id:
                author_ids.add(author_id)
            institution_ids.update(i["id"] for i in authorship["institutions"] if i.get("id"))
        authorships += len(seen)
        source = (work["primary_location"] or {}).get("source")
        if source:
            venue_ids.add(source["id"])
        topic_ids.update(t["id"] for t in work["topics"])
        work_topics += len({t["id"] for t in work["topics"]})

    report = import_openalex_works(works_file)

    assert Work.objects.count() == len(openalex_works) == 395
    assert Author.objects.exclude(openalex_id="").count() == len(author_ids) == 1579
    # Authorships without an author id match by name; those with no namesake are created.
    assert set(Author.objects.filter(openalex_id="").values_list("display_name", flat=True)) == {
        "Jan Horst Keppler",
        "OECD",
        "Karl-Göran Mäler",
        "Bengt Kriström",
        "Partha Dasgupta",
        "Karl-Gustaf Löfgren",
    }
    assert Authorship.objects.count() == authorships
    assert Institution.objects.count() == len(institution_ids)
    assert Venue.objects.count() == len(venue_ids)
    assert Topic.objects.filter(scheme=Topic.Scheme.OPENALEX_TOPIC).count() == len(topic_ids)
    assert WorkTopic.objects.count() == work_topics
    assert report.counts["authors"].created == Author.objects.count()
    assert report.counts["works"].skipped == 0


def test_openalex_works_known_values(works_file):
    """W2755950973 is bibliometrix by Massimo Aria (ORCID) and Corrado Cuccurullo, in order."""
    import_openalex_works(works_file)

    work = Work.objects.select_related("venue").get(openalex_id="W2755950973")
    assert work.title == "bibliometrix : An R-tool for comprehensive science mapping analysis"
    assert work.doi == "10.1016/j.joi.2017.08.007"
    assert work.type == "article"
    assert work.publication_year == 2017
    assert work.publication_date == datetime.date(2017, 9, 12)
    assert work.venue.name == "Journal of Informetrics"
    assert work.venue.openalex_id == "S205292342"
    assert work.venue.issn_l == "1751-1577"
    assert work.language == "en"
    assert work.cited_by_count == 9231
    assert work.author_count == 2
    assert work.source == Source.OPENALEX
    first, second = work.authorships.select_related("author").order_by("position")
    assert (first.position, first.raw_name) == (0, "Massimo Aria")
    assert first.author.display_name == "Massimo Aria"
    assert first.author.openalex_id == "A5069892096"
    assert first.author.orcid == "0000-0002-8517-9411"
    assert [(i.name, i.ror, i.openalex_id, i.country_code) for i in first.institutions.all()] == [
        ("University of Naples Federico II", "05290cv24", "I71267560", "IT")
    ]
    assert second.raw_name == "Corrado Cuccurullo"
    topic = work.work_topics.select_related("topic").get(topic__external_id="T13398")
    assert topic.score == 0.994
    assert (topic.topic.name, topic.topic.slug) == ("Data Analysis with R", "data-analysis-with-r")
    assert (topic.topic.domain, topic.topic.field, topic.topic.subfield) == (
        "Physical Sciences",
        "Computer Science",
        "Artificial Intelligence",
    )


def test_openalex_works_abstract_rebuilt_from_inverted_index(works_file):
    """The abstract is plain text, words put back in the order of their positions."""
    import_openalex_works(works_file)

    work = Work.objects.get(openalex_id="W2741809807")
    assert work.abstract.startswith(
        "Despite growing interest in Open Access (OA) to scholarly literature,"
    )
    assert Work.objects.get(openalex_id="W2755950973").abstract == ""


def test_openalex_works_repeated_author_counts_once(works_file, openalex_works):
    """W49044230 lists Richard Wrangham four times: one authorship, author_count counts it once."""
    listed = next(w for w in openalex_works if w["id"].endswith("/W49044230"))["authorships"]
    wrangham = [a for a in listed if a["author"]["id"].endswith("/A5071739156")]

    import_openalex_works(works_file)

    work = Work.objects.get(openalex_id="W49044230")
    assert (len(listed), len(wrangham)) == (24, 4)
    assert work.author_count == work.authorships.count() == 21
    assert work.authorships.filter(author__openalex_id="A5071739156").get().position == 0


def test_openalex_works_shared_doi_keeps_two_works(works_file):
    """Two OpenAlex works share one DOI: both are kept, the DOI stays with the first."""
    import_openalex_works(works_file)

    first = Work.objects.get(openalex_id="W2526253498")
    second = Work.objects.get(openalex_id="W4392695770")
    assert (first.doi, second.doi) == ("10.4337/9781035335510", "")


def test_openalex_single_object_file(data_dir):
    """A file holding one API object imports that object."""
    report = import_path(data_dir / "openalex" / "single" / "W2741809807.json")

    work = Work.objects.get()
    assert work.openalex_id == "W2741809807"
    assert work.doi == "10.7717/peerj.4375"
    assert work.abstract.startswith("Despite growing interest in Open Access")
    assert report.files == [("W2741809807.json", "openalex-works", 1)]


def test_openalex_api_list_response(tmp_path, openalex_works):
    """An API list response ({"meta": …, "results": […]}) imports each result."""
    path = tmp_path / "page.json"
    path.write_text(
        json.dumps({"meta": {"count": 2, "page": 1}, "results": openalex_works[:2]}),
        encoding="utf-8",
    )

    report = import_path(path)

    assert sorted(Work.objects.values_list("openalex_id", flat=True)) == [
        "W2741809807",
        "W2755950973",
    ]
    assert report.files == [("page.json", "openalex-works", 2)]


# --- Idempotency and updates ---------------------------------------------------------------------


def _snapshot():
    return (
        table_counts(),
        list(
            Work.objects.order_by("openalex_id").values_list(
                "openalex_id", "title", "doi", "cited_by_count", "author_count", "imported_at"
            )
        ),
        list(
            Author.objects.order_by("openalex_id", "name_key").values_list(
                "openalex_id", "display_name", "orcid", "name_variants", "works_count"
            )
        ),
        list(
            Authorship.objects.order_by("work__openalex_id", "position").values_list(
                "work__openalex_id", "author__openalex_id", "raw_name"
            )
        ),
    )


def _rows_by_pk():
    """Every value an import writes, for sources whose works carry no OpenAlex id."""
    return (
        table_counts(),
        list(
            Work.objects.order_by("pk").values_list(
                "pk", "title", "doi", "arxiv_id", "s2_id", "publication_date", "imported_at"
            )
        ),
        list(
            Author.objects.order_by("pk").values_list(
                "pk", "display_name", "name_key", "s2_id", "name_variants", "imported_at"
            )
        ),
        list(
            Authorship.objects.order_by("work_id", "position").values_list(
                "work_id", "author_id", "raw_name"
            )
        ),
    )


def test_reimport_changes_nothing(works_file):
    """Importing the same file twice leaves every row and value as the first import wrote it."""
    import_openalex_works(works_file)
    before = _snapshot()

    report = import_openalex_works(works_file)

    assert _snapshot() == before
    counts = report.counts
    assert (counts["works"].created, counts["works"].updated, counts["works"].unchanged) == (
        0,
        0,
        395,
    )
    assert counts["authors"].created == counts["authors"].updated == 0
    assert report.authors_refreshed == 0


@pytest.mark.parametrize(
    "name", ["arxiv/arxiv-metadata-sample.jsonl", "s2ag/papers/papers-sample.jsonl.gz"]
)
def test_reimport_other_formats_changes_nothing(data_dir, name):
    """arXiv and Semantic Scholar files imported twice give the same rows."""
    import_path(data_dir / name)
    before = _rows_by_pk()

    report = import_path(data_dir / name)

    assert _rows_by_pk() == before
    counts = report.counts["works"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, Work.objects.count())
    assert report.authors_refreshed == 0


def test_newer_record_updates_older(tmp_path, openalex_works):
    """A newer record of a work replaces its values and its author list; nothing is duplicated."""
    old = next(w for w in openalex_works if w["id"].endswith("/W2755950973"))
    new = json.loads(json.dumps(old))
    new["cited_by_count"] = 9999
    new["title"] = "bibliometrix: an R-tool for science mapping"
    new["authorships"] = new["authorships"][:1]
    (tmp_path / "old.jsonl").write_text(json.dumps(old) + "\n", encoding="utf-8")
    (tmp_path / "new.jsonl").write_text(json.dumps(new) + "\n", encoding="utf-8")
    import_openalex_works(tmp_path / "old.jsonl")
    cuccurullo = Author.objects.get(openalex_id="A5049136342")
    assert cuccurullo.works_count == 1

    report = import_openalex_works(tmp_path / "new.jsonl")

    work = Work.objects.get()
    assert (work.title, work.cited_by_count, work.author_count) == (
        "bibliometrix: an R-tool for science mapping",
        9999,
        1,
    )
    assert list(work.authorships.values_list("raw_name", flat=True)) == ["Massimo Aria"]
    assert report.counts["works"].updated == 1
    cuccurullo.refresh_from_db()
    assert cuccurullo.works_count == 0


# --- Authors and institutions --------------------------------------------------------------------


def test_openalex_authors_file(data_dir):
    """Every author record is one Author; the current institution is the first last-known one."""
    path = data_dir / "openalex" / "authors.jsonl"
    records = read_jsonl(path)
    first_known = {}
    for record in records:
        known = record.get("last_known_institutions")
        if known is None and record.get("last_known_institution"):
            known = [record["last_known_institution"]]
        if known:
            first_known[short(record["id"])] = short(known[0]["id"])

    report = import_openalex_authors(path)

    assert Author.objects.count() == len(records) == 108
    assert report.counts["authors"].created == 108
    assert Institution.objects.count() == len(set(first_known.values()))
    assert {
        a.openalex_id: a.current_institution.openalex_id
        for a in Author.objects.exclude(current_institution=None).select_related(
            "current_institution"
        )
    } == first_known
    priem = Author.objects.get(openalex_id="A5023888391")
    assert (priem.display_name, priem.orcid) == ("Jason Priem", "0000-0001-6187-6610")
    assert priem.current_institution.name == "OpenAlex"
    assert priem.name_variants == ["Priem Jason"]


def test_authorships_never_set_current_institution(works_file):
    """Works say where an author was; only an author record says where they are now."""
    import_openalex_works(works_file)

    assert Author.objects.exclude(current_institution=None).count() == 0


def test_openalex_institutions_file(data_dir):
    """Every institution record is one Institution with its ROR, country and homepage domain."""
    path = data_dir / "openalex" / "institutions.jsonl"
    records = read_jsonl(path)

    import_openalex_institutions(path)

    assert Institution.objects.count() == len(records) == 126
    michigan = Institution.objects.get(openalex_id="I27837315")
    assert (michigan.name, michigan.ror, michigan.country_code) == (
        "University of Michigan",
        "00jmfr291",
        "US",
    )
    assert (michigan.homepage_url, michigan.email_domain) == ("https://www.umich.edu", "umich.edu")


# --- arXiv ---------------------------------------------------------------------------------------


def test_arxiv_file(data_dir):
    """arXiv records become preprints in the venue arXiv, authors from authors_parsed in order."""
    path = data_dir / "arxiv" / "arxiv-metadata-sample.jsonl"
    records = read_jsonl(path)
    categories = {code for r in records for code in r["categories"].split()}
    people = {(p[0].lower(), p[1].lower()) for r in records for p in r["authors_parsed"]}

    report = import_arxiv_file(path)

    assert Work.objects.count() == len(records) == 200
    assert set(Work.objects.values_list("type", flat=True)) == {"preprint"}
    assert set(Work.objects.values_list("venue__name", flat=True)) == {"arXiv"}
    assert Topic.objects.filter(scheme=Topic.Scheme.ARXIV).count() == len(categories)
    assert Author.objects.count() == len(people)
    assert report.counts["works"].created == 200
    work = Work.objects.get(arxiv_id="0704.0001")
    assert work.title == (
        "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert work.doi == "10.1103/physrevd.76.013009"
    assert work.publication_date == datetime.date(2007, 4, 2)
    assert work.abstract.startswith("A fully differential calculation in perturbative")
    assert list(work.authorships.values_list("raw_name", flat=True)) == [
        "C. Balázs",
        "E. L. Berger",
        "P. M. Nadolsky",
        "C. -P. Yuan",
    ]
    assert work.source == Source.ARXIV


def test_arxiv_authors_parsed_suffix_and_category_names(data_dir):
    """[last, first, suffix] prints as "first last suffix"; categories get readable names."""
    import_arxiv_file(data_dir / "arxiv" / "arxiv-metadata-sample.jsonl")

    assert Authorship.objects.filter(raw_name="Neal J. Evans II").count() == 1
    hep = Topic.objects.get(scheme=Topic.Scheme.ARXIV, external_id="hep-ph")
    assert (hep.name, hep.slug) == (
        "High Energy Physics - Phenomenology (hep-ph)",
        "high-energy-physics-phenomenology-hep-ph",
    )


def test_arxiv_authors_match_by_name_key(tmp_path):
    """arXiv authors have no ids: "Zhou, Eric" on one paper and "Eric Zhou" on another are one."""
    records = [
        {
            "id": "2003.03477",
            "title": "One",
            "abstract": "",
            "categories": "cs.LG",
            "versions": [{"version": "v1", "created": "Sat, 7 Mar 2020 01:02:03 GMT"}],
            "authors_parsed": [["Zhou", "Eric", ""], ["Liu", "Hanpeng", ""]],
        },
        {
            "id": "2006.10966",
            "title": "Two",
            "abstract": "",
            "categories": "cs.LG stat.ML",
            "versions": [{"version": "v1", "created": "Fri, 19 Jun 2020 01:02:03 GMT"}],
            "authors_parsed": [["Liu", "Yan", ""], ["ZHOU", "ERIC", ""]],
        },
    ]
    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")

    import_arxiv_file(path)

    assert sorted(Author.objects.values_list("display_name", flat=True)) == [
        "Eric Zhou",
        "Hanpeng Liu",
        "Yan Liu",
    ]
    eric = Author.objects.get(name_key="eric zhou")
    assert eric.works_count == 2
    assert eric.name_variants == ["ERIC ZHOU"]
    assert Topic.objects.get(external_id="cs.LG").name == "Machine Learning (cs.LG)"


# --- Semantic Scholar ----------------------------------------------------------------------------


def test_semantic_scholar_papers_file(data_dir):
    """S2 papers (gzipped JSON-lines) match on CorpusId; authors on their S2 author id."""
    path = data_dir / "s2ag" / "papers" / "papers-sample.jsonl.gz"
    records = read_jsonl(path)
    author_ids = {a["authorId"] for r in records for a in r["authors"] if a["authorId"]}
    fields = {f["category"] for r in records for f in (r["s2fieldsofstudy"] or [])}

    report = import_semantic_scholar_papers(path)

    assert Work.objects.count() == len(records) == 100
    assert Author.objects.exclude(s2_id="").count() == len(author_ids) == 176
    assert Topic.objects.filter(scheme=Topic.Scheme.S2_FIELD).count() == len(fields)
    assert report.counts["works"].created == 100
    work = Work.objects.get(s2_id="223588394")
    assert work.title == "Attaching Importance to Mental Quality Education in Clinical Practice"
    assert work.doi == "10.3760/cma.j.issn.2095-1485.2006.01.019"
    assert work.publication_date == datetime.date(2006, 2, 28)
    assert work.source == Source.SEMANTIC_SCHOLAR
    assert list(work.authorships.values_list("raw_name", "author__s2_id")) == [
        ("粟毅", "101039255"),
        ("吴亚梅", "2096896523"),
    ]
    assert sorted(work.topics.values_list("name", flat=True)) == ["Education", "Psychology"]


# --- The command, bad input ----------------------------------------------------------------------


def _bad_file(tmp_path: Path, openalex_works: list[dict], bad_line: str) -> Path:
    path = tmp_path / "works.jsonl"
    lines = [json.dumps(openalex_works[0]), bad_line, json.dumps(openalex_works[1])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_command_detects_format_and_prints_summary(works_file):
    """Without --format the command tells the format and prints counts per kind."""
    output = run_command(works_file)

    assert output.splitlines() == [
        "works.jsonl: 395 records (openalex-works)",
        "works: 395 created, 0 updated, 0 unchanged, 0 skipped",
        "authors: 1585 created, 0 updated, 0 unchanged, 0 skipped",
        "institutions: 427 created, 0 updated, 0 unchanged, 0 skipped",
        "topics: 385 created, 0 updated, 0 unchanged, 0 skipped",
        "venues: 205 created, 0 updated, 0 unchanged, 0 skipped",
    ]


def test_command_malformed_line_stops_and_writes_nothing(tmp_path, openalex_works):
    """A malformed JSON line stops the import, names file and line, and leaves the DB as it was."""
    path = _bad_file(tmp_path, openalex_works, '{"id": "https://openalex.org/W1", "title": ')
    before = table_counts()

    with pytest.raises(CommandError) as error:
        run_command(path)

    assert str(error.value) == "works.jsonl:2: malformed JSON: Expecting value (column 44)"
    assert table_counts() == before


def test_command_wrong_type_names_field(tmp_path, openalex_works):
    """A title that is not a string names file, line and field."""
    record = dict(openalex_works[2], title=42)
    path = _bad_file(tmp_path, openalex_works, json.dumps(record))
    before = table_counts()

    with pytest.raises(CommandError) as error:
        run_command(path)

    assert str(error.value) == 'works.jsonl:2: field "title": expected a string, got 42'
    assert table_counts() == before


def test_command_missing_title_names_field(tmp_path, openalex_works):
    """A work without a title (nor display_name) is refused."""
    record = {k: v for k, v in openalex_works[2].items() if k not in ("title", "display_name")}
    path = _bad_file(tmp_path, openalex_works, json.dumps(record))

    with pytest.raises(CommandError) as error:
        run_command(path)

    assert str(error.value) == 'works.jsonl:2: field "title": missing (required)'
    assert Work.objects.count() == 0


def test_command_nested_wrong_type_names_path(tmp_path, openalex_works):
    """A bad value deep in a record is named by its path."""
    record = json.loads(json.dumps(openalex_works[2]))
    record["authorships"][1]["author"]["orcid"] = 17
    path = _bad_file(tmp_path, openalex_works, json.dumps(record))

    with pytest.raises(BadRecord) as error:
        import_openalex_works(path)

    assert str(error.value) == (
        'works.jsonl:2: field "authorships[1].author.orcid": expected a string, got 17'
    )


def test_bad_record_in_a_later_file_rolls_back_earlier_files(tmp_path, works_file, openalex_works):
    """One run is one transaction: a bad second file leaves the first one unwritten too."""
    path = _bad_file(tmp_path, openalex_works, "not json")

    with pytest.raises(CommandError):
        run_command(works_file, path)

    assert table_counts()["Work"] == 0


def test_command_skip_bad_imports_the_rest(tmp_path, openalex_works):
    """--skip-bad imports the good records and reports the bad line."""
    record = dict(openalex_works[2], title=42)
    path = _bad_file(tmp_path, openalex_works, json.dumps(record))

    output = run_command(path, skip_bad=True)

    assert Work.objects.count() == 2
    assert "works: 2 created, 0 updated, 0 unchanged, 1 skipped" in output.splitlines()
    assert output.splitlines()[-1] == (
        'skipped works.jsonl:2: field "title": expected a string, got 42'
    )


def test_command_format_option_overrides_detection(tmp_path, openalex_works):
    """--format reads the file as the named format even when it looks like another."""
    path = tmp_path / "works.jsonl"
    path.write_text(json.dumps(openalex_works[0]) + "\n", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        run_command(path, format="openalex-authors")

    assert str(error.value) == (
        'works.jsonl:1: field "id": expected an OpenAlex id starting with "A", '
        'got "https://openalex.org/W2755950973"'
    )


def test_command_unknown_format_is_refused(data_dir):
    """A record of a kind we do not import names the file and the way out."""
    with pytest.raises(CommandError) as error:
        run_command(data_dir / "openalex" / "single" / "T11636.json")

    assert str(error.value).startswith("T11636.json: cannot tell the format of this record")


def test_import_refreshes_author_stats(works_file):
    """After an import the touched authors carry fresh counts and a trust score."""
    import_openalex_works(works_file)

    aria = Author.objects.get(openalex_id="A5069892096")
    assert aria.works_count == Authorship.objects.filter(author=aria).count() == 1
    assert aria.verification_level == Author.Verification.L1
    # L1 5 + works 4·log2(2) + one close collaborator log2(2) + ORCID 5 = 15
    assert aria.trust_score == 15


def test_command_missing_file_is_refused(tmp_path):
    """A path that does not exist stops the command with the path in the message."""
    missing = tmp_path / "nope.jsonl"

    with pytest.raises(CommandError) as error:
        run_command(missing)

    assert str(error.value) == f"{missing}: No such file or directory"


def test_command_without_terminal_prints_no_progress_bar(works_file):
    """Output that is not a terminal gets the plain summary only, no carriage returns."""
    output = run_command(works_file)

    assert "\r" not in output
    assert "[" not in output


def test_author_record_keeps_a_claimed_authors_institution(data_dir):
    """An import never moves a claimed author: their current institution is theirs to set."""
    own = Institution.objects.create(
        name="Owner's choice", source=Source.MANUAL, imported_at=timezone.now()
    )
    Author.objects.create(
        display_name="Jason Priem",
        name_key="jason priem",
        openalex_id="A5023888391",
        claimed=True,
        current_institution=own,
        source=Source.MANUAL,
        imported_at=timezone.now(),
    )

    import_path(data_dir / "openalex" / "single" / "A5023888391.json")

    priem = Author.objects.get(openalex_id="A5023888391")
    assert priem.current_institution == own
    assert priem.orcid == "0000-0001-6187-6610"


# --- Review additions: ranges, symbol-only names, old-style arXiv ids, broken .gz, re-imports ---


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("publication_year", 99999, "expected a whole number from 0 to 32767, got 99999"),
        ("cited_by_count", -3, "expected a whole number from 0 to 2147483647, got -3"),
    ],
)
def test_command_out_of_range_number_names_field(tmp_path, openalex_works, field, value, expected):
    """A number the database column cannot hold is a bad record naming its field, not a crash."""
    record = dict(openalex_works[2], **{field: value})
    path = _bad_file(tmp_path, openalex_works, json.dumps(record))
    before = table_counts()

    with pytest.raises(CommandError) as error:
        run_command(path)

    assert str(error.value) == f'works.jsonl:2: field "{field}": {expected}'
    assert table_counts() == before


def test_arxiv_author_whose_name_has_no_letters_is_not_duplicated_on_reimport(tmp_path):
    """A name that folds to an empty key ("†") still matches itself when imported again."""
    record = {
        "id": "2101.00001",
        "title": "Symbols",
        "abstract": "",
        "categories": "cs.DL",
        "versions": [{"version": "v1", "created": "Fri, 1 Jan 2021 01:02:03 GMT"}],
        "authors_parsed": [["†", "", ""], ["Zhou", "Eric", ""]],
    }
    path = tmp_path / "symbols.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    import_arxiv_file(path)

    report = import_arxiv_file(path)

    assert sorted(Author.objects.values_list("display_name", "name_key")) == [
        ("Eric Zhou", "eric zhou"),
        ("†", "†"),
    ]
    assert Authorship.objects.count() == 2
    assert (report.counts["authors"].created, report.counts["authors"].unchanged) == (0, 2)


def test_openalex_arxiv_id_from_landing_page_drops_only_the_version(tmp_path, openalex_works):
    """An old-style id with a "v" in its archive (solv-int/9901001v2) keeps it; v2 goes."""
    record = dict(
        openalex_works[0],
        doi=None,
        locations=[{"landing_page_url": "https://arxiv.org/abs/solv-int/9901001v2"}],
    )
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")

    import_openalex_works(path)

    assert Work.objects.get().arxiv_id == "solv-int/9901001"


def test_command_truncated_gzip_names_the_file(tmp_path, data_dir):
    """A .gz cut short stops the import with the file named, and writes nothing."""
    whole = (data_dir / "s2ag" / "papers" / "papers-sample.jsonl.gz").read_bytes()
    path = tmp_path / "papers.jsonl.gz"
    path.write_bytes(whole[:3000])

    with pytest.raises(CommandError) as error:
        run_command(path)

    assert str(error.value) == (
        "papers.jsonl.gz: not a readable gzip file "
        "(Compressed file ended before the end-of-stream marker was reached)"
    )
    assert table_counts()["Work"] == 0


@pytest.mark.parametrize(
    ("name", "kind", "records"),
    [
        ("openalex/authors.jsonl", "authors", 108),
        ("openalex/institutions.jsonl", "institutions", 126),
    ],
)
def test_reimport_author_and_institution_files_changes_nothing(data_dir, name, kind, records):
    """OpenAlex author and institution files imported twice: same rows, nothing written again."""
    import_path(data_dir / name)
    before = (
        table_counts(),
        list(Author.objects.order_by("pk").values_list("pk", "imported_at", "current_institution")),
        list(Institution.objects.order_by("pk").values_list("pk", "imported_at", "name")),
    )

    report = import_path(data_dir / name)

    after = (
        table_counts(),
        list(Author.objects.order_by("pk").values_list("pk", "imported_at", "current_institution")),
        list(Institution.objects.order_by("pk").values_list("pk", "imported_at", "name")),
    )
    assert after == before
    counts = report.counts[kind]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, records)
    assert report.authors_refreshed == 0


def test_author_record_matches_an_existing_author_by_orcid(data_dir):
    """An author known only by ORCID is the same person as the OpenAlex record carrying it."""
    known = Author.objects.create(
        display_name="J. Priem",
        name_key="j priem",
        orcid="0000-0001-6187-6610",
        source=Source.MANUAL,
        imported_at=timezone.now(),
    )

    report = import_path(data_dir / "openalex" / "single" / "A5023888391.json")

    priem = Author.objects.get()
    assert priem.pk == known.pk
    assert (priem.openalex_id, priem.display_name) == ("A5023888391", "Jason Priem")
    assert (report.counts["authors"].created, report.counts["authors"].updated) == (0, 1)
