"""Demo data for peer review: filled in below once the core works."""


def seed_feedback_demo(stdout=None) -> None:
    return None
