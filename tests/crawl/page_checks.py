"""A light structural check of one HTML page, with the standard library's parser.

It looks for what breaks on every page at once when a shared template slips: the
document language, one h1, a title, headings that skip no level, nothing the
Content-Security-Policy would block (style attributes, inline styles and scripts,
on… handlers), images without alt, form fields, links and buttons without a name,
radio buttons outside a fieldset with a legend, tables without a caption or header
cells, references to ids that do not exist, duplicate ids, external links that do
not say they leave the portal.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

UNLABELLED_INPUT_TYPES = frozenset({"hidden", "submit", "button", "image", "reset"})
# Script elements the browser does not execute (data blocks): CSP lets them be.
DATA_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})
HEADINGS = {f"h{level}": level for level in range(1, 7)}
ID_REFERENCES = ("aria-labelledby", "aria-describedby", "aria-controls")
OWN_HOSTS = frozenset({"", "testserver"})


@dataclass
class GetForm:
    action: str
    values: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Named:
    """An element that needs an accessible name: a link or a button."""

    tag: str
    description: str
    text: list[str] = field(default_factory=list)
    has_name_attribute: bool = False
    external: bool = False
    says_it_leaves: bool = False


@dataclass
class _Table:
    named: bool
    header_cells: bool = False


@dataclass
class _Fieldset:
    legend: bool = False
    radios: bool = False


class PageStructure(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.title = ""
        self.heading_levels: list[int] = []
        self.links: list[str] = []
        self.get_forms: list[GetForm] = []
        self.problems: list[str] = []
        self.ids: dict[str, int] = {}
        self.references: list[tuple[str, str]] = []
        self._fields: list[tuple[str, bool]] = []
        self._label_targets: set[str] = set()
        self._in_title = False
        self._label_depth = 0
        self._named: list[_Named] = []
        self._tables: list[_Table] = []
        self._fieldsets: list[_Fieldset] = []
        self._form: GetForm | None = None
        self._select: tuple[str, list[str]] | None = None

    # Parser callbacks

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self._check_attributes(tag, attributes)
        handler = getattr(self, f"_start_{tag}", None)
        if tag in HEADINGS:
            self.heading_levels.append(HEADINGS[tag])
        elif handler is not None:
            handler(attributes)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("a", "button", "label", "table", "fieldset", "select", "form"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "label":
            self._label_depth = max(0, self._label_depth - 1)
        elif tag in ("a", "button") and self._named and self._named[-1].tag == tag:
            self._end_named(self._named.pop())
        elif tag == "table" and self._tables:
            table = self._tables.pop()
            if not table.named:
                self.problems.append("<table> without a <caption> or aria-label")
            if not table.header_cells:
                self.problems.append("<table> without header cells (<th>)")
        elif tag == "fieldset" and self._fieldsets:
            fieldset = self._fieldsets.pop()
            if fieldset.radios and not fieldset.legend:
                self.problems.append("radio buttons in a <fieldset> without <legend>")
        elif tag == "select" and self._select is not None:
            name, options = self._select
            if self._form is not None and options:
                self._form.values.append((name, options[-1]))
            self._select = None
        elif tag == "form" and self._form is not None:
            self.get_forms.append(self._form)
            self._form = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        for named in self._named:
            named.text.append(data)

    # Elements

    def _start_html(self, attributes):
        self.lang = attributes.get("lang")

    def _start_title(self, attributes):
        self._in_title = True

    def _start_img(self, attributes):
        if "alt" not in attributes:
            self.problems.append(f"<img src={attributes.get('src')!r}> has no alt")
        for named in self._named:
            named.text.append(attributes.get("alt", ""))

    def _start_style(self, attributes):
        self.problems.append("inline <style> element (CSP style-src 'self')")

    def _start_script(self, attributes):
        kind = attributes.get("type", "").lower()
        if not attributes.get("src") and kind not in DATA_SCRIPT_TYPES:
            self.problems.append("inline <script> without src (CSP script-src 'self')")

    def _start_a(self, attributes):
        href = attributes.get("href", "")
        if href:
            self.links.append(href)
        parts = urlsplit(href)
        self._start_named(
            "a",
            f"<a href={href!r}>",
            attributes,
            external=parts.scheme in ("http", "https") and parts.netloc not in OWN_HOSTS,
        )

    def _start_button(self, attributes):
        self._start_named("button", f"<button name={attributes.get('name')!r}>", attributes)

    def _start_span(self, attributes):
        # The portal's convention: a visually hidden note says a link leaves the portal.
        if "visually-hidden" in attributes.get("class", "").split() and self._named:
            self._named[-1].says_it_leaves = True

    def _start_label(self, attributes):
        self._label_depth += 1
        if attributes.get("for"):
            self._label_targets.add(attributes["for"])
            self.references.append(("label for", attributes["for"]))

    def _start_table(self, attributes):
        named = bool(attributes.get("aria-label") or attributes.get("aria-labelledby"))
        self._tables.append(_Table(named=named))

    def _start_caption(self, attributes):
        if self._tables:
            self._tables[-1].named = True

    def _start_th(self, attributes):
        if self._tables:
            self._tables[-1].header_cells = True

    def _start_fieldset(self, attributes):
        self._fieldsets.append(_Fieldset())

    def _start_legend(self, attributes):
        if self._fieldsets:
            self._fieldsets[-1].legend = True

    def _start_form(self, attributes):
        is_get = attributes.get("method", "get").lower() == "get"
        self._form = GetForm(action=attributes.get("action", "")) if is_get else None

    def _start_input(self, attributes):
        kind = attributes.get("type", "text").lower()
        name = attributes.get("name", "")
        if kind == "radio":
            if self._fieldsets:
                self._fieldsets[-1].radios = True
            else:
                self.problems.append(f"radio button {name!r} outside a <fieldset>")
        if self._form is not None and name and "disabled" not in attributes:
            if kind not in ("checkbox", "radio", *UNLABELLED_INPUT_TYPES):
                self._form.values.append((name, attributes.get("value", "")))
            elif kind in ("checkbox", "radio") and "checked" in attributes:
                self._form.values.append((name, attributes.get("value", "on")))
        if kind not in UNLABELLED_INPUT_TYPES:
            self._field("input", attributes)

    def _start_select(self, attributes):
        self._select = (attributes.get("name", ""), [])
        self._field("select", attributes)

    def _start_option(self, attributes):
        # The value a browser submits: the selected option, else the first one.
        if self._select is not None:
            options = self._select[1]
            if not options or "selected" in attributes:
                options.append(attributes.get("value", ""))

    def _start_textarea(self, attributes):
        if self._form is not None and attributes.get("name"):
            self._form.values.append((attributes["name"], ""))
        self._field("textarea", attributes)

    # Helpers

    def _check_attributes(self, tag, attributes):
        if "style" in attributes:
            self.problems.append(f"style attribute on <{tag}> (CSP style-src 'self')")
        handlers = sorted(name for name in attributes if name.startswith("on"))
        if handlers:
            self.problems.append(f"event handler {handlers} on <{tag}> (CSP script-src 'self')")
        if attributes.get("id"):
            self.ids[attributes["id"]] = self.ids.get(attributes["id"], 0) + 1
        for name in ID_REFERENCES:
            self.references.extend((name, target) for target in attributes.get(name, "").split())

    def _start_named(self, tag, description, attributes, *, external=False):
        self._named.append(
            _Named(
                tag=tag,
                description=description,
                has_name_attribute=bool(
                    attributes.get("aria-label")
                    or attributes.get("aria-labelledby")
                    or attributes.get("title")
                ),
                external=external,
            )
        )

    def _end_named(self, named: _Named):
        if not named.has_name_attribute and not "".join(named.text).strip():
            self.problems.append(f"{named.description} has no accessible name")
        if named.external and not named.says_it_leaves:
            self.problems.append(f"external {named.description} does not say it leaves the portal")

    def _field(self, tag, attributes):
        labelled = (
            self._label_depth > 0
            or bool(attributes.get("aria-label") or attributes.get("aria-labelledby"))
            or attributes.get("id", "\0") in self._label_targets
        )
        # A <label for> may come after its field: decided once the page is read.
        description = f"<{tag} id={attributes.get('id')!r} name={attributes.get('name')!r}>"
        self._fields.append((description, attributes.get("id", ""), labelled))

    # Verdict

    def finish(self, expected_lang: str) -> list[str]:
        """Every problem on the page, once the whole document was fed."""
        self.close()
        problems = list(self.problems)
        if self.lang != expected_lang:
            problems.append(f'<html lang="{self.lang}">, expected "{expected_lang}"')
        h1_count = self.heading_levels.count(1)
        if h1_count != 1:
            problems.append(f"{h1_count} <h1> elements, expected exactly one")
        if not self.title.strip():
            problems.append("no <title> text")
        previous = 0
        for level in self.heading_levels:
            if level > previous + 1:
                problems.append(f"heading level skipped: <h{level}> after <h{previous}>")
                break
            previous = level
        for description, field_id, labelled in self._fields:
            if not labelled and field_id not in self._label_targets:
                problems.append(f"{description} has no label")
        duplicates = sorted(element_id for element_id, count in self.ids.items() if count > 1)
        if duplicates:
            problems.append(f"duplicate id(s): {duplicates}")
        for attribute, target in self.references:
            if target not in self.ids:
                problems.append(f'{attribute}="{target}" points to no element')
        return problems


def check_page(html: str, expected_lang: str) -> tuple[list[str], PageStructure]:
    page = PageStructure()
    page.feed(html)
    return page.finish(expected_lang), page
