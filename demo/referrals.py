"""Demo data for the referrals app (filled in by the referrals work)."""


def seed(stdout) -> None:
    return None
