"""Demo data for the programme app (filled in by the programme work)."""


def seed(stdout) -> None:
    return None
