"""A table that may scroll sideways on a phone is a region the keyboard can reach and a
screen reader can name (axe's scrollable-region-focusable): every `.table-responsive`
box in the templates is focusable and labelled by its table's caption or a heading."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
BOX = re.compile(r'<div class="table-responsive"[^>]*>')


def test_every_scrolling_table_is_a_named_region_the_keyboard_reaches():
    boxes = 0
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for box in BOX.finditer(text):
            boxes += 1
            tag = box.group(0)
            assert 'tabindex="0"' in tag and 'role="region"' in tag, f"{path}: {tag}"
            label = re.search(r'aria-labelledby="([^"]+)"', tag)
            assert label or "aria-label=" in tag, f"{path}: {tag} has no name"
            if label:
                assert f'id="{label.group(1)}"' in text, f"{path}: nothing has id {label[1]}"
                # Inside a loop the id must change with each turn: ids are unique on a page.
                before = text[: box.start()]
                loops = len(re.findall(r"{%\s*for\b", before)) - before.count("endfor")
                assert not loops or "{{" in label.group(1), f"{path}: {label[1]} repeats"
    assert boxes >= 25
