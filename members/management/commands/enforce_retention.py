from django.core.management.base import BaseCommand, CommandError

from members.retention import retention_enforce


class Command(BaseCommand):
    help = "Enforce the retention limits once (every app's steps), as the nightly job does."

    def handle(self, *args, **options):
        report = retention_enforce()
        for name, handled in report.items():
            shown = "failed (see the log)" if handled is None else handled
            self.stdout.write(f"{name}: {shown}")
        if None in report.values():
            raise CommandError("A retention step failed.")
