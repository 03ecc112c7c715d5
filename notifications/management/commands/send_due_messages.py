from django.core.management.base import BaseCommand

from notifications.sending import send_inline, sweep


class Command(BaseCommand):
    help = (
        "Run one sweep in this process: every app's planners record what became due, "
        "then the due messages are sent (printed on the console in embedded mode)."
    )

    def handle(self, *args, **options):
        report = sweep(dispatch=send_inline)
        self.stdout.write(
            f"{report.handed_over} message(s) processed in {report.batches} batch(es)."
        )
        if report.failed_planners:
            self.stderr.write("Planners that failed: " + ", ".join(report.failed_planners))
