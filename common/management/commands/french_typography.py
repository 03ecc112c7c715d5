"""Put French typography's non-breaking spaces into the French catalogue (common.typography).

`make messages` runs it after each extraction, so translators may type ordinary spaces.
"""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from common.typography import french_spacing


def _unquote(line: str) -> str:
    # A .po string is a C string: its escapes read as JSON's.
    return json.loads(line[line.index('"') :])


def respaced(po_text: str) -> tuple[str, int]:
    """The catalogue with every translation spaced, and how many translations changed.

    A changed translation is written on one line; the command then lets gettext's msgcat
    wrap it as makemessages does, so the next extraction changes nothing.
    """
    out: list[str] = []
    block: list[str] = []
    msgid: list[str] = []  # the current entry's msgid lines: the header's is empty
    changed = 0

    def flush() -> None:
        nonlocal changed
        if not block:
            return
        keyword = block[0][: block[0].index('"')].rstrip()
        text = "".join(_unquote(line) for line in block)
        is_header = "".join(_unquote(line) for line in msgid) == ""
        spaced = text if is_header else french_spacing(text)
        if spaced == text:
            out.extend(block)
        else:
            changed += 1
            out.append(f"{keyword} {json.dumps(spaced, ensure_ascii=False)}")
        block.clear()

    for line in po_text.splitlines():
        if line.startswith("msgid "):
            msgid[:] = [line]
        elif msgid and not block and line.startswith('"'):
            msgid.append(line)
        if line.startswith("msgstr"):
            flush()
            block.append(line)
        elif block and line.startswith('"'):
            block.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out) + "\n", changed


class Command(BaseCommand):
    help = "Non-breaking spaces before : ; ? ! and inside « » in the French catalogue."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="Change nothing; fail if needed.")

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        path = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
        text, changed = respaced(path.read_text(encoding="utf-8"))
        if check:
            if changed:
                raise SystemExit(f"{changed} French translations need typography fixes.")
            return
        if changed:
            path.write_text(text, encoding="utf-8")
            if msgcat := shutil.which("msgcat"):
                subprocess.run([msgcat, "-o", str(path), str(path)], check=True)
        self.stdout.write(f"{changed} French translations respaced.")
