"""Dependencies run one way, bottom to top: a lower app never imports a higher one.

Every module of every app is read (not imported) and each of its imports is checked,
those inside functions included: a lazy import is still a dependency.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top (issue 14, STYLE.md). An app may import the apps below it.
LAYERS = (
    "common",
    "notifications",
    "members",
    "programme",
    "surveys",
    "assessments",
    "referrals",
    "dashboards",
    "demo",
    "wellbeing",
)
RANK = {app: rank for rank, app in enumerate(LAYERS)}

# Upward imports that exist today, as (module's path, imported app). Nothing may be
# added here: a lower app that must react to a higher one offers a registry that the
# higher app fills from its own AppConfig.ready().
KNOWN_UPWARD_IMPORTS: set[tuple[str, str]] = set()


def app_modules() -> list[Path]:
    return sorted(
        path
        for app in LAYERS
        if (ROOT / app).is_dir()
        for path in (ROOT / app).rglob("*.py")
        if ".venv" not in path.parts
    )


def imported_apps(path: Path) -> set[str]:
    """The project's apps a module imports (relative imports stay inside its app)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.partition(".")[0] for name in names} & RANK.keys()
    return found


def upward_imports() -> set[tuple[str, str]]:
    found = set()
    for path in app_modules():
        module = path.relative_to(ROOT)
        app = module.parts[0]
        for imported in imported_apps(path):
            if RANK[imported] > RANK[app]:
                found.add((module.as_posix(), imported))
    return found


def test_no_app_imports_an_app_above_it():
    new = upward_imports() - KNOWN_UPWARD_IMPORTS
    assert not new, "upward imports (see LAYERS, bottom to top):\n" + "\n".join(
        f"- {module} imports {imported}" for module, imported in sorted(new)
    )


def test_the_known_exceptions_still_exist():
    """An exception that was removed leaves the list, so it cannot come back unseen."""
    gone = KNOWN_UPWARD_IMPORTS - upward_imports()
    assert not gone, f"no longer imported, remove from KNOWN_UPWARD_IMPORTS: {sorted(gone)}"


def test_every_app_is_placed_in_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= RANK.keys(), f"apps without a layer: {sorted(apps - RANK.keys())}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from programme import privacy", {"programme"}),
        ("def ready():\n    import referrals.services as s", {"referrals"}),
        ("from . import models\nfrom django.db import models", set()),
        ("import common.belgium, dashboards.views", {"common", "dashboards"}),
    ],
)
def test_imports_are_read_wherever_they_are(tmp_path, source, expected):
    module = tmp_path / "module.py"
    module.write_text(source)
    assert imported_apps(module) == expected
