"""Demo data for the notifications app (filled in by the notifications work)."""


def seed(stdout) -> None:
    return None
