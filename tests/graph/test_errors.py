"""Error messages are finished sentences; each class carries its exit code."""

from __future__ import annotations

from pathlib import Path

from pickg.graph.errors import (
    EndpointError,
    InputError,
    NonConformingError,
    NotFoundError,
    ParseError,
    PickgError,
)


def test_messages_are_sentences() -> None:
    for error in (
        InputError("--lang must be fr or en"),
        NotFoundError("no query named foo; run `pickg query list`"),
        EndpointError("http://localhost:1 did not answer"),
        NonConformingError("3 violations."),
    ):
        assert isinstance(error, PickgError)
        assert str(error).endswith(".")
        assert not str(error).endswith("..")


def test_parse_error_names_path_line_col() -> None:
    error = ParseError(Path("data/x.ttl"), 3, 16, "A dot is expected.")
    assert str(error).startswith("data/x.ttl:3:16: A dot is expected; ")
    assert error.location == "data/x.ttl:3:16"
    assert str(error).endswith(".")


def test_parse_error_without_location() -> None:
    assert ParseError("x.ttl", None, None, "bad").location == "x.ttl"
    assert ParseError("x.ttl", 4, None, "bad").location == "x.ttl:4"


def test_exit_codes_and_bases() -> None:
    assert PickgError("x").exit_code == 2
    assert NonConformingError("x").exit_code == 1
    assert isinstance(InputError("x"), ValueError)
