"""The assessments app's part of the role home pages (see dashboards.panels).

Each provider runs a fixed number of queries: the latest result per instrument is one
query; the recommended modules are modules_recommended()'s fixed few.
"""

from assessments.selectors import latest_results, recommended_modules, themes_from_results


def member_context(user) -> dict:
    return {"assessments_latest": latest_results(user)}


def parcours_context(user) -> dict:
    """Modules recommended by the bands of the member's latest kept results."""
    latest = latest_results(user)
    themes = themes_from_results(latest)
    return {
        "assessments_latest": latest,
        "assessments_themes": themes,
        "assessments_recommended_modules": recommended_modules(themes, user=user, limit=6)
        if themes
        else [],
    }
