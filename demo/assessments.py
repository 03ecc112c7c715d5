"""Demo data for the assessments app (filled in by the assessments work)."""


def seed(stdout) -> None:
    return None
