from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from referrals.hsds.importer import hsds_import
from referrals.hsds.reader import ImportRefused, check_size


class Command(BaseCommand):
    help = (
        "Import partners from an HSDS 3.0 datapackage (JSON, or a zip of its CSV files): "
        "creates new services, updates changed ones, leaves the rest alone; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change, write nothing."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            check_size(file.stat().st_size)
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except ImportRefused as refused:
            raise CommandError(str(refused.problems[0])) from None
        try:
            report = hsds_import(data=data, dry_run=dry_run)
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Nothing imported: {len(refused.problems)} problem(s) in {file}."
            ) from None
        verb = "would be" if dry_run else "were"
        for change in report.created:
            self.stdout.write(f"+ {change.name}")
        for change in report.updated:
            self.stdout.write(f"~ {change.name} ({', '.join(change.changed)})")
        self.stdout.write(
            f"{len(report.created)} partner(s) {verb} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} left alone as they are; "
            f"{report.not_in_file} not in the file, left alone."
        )
