import json
import sys

from django.core.management.base import BaseCommand

from referrals.hsds import package, selectors, serialise


class Command(BaseCommand):
    help = (
        "Write the public partner directory as an HSDS 3.0 datapackage on standard output: "
        "JSON (the tabular form), or with --zip the CSV files and datapackage.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--zip", action="store_true", help="CSV files in a zip.")

    def handle(self, *args, zip: bool, **options):
        tables = serialise.tabular(selectors.with_details(selectors.public_partners()))
        if zip:
            sys.stdout.buffer.write(package.write_zip(tables))
        else:
            self.stdout.write(json.dumps(tables, ensure_ascii=False, indent=2))
