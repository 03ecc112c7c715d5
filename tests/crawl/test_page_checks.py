"""The crawl's page check finds what it claims to find (and nothing on a sound page)."""

import pytest

from tests.crawl.page_checks import check_page

SOUND = """<!doctype html><html lang="fr"><head><title>Catalogue · Portail</title>
<script src="/static/vendor/bootstrap.js" defer></script>
<script type="application/json" id="data">{"a": 1}</script></head><body>
<h1>Catalogue</h1><h2>Filtres</h2>
<form method="get" action="/fr/programme/"><label for="q">Recherche</label><input id="q" name="q">
<fieldset><legend>Format</legend><input type="radio" name="f" id="f1" value="" checked>
<label for="f1">Tous</label></fieldset>
<label>Province <select name="province"><option value="">Toutes</option>
<option value="BRU" selected>Bruxelles</option></select></label>
<input type="checkbox" name="online" id="online" aria-describedby="online-help">
<span id="online-help">En ligne</span><button type="submit">Filtrer</button></form>
<h3>Résultats</h3><table><caption>Sessions</caption><tr><th>Date</th></tr></table>
<label for="online">En ligne</label>
<a href="/fr/programme/?page=2">Page suivante</a>
<a href="https://evoluno.example/" rel="noopener">Evoluno<span class="visually-hidden"> (site externe)</span></a>
<a href="tel:112"><img src="/static/phone.svg" alt="Urgences"></a>
<h2>Aide</h2></body></html>"""


def test_a_sound_page_has_no_problem_and_gives_its_links_and_get_forms():
    problems, page = check_page(SOUND, expected_lang="fr")
    assert problems == []
    assert page.links == ["/fr/programme/?page=2", "https://evoluno.example/", "tel:112"]
    [form] = page.get_forms
    assert form.action == "/fr/programme/"
    assert form.values == [("q", ""), ("f", ""), ("province", "BRU")]


@pytest.mark.parametrize(
    ("sound", "broken", "problem"),
    [
        ('<html lang="fr">', '<html lang="nl">', '<html lang="nl">, expected "fr"'),
        ("<h1>Catalogue</h1>", "<p>Catalogue</p>", "0 <h1> elements"),
        ("<h2>Filtres</h2>", "<h1>Filtres</h1>", "2 <h1> elements"),
        ("<title>Catalogue · Portail</title>", "<title> </title>", "no <title> text"),
        ("<h2>Filtres</h2>", "<h3>Filtres</h3>", "heading level skipped: <h3> after <h1>"),
        ("<h1>", '<h1 style="color: red">', "style attribute on <h1>"),
        ("</h1>", "</h1><script>alert(1)</script>", "inline <script> without src"),
        ("</h1>", '</h1><a href="#" onclick="x()">x</a>', "event handler ['onclick'] on <a>"),
        ("</h1>", "</h1><style>h1 {}</style>", "inline <style> element"),
        (' alt="Urgences"', "", "<img src='/static/phone.svg'> has no alt"),
        ('<label for="q">Recherche</label>', "", "<input id='q' name='q'> has no label"),
        ("<legend>Format</legend>", "", "radio buttons in a <fieldset> without <legend>"),
        ("<fieldset>", "<div>", "radio button 'f' outside a <fieldset>"),
        ("<caption>Sessions</caption>", "", "<table> without a <caption>"),
        ("<th>Date</th>", "<td>Date</td>", "<table> without header cells (<th>)"),
        ('<span id="online-help">', "<span>", 'aria-describedby="online-help" points to no'),
        ('id="f1"', 'id="q"', "duplicate id(s): ['q']"),
        (">Filtrer<", "><", "<button name=None> has no accessible name"),
        (
            '<span class="visually-hidden"> (site externe)</span>',
            "",
            "external <a href='https://evoluno.example/'> does not say it leaves the portal",
        ),
    ],
)
def test_each_broken_rule_is_reported(sound, broken, problem):
    assert sound in SOUND
    problems, _page = check_page(SOUND.replace(sound, broken, 1), expected_lang="fr")
    assert any(problem in found for found in problems), problems
