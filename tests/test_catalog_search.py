"""Search across the shipped catalog: what citizens type (accents or none, typos, everyday words) -> the service."""

from __future__ import annotations

import pytest

from kiosk.catalog import load_catalog
from kiosk.catalog.search import SearchIndex, fold, trigrams

PT = [
    ("nacimento", "register-birth"),  # typo: missing "s"
    ("registar bebe", "register-birth"),
    ("mudanca de morada", "change-address"),  # no cedilla
    ("alterar morada", "change-address"),
    ("pedir reforma", "apply-for-pension"),
    ("reformaa", "apply-for-pension"),  # typo
    ("pensão de sobrevivência", "survivors-pension"),
    ("certidao de obito", "register-death"),
    ("registo criminal", "criminal-record-certificate"),
    ("renovar carta de condução", "renew-driving-licence"),
    ("segunda via da carta", "replace-driving-licence"),
    ("renovar cartao de cidadao", "renew-citizen-card"),
    ("ativar chave movel", "activate-digital-key"),
    ("senha das financas", "recover-tax-password"),
    ("reembolso irs", "check-tax-refund"),
    ("declaração de irs", "submit-tax-return"),
    ("subsidio desemprego", "unemployment-benefit"),
    ("inscrever centro de emprego", "register-job-seeker"),
    ("medico de famila", "register-family-doctor"),  # typo
    ("cartao europeu de saude", "european-health-insurance-card"),
    ("despesas de saude", "medical-expense-reimbursement"),
    ("propor simplificação", "propose-a-simplification"),
    ("queixa", "report-a-service-problem"),
    ("abono de familia", "child-benefit"),
    ("recenseamento eleitoral", "update-electoral-roll"),
    ("divida seguranca social", "social-security-debt-certificate"),
]
EN = [
    ("birht registration", "register-birth"),  # swapped letters
    ("register a birth", "register-birth"),
    ("moving house", "change-address"),
    ("change of address", "change-address"),
    ("retirement", "apply-for-pension"),
    ("survivor's pension", "survivors-pension"),
    ("widow", "survivors-pension"),
    ("death certificate", "register-death"),
    ("criminal recrd", "criminal-record-certificate"),  # typo
    ("driving lisence renewal", "renew-driving-licence"),  # typo
    ("lost driving licence", "replace-driving-licence"),
    ("renew id card", "renew-citizen-card"),
    ("tax password", "recover-tax-password"),
    ("income tax return", "submit-tax-return"),
    ("unemplyment", "unemployment-benefit"),  # typo
    ("job seeker", "register-job-seeker"),
    ("family doctor", "register-family-doctor"),
    ("european health insurance card", "european-health-insurance-card"),
    ("idea to simplify", "propose-a-simplification"),
    ("complaint", "report-a-service-problem"),
    ("parental leave", "parental-leave"),
    ("car registration", "register-vehicle-ownership"),
    ("funral", "funeral-grant"),  # typo
    ("pension simulation", "pension-simulation"),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(load_catalog().catalog.services.values())


def test_the_table_is_big_enough() -> None:
    assert len(PT) >= 20 and len(EN) >= 20


@pytest.mark.parametrize(("query", "expected"), PT, ids=[q for q, _ in PT])
def test_portuguese_queries(index: SearchIndex, query: str, expected: str) -> None:
    hits = index.search(query, lang="pt-PT", limit=3)
    assert hits and hits[0].service_id == expected, hits


@pytest.mark.parametrize(("query", "expected"), EN, ids=[q for q, _ in EN])
def test_english_queries(index: SearchIndex, query: str, expected: str) -> None:
    hits = index.search(query, lang="en", limit=3)
    assert hits and hits[0].service_id == expected, hits


def test_folding_removes_case_accents_and_punctuation() -> None:
    assert fold("  Mudança de MORADA!  ") == "mudanca de morada"
    assert fold("Pensão de Sobrevivência") == "pensao de sobrevivencia"
    # Cyrillic stays Cyrillic; like Latin accents, the diaeresis of ї goes (query and index are folded alike).
    assert fold("Українська") == "украінська"
    assert trigrams("irs") == frozenset({"  i", " ir", "irs", "rs "})


def test_accents_in_the_query_or_not_give_the_same_ranking(index: SearchIndex) -> None:
    assert index.search("pensão", lang="pt-PT") == index.search("PENSAO", lang="pt-PT")


def test_nonsense_and_empty_queries_find_nothing(index: SearchIndex) -> None:
    assert index.search("", lang="en") == []
    assert index.search("   !!!  ", lang="en") == []
    assert index.search("zzqxj", lang="en") == []


def test_words_in_the_citizens_language_count_more(index: SearchIndex) -> None:
    # "pai" (Portuguese: father) is a prefix of the English "paid": it must not pull a tax service up in Portuguese.
    top = [hit.service_id for hit in index.search("morte do pai", lang="pt-PT", limit=2)]
    assert "check-tax-refund" not in top
