"""Plain language: long sentences and administrative words in catalog content are warnings with file, place, term and
a plain alternative; `catalog check --strict` fails on them; the shipped demo catalog is clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citizen_kiosk.cli import main
from kiosk.catalog import load_catalog
from kiosk.catalog.model import Text
from kiosk.catalog.plain_language import (
    GLOSSARY_DIR,
    PLAIN_LANGUAGE_LANGS,
    Glossary,
    GlossaryError,
    fold,
    load_glossary,
    warnings_for,
    words_of,
)
from tests.test_catalog_loader import life_event, service, write_catalog

PT = load_glossary("pt-PT")
EN = load_glossary("en")


def keys(glossary: Glossary, text: str) -> list[str]:
    return [term.key for term in glossary.find(text)]


def test_folding_drops_accents_and_case() -> None:
    assert fold("Óbito À CÔNJUGE") == "obito a conjuge"
    assert words_of("Proceda-se ao pagamento, já!") == ["proceda", "se", "ao", "pagamento", "ja"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("O requerente tem de assinar.", ["requerente"]),
        ("Os REQUERENTES assinam aqui.", ["requerente"]),  # plural, upper case
        ("Aguarde o deferimento do pedido.", ["deferimento"]),
        ("Pode outorgar a procuração.", ["outorgar"]),
        ("Paga mediante cartão.", ["mediante"]),
        ("No âmbito do programa, recebe apoio.", ["no âmbito de|do|da|dos|das"]),
        ("no ambito da lei", ["no âmbito de|do|da|dos|das"]),  # typed without accents
        ("Deve proceder ao pagamento.", ["proceder a|à|ao|aos|às"]),
        ("As deliberações saem em maio.", ["deliberação"]),  # Portuguese -ão plural
        ("Traga a certidão de óbito.", []),  # an official name, kept as written
        ("Registe o óbito.", ["óbito"]),
        ("Peça intermediação ao balcão.", []),  # whole words only: "mediante" is not in "intermediação"
    ],
)
def test_portuguese_terms_are_found_as_folded_words(text: str, expected: list[str]) -> None:
    assert keys(PT, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Payments commence in May.", ["commence|commences|commenced"]),
        ("Fill it in in accordance with the law.", ["in accordance with"]),
        ("We UTILISE your tax number.", ["utilise|utilize|utilised|utilized"]),
        ("Send it prior to the visit.", ["prior to"]),
        ("Applicants must sign.", ["applicant"]),
        ("Bring proof, e.g. a bill.", ["e.g."]),
        ("This has priority.", []),  # "prior to" needs both words
        ("Start before the visit.", []),
    ],
)
def test_english_terms_are_found_as_folded_words(text: str, expected: list[str]) -> None:
    assert keys(EN, text) == expected


def test_each_term_is_reported_once_and_in_order() -> None:
    text = "O requerente paga mediante cartão. Depois, o requerente espera pelo deferimento."
    assert keys(PT, text) == ["requerente", "mediante", "deferimento"]


SAFE_WORDS = st.sampled_from(["o", "pedido", "chega", "hoje", "casa", "cartão", "the", "form", "today", "you"])


@settings(max_examples=300, deadline=None)
@given(
    lang=st.sampled_from(PLAIN_LANGUAGE_LANGS),
    index=st.integers(min_value=0),
    before=st.lists(SAFE_WORDS, max_size=6),
    after=st.lists(SAFE_WORDS, max_size=6),
    upper=st.booleans(),
)
def test_every_term_is_found_in_any_sentence_in_any_case(
    lang: str, index: int, before: list[str], after: list[str], upper: bool
) -> None:
    glossary = load_glossary(lang)
    key = sorted(glossary.terms)[index % len(glossary.terms)]
    form = key.split("|")[0] if " " not in key else " ".join(chunk.split("|")[0] for chunk in key.split())
    form = form.upper() if upper else form
    text = " ".join([*before, form, *after]) + "."
    assert key in keys(glossary, text)


@pytest.mark.parametrize("lang", PLAIN_LANGUAGE_LANGS)
def test_shipped_glossaries_are_real_and_well_formed(lang: str) -> None:
    document = json.loads((GLOSSARY_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    assert document["language"] == lang
    terms = document["terms"]
    assert 40 <= len(terms) <= 100
    for term, plain in terms.items():
        assert term == term.strip() and plain == plain.strip() and plain, term
        assert words_of(term.replace("|", " ")), term
        assert fold(plain) != fold(term), term  # an alternative, not the same word
    for entry in document.get("names", []):
        assert entry["reason"].strip(), entry
        assert load_glossary(lang).find(entry["name"]) == [], entry  # a name hides its words
        assert Glossary(lang, terms).find(entry["name"]), f"{entry['name']!r} holds no term: it is not needed"
    for entry in document.get("allowed", []):
        assert entry["term"] in terms and entry["file"].endswith(".json") and entry["reason"].strip(), entry


def test_a_glossary_that_allows_an_unknown_term_is_refused(tmp_path: Path) -> None:
    (tmp_path / "en.json").write_text(
        json.dumps({"language": "en", "terms": {"commence": "start"}, "allowed": [{"term": "x", "file": "a.json"}]})
    )
    with pytest.raises(GlossaryError, match="x"):
        load_glossary("en", tmp_path)
    with pytest.raises(GlossaryError, match="not a glossary"):
        load_glossary("fr", tmp_path)


def test_allowed_terms_are_quiet_in_their_file_only() -> None:
    glossary = Glossary("en", {"spouse": "husband, wife or partner"}, allowed=[("spouse", "services/tax.json")])
    texts = [("summary", Text.of({"pt-PT": "Casal.", "en": "You and your spouse."}))]
    glossaries = {"pt-PT": Glossary("pt-PT", {}), "en": glossary}
    assert list(warnings_for(texts, "services/tax.json", glossaries)) == []
    found = list(warnings_for(texts, "services/other.json", glossaries))
    assert found == [("summary [en]", 'administrative word "spouse": plain language says "husband, wife or partner"')]


def wordy_service() -> dict[str, object]:
    document = service()
    document["summary"] = {"pt-PT": "O requerente preenche o pedido.", "en": "Tell us about a new baby."}
    document["pages"][1]["hint"] = {"pt-PT": "Responda sim ou não.", "en": "Answer prior to the visit."}
    document["pages"][1]["label"] = {
        "pt-PT": "O bebé nasceu em Portugal?",
        "en": " ".join(["word"] * 22) + ".",
    }
    return document


def test_a_catalog_with_administrative_words_gets_warnings_with_file_place_term_and_suggestion(tmp_path: Path) -> None:
    event = life_event()
    event["summary"] = {"pt-PT": "Registe o nascimento mediante o Cartão de Cidadão.", "en": "Register the birth."}
    report = load_catalog(write_catalog(tmp_path / "catalog", [wordy_service()], [event]))
    assert report.problems == ()
    assert len(report.catalog.services) == 1  # warnings never leave a service out
    lines = sorted(map(str, report.warnings))
    assert lines == [
        'life-events/having-a-baby.json: summary [pt-PT]: administrative word "mediante": plain language says "com"',
        "services/register-birth.json: pages[1] (born_here).hint [en]: "
        'administrative word "prior to": plain language says "before"',
        "services/register-birth.json: pages[1] (born_here).label [en]: "
        "a sentence of 22 words (plain language: at most 20): word word word word word word…",
        "services/register-birth.json: summary [pt-PT]: "
        'administrative word "requerente": plain language says "quem pede"',
    ]


def test_choices_and_constraint_messages_are_checked_too(tmp_path: Path) -> None:
    document = service()
    spouse = {"value": "spouse", "label": {"pt-PT": "Cônjuge", "en": "Husband, wife or partner"}}
    child = {"value": "child", "label": {"pt-PT": "Filho ou filha", "en": "Son or daughter"}}
    relation = {"id": "relation", "type": "choice", "label": {"pt-PT": "Quem é?", "en": "Who is it?"}}
    document["pages"].insert(1, relation | {"choices": [spouse, child]})
    document["pages"][0]["constraint"] = "string-length(.) > 1"
    document["pages"][0]["constraint_message"] = {"pt-PT": "Escreva o nome.", "en": "Utilise the full name."}
    report = load_catalog(write_catalog(tmp_path / "catalog", [document]))
    assert report.problems == ()
    places = sorted(w.place for w in report.warnings)
    assert places == ["pages[0] (baby_name).constraint_message [en]", "pages[1] (relation).choices[0] (spouse) [pt-PT]"]


def test_check_warns_and_strict_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_catalog(tmp_path / "catalog", [wordy_service()])
    assert main(["catalog", "check", str(root), "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    expected = (
        'warning: services/register-birth.json: summary [pt-PT]: administrative word "requerente": '
        'plain language says "quem pede"'
    )
    assert expected in out
    assert out[-1] == "1 services, 1 life events, 0 problems, 3 warnings"
    assert main(["catalog", "check", str(root), "--strict", "--data-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert expected in out
    assert out[-2:] == ["strict: the 3 warnings count as problems", "1 services, 1 life events, 0 problems, 3 warnings"]


def test_the_shipped_demo_catalog_is_plain_even_when_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "check", "--strict", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(" 0 problems, 0 warnings")
