"""The assessments app's part of the role home pages (see dashboards.panels)."""
