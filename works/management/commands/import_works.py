"""`python manage.py import_works PATH [PATH ...]`: import open scholarly metadata files."""

from django.core.management.base import BaseCommand, CommandError

from works.importers import FORMATS, BadRecord, import_paths
from works.importers.base import RecordReader

_BAR = 30


class Command(BaseCommand):
    help = (
        "Import OpenAlex works/authors/institutions, arXiv snapshot or Semantic Scholar papers "
        "files (JSON, JSON-lines, .gz). The whole run is one transaction: a bad record stops it "
        "and writes nothing, unless --skip-bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--format", choices=sorted(FORMATS), help="Skip detection: read every file as this."
        )
        parser.add_argument(
            "--skip-bad",
            action="store_true",
            help="Leave out bad records (and list them) instead of stopping.",
        )
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, **options):
        progress = self._progress if self.stdout.isatty() else None
        try:
            report = import_paths(
                options["paths"],
                format=options["format"],
                skip_bad=options["skip_bad"],
                batch_size=options["batch_size"],
                progress=progress,
            )
        except BadRecord as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"{exc.filename}: {exc.strerror}") from exc
        if progress:
            self.stdout.write("")
        for line in report.summary_lines():
            style = self.style.WARNING if line.startswith("skipped ") else self.style.SUCCESS
            self.stdout.write(style(line))

    def _progress(self, reader: RecordReader, records: int) -> None:
        share = reader.done / reader.total if reader.total else 1.0
        filled = int(share * _BAR)
        self.stdout.write(
            f"\r{reader.name} [{'#' * filled}{'.' * (_BAR - filled)}] {share:4.0%} "
            f"{records} records",
            ending="",
        )
        self.stdout.flush()
