"""What the remote client says when it refuses a server's answer, read whole in both
languages: the reader's language (``PICKG_LANG``) chooses the message catalogue's text."""

from __future__ import annotations

import pytest

from pickg.graph.errors import EndpointError, EndpointResponseError
from pickg.queries.client import stopped_for_time
from pickg.queries.transport import deadline_passed, exchange, too_large
from tests.support.servers import Reply, ScriptedServer

URL = "http://127.0.0.1:7878/query"

EXPECTED = {
    "fr": {
        "too_large": (
            f"{URL} a envoyé une réponse de plus de 32 MiB, le plus que pickg lit (--max-answer-size) : "
            "demandez moins de lignes (une LIMIT, une requête plus sélective), ou relevez --max-answer-size "
            "si c'est bien cette réponse que vous voulez lire."
        ),
        "timeout": (
            f"{URL} n'a pas répondu en 2,5 secondes (connexion, en-têtes, corps entier et lecture des résultats "
            "ensemble) ; le serveur est peut-être surchargé ou trop lent, ou la requête trop lourde : relevez "
            "--timeout, ou vérifiez le serveur."
        ),
        "stopped": (
            f"{URL} a arrêté la requête à la limite de temps du serveur (HTTP 504) ; la requête est trop lourde "
            "pour ce serveur : rendez-la plus sélective ou ajoutez une LIMIT, ou lancez-la sur une copie locale "
            "des données (sans --endpoint)."
        ),
        "redirect": "a répondu HTTP 302 en redirigeant vers 'file:///etc/passwd', qui n'est pas une URL http(s) ; "
        "pickg ne suit que les redirections vers des URL http(s) : vérifiez l'URL du point d'accès.",
    },
    "en": {
        "too_large": (
            f"{URL} sent an answer larger than 32 MiB, the most pickg reads (--max-answer-size); ask for fewer "
            "rows (a LIMIT, a more selective query), or raise --max-answer-size if the answer is what you meant "
            "to read."
        ),
        "timeout": (
            f"{URL} did not answer within 2.5 seconds (connection, headers, whole body and reading the results "
            "together); the server may be overloaded, too slow or the query too heavy: raise --timeout, or "
            "check the server."
        ),
        "stopped": (
            f"{URL} stopped the query at the server's own time limit (HTTP 504); the query is too heavy for this "
            "server: make it more selective or add a LIMIT, or run it on a local copy of the data (without "
            "--endpoint)."
        ),
        "redirect": "answered HTTP 302, redirecting to 'file:///etc/passwd', which is not an http(s) URL; "
        "pickg follows redirects to http(s) URLs only: check the endpoint's URL.",
    },
}


@pytest.fixture(params=sorted(EXPECTED))
def lang(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PICKG_LANG", request.param)
    return str(request.param)


def test_an_answer_too_large_names_the_limit_and_the_option(lang: str) -> None:
    assert str(too_large(URL, 32 * 1024 * 1024)) == EXPECTED[lang]["too_large"]


def test_a_timeout_gives_the_seconds_as_the_reader_writes_them(lang: str) -> None:
    assert str(deadline_passed(URL, 2.5)) == EXPECTED[lang]["timeout"]


def test_a_query_stopped_for_time_says_the_server_stopped_it(lang: str) -> None:
    error = stopped_for_time(URL, "HTTP 504", 504)
    assert str(error) == EXPECTED[lang]["stopped"]
    assert error.status == 504


def test_a_redirect_to_a_file_is_refused_naming_the_server_that_sent_it(lang: str) -> None:
    with ScriptedServer(Reply(302, headers={"Location": "file:///etc/passwd"})) as server:
        with pytest.raises(EndpointError) as caught:
            exchange(server.url, timeout=10)
    assert isinstance(caught.value, EndpointResponseError)
    assert str(caught.value) == f"{server.url} {EXPECTED[lang]['redirect']}"
