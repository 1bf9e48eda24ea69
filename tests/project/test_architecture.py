"""The rooms of the package and the import rule of docs/architecture.md.

Every module of ``src/pickg`` is read (not imported): its imports, at the top and inside
functions, and the module names it loads by string (``"pickg.x:attr"``). The test fails
on an import that points up or sideways between rooms, on a circle of modules, and on a
private name (``_x``) taken from another module.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "pickg"

#: Room → the rooms its modules may import (besides their own). ``""`` is the package's
#: own ``__init__`` (the public API), which, like ``cli``, may import every room; no room
#: imports either of them.
ALLOWED: dict[str, set[str]] = {
    "graph": set(),
    "queries": {"graph"},
    "validation": {"graph", "queries"},
    "release": {"graph", "queries", "validation"},
    "endpoints": {"graph", "queries"},
    "synth": {"graph"},
    "site": {"graph", "queries", "validation", "release"},
    "sheets": {"graph", "queries", "validation", "release"},
}
TOP = {"cli", ""}
MODULE_STRING = re.compile(r"^pickg(\.[a-z_]+)+(:[A-Za-z_]+)?$")


@dataclass(frozen=True)
class Import:
    """One import of a pickg module by a pickg module."""

    source: str  # the importing module, dotted
    target: str  # the imported module, dotted
    names: tuple[str, ...]  # the names taken from it (``from … import``), if any
    line: int


@functools.cache
def parsed(path: Path) -> ast.Module:
    """A module's syntax tree, read once per session (the source does not change under a run)."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def resolve(target: str, known: dict[str, Path]) -> str:
    """``pickg.graph.store.open_store`` → ``pickg.graph.store`` (the longest known module)."""
    while target not in known and "." in target:
        target = target.rsplit(".", 1)[0]
    return target


def imports_of(name: str, path: Path, known: dict[str, Path]) -> Iterator[Import]:
    tree = parsed(path)
    aliases: dict[str, str] = {}  # local name → module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pickg":
            names = tuple(a.name for a in node.names)
            for alias in node.names:  # ``from pickg.graph import store`` imports a module
                sub = f"{node.module}.{alias.name}"
                if sub in known:
                    aliases[alias.asname or alias.name] = sub
                    yield Import(name, sub, (), node.lineno)
            yield Import(name, resolve(node.module, known), names, node.lineno)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "pickg":
                    aliases[alias.asname or alias.name] = alias.name
                    yield Import(name, resolve(alias.name, known), (), node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and MODULE_STRING.match(node.value):
            target = node.value.split(":")[0]
            if target in known:
                yield Import(name, target, (), node.lineno)
    for node in ast.walk(tree):  # ``module._private`` through an imported module
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            yield Import(name, aliases[node.value.id], (node.attr,), node.lineno)


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def all_imports() -> list[Import]:
    known = modules()
    return [imp for name, path in known.items() for imp in imports_of(name, path, known)]


def wrong_directions(imports: list[Import]) -> list[str]:
    """The imports that point up or sideways between rooms."""
    wrong = []
    for imp in imports:
        source, target = room(imp.source), room(imp.target)
        if source == target or source in TOP:
            continue
        if target in TOP or target not in ALLOWED.get(source, set()):
            wrong.append(
                f"{imp.source} (line {imp.line}) imports {imp.target}: {source}/ may not import {target or 'pickg'}/"
            )
    return wrong


def private_crossings(imports: list[Import]) -> list[str]:
    """The private names (``_x``, not dunders) one module takes from another."""
    return [
        f"{imp.source} (line {imp.line}) takes {name} from {imp.target}"
        for imp in imports
        if imp.source != imp.target
        for name in imp.names
        if name.startswith("_") and not name.startswith("__")
    ]


def exported(module: Path) -> set[str] | None:
    """The names of a module's ``__all__``, or None when it declares none."""
    for node in parsed(module).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return None


def unexported_names(imports: list[Import], known: dict[str, Path]) -> list[str]:
    """The names taken from another module that its ``__all__`` does not list."""
    wrong = []
    for imp in imports:
        names = [n for n in imp.names if not n.startswith("__") and f"{imp.target}.{n}" not in known]
        public = exported(known[imp.target]) if imp.target in known and names else None
        if public is None:
            continue
        wrong += [
            f"{imp.source} (line {imp.line}) takes {n} from {imp.target}, which does not export it"
            for n in names
            if n not in public
        ]
    return wrong


def circles(imports: list[Import]) -> list[str]:
    """Every circle of modules importing each other (at the top or inside functions)."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        if imp.source != imp.target:
            graph.setdefault(imp.source, set()).add(imp.target)
    found: list[str] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    return found


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    """Every import of the package, gathered once for the tests below."""
    return all_imports()


def test_every_module_lives_in_a_room() -> None:
    loose = [name for name in modules() if room(name) not in ALLOWED and room(name) not in TOP]
    assert loose == [], f"modules outside the rooms of docs/architecture.md: {loose}"


def test_imports_point_down(imports: list[Import]) -> None:
    wrong = wrong_directions(imports)
    assert wrong == [], "\n".join(wrong)


def test_no_private_name_crosses_a_module(imports: list[Import]) -> None:
    wrong = private_crossings(imports)
    assert wrong == [], "\n".join(wrong)


def test_what_crosses_a_module_is_in_its_all(imports: list[Import]) -> None:
    """A module's public surface is its ``__all__``: the CLI and the other rooms use nothing else."""
    wrong = unexported_names(imports, modules())
    assert wrong == [], "\n".join(wrong)


def test_every_room_module_declares_its_public_names() -> None:
    missing = [
        name
        for name, path in modules().items()
        if path.name != "__init__.py" and "cli" not in name and exported(path) is None
    ]
    assert missing == [], f"modules without __all__: {missing}"


def test_no_circle_of_modules(imports: list[Import]) -> None:
    found = circles(imports)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from pickg.release.publish import publish\n", "graph/ may not import release/"),
        ("def f():\n    from pickg.endpoints import server\n", "graph/ may not import endpoints/"),
        ("from pickg.graph.rdfio import _read_text\n", "takes _read_text"),
        ("from pickg.graph import rdfio\nrdfio._read_text\n", "takes _read_text"),
        ("import pickg\n", "graph/ may not import pickg/"),
        ("LOADER = 'pickg.cli.query:command'\n", "graph/ may not import cli/"),
    ],
)
def test_the_rule_catches_a_bad_import(tmp_path: Path, text: str, expected: str) -> None:
    """The reader finds what it must find: a rule that cannot fail proves nothing."""
    bad = tmp_path / "bad.py"
    bad.write_text(text, encoding="utf-8")
    known = {**modules(), "pickg.graph.bad": bad}
    found = list(imports_of("pickg.graph.bad", bad, known))
    messages = wrong_directions(found) + private_crossings(found)
    assert any(expected in m for m in messages), messages


def test_the_rule_catches_a_circle() -> None:
    loop = [Import("pickg.graph.a", "pickg.graph.b", (), 1), Import("pickg.graph.b", "pickg.graph.a", (), 1)]
    assert circles(loop) == ["pickg.graph.a -> pickg.graph.b -> pickg.graph.a"]


# --- one reader of RDF, one lexer of SPARQL ------------------------------------------------

#: The only module that parses RDF (files, standard input, text held in memory).
RDF_READER = "pickg.graph.rdfio"
#: The only module that matches SPARQL text with regular expressions.
SPARQL_LEXER = "pickg.graph.sparqltokens"

#: rdflib's ``Graph.parse`` is told by these keywords (or by a ``Graph(…)`` receiver).
_RDFLIB_PARSE_KEYWORDS = {"data", "source", "location", "file", "format", "publicID"}
_RDFLIB_GRAPHS = {"Graph", "Dataset", "ConjunctiveGraph"}
_RE_FUNCTIONS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}
#: A pattern that reads SPARQL: one of its keywords, a variable (``[?$]``, ``\?x``, ``\$x``)
#: or a ``#+`` header line. (Strings, IRIs and comments alone are Turtle's too: the
#: scan of ``graph/subjectlines`` lexes Turtle, not SPARQL.)
_SPARQL_KEYWORDS = re.compile(
    r"(?:(?<!\w)|(?<=\\[bBsS]))"  # a word of its own, or after the escape \b or \s of the pattern
    r"(SELECT|CONSTRUCT|ASK|DESCRIBE|WHERE|PREFIX|FILTER|OPTIONAL|UNION|MINUS|BIND|VALUES|EXISTS"
    r"|GROUP_CONCAT|SEPARATOR|INSERT|DELETE)\b",
    re.IGNORECASE,
)
_SPARQL_SYNTAX = re.compile(r"(?<!\\)\[[^\]()\s]*[?$][^\]()\s]*\]|\\[?$][A-Za-z_(\[]|#\\\+")


def _module_aliases(tree: ast.Module, module: str) -> tuple[set[str], set[str]]:
    """(names bound to ``module``, names bound to its functions by ``from module import f``)."""
    whole, functions = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            whole |= {alias.asname or alias.name for alias in node.names if alias.name == module}
        elif isinstance(node, ast.ImportFrom) and node.module == module:
            functions |= {alias.asname or alias.name for alias in node.names}
    return whole, functions


def rdf_parses(path: Path) -> list[str]:
    """The places of ``path`` that parse RDF: pyoxigraph's ``parse``, an Oxigraph store's
    ``load``/``bulk_load``, rdflib's ``Graph.parse``."""
    tree = parsed(path)
    oxigraph, oxigraph_functions = _module_aliases(tree, "pyoxigraph")
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func, keywords = node.func, {k.arg for k in node.keywords}
        if isinstance(func, ast.Name):
            parses = func.id in oxigraph_functions and func.id == "parse"
        elif isinstance(func, ast.Attribute):
            receiver = func.value
            parses = (
                (func.attr == "parse" and isinstance(receiver, ast.Name) and receiver.id in oxigraph)
                or func.attr == "bulk_load"
                or (func.attr == "load" and "format" in keywords)
                or (func.attr == "parse" and bool(keywords & _RDFLIB_PARSE_KEYWORDS))
                or (
                    func.attr == "parse"
                    and isinstance(receiver, ast.Call)
                    and isinstance(receiver.func, ast.Name)
                    and receiver.func.id in _RDFLIB_GRAPHS
                )
            )
        else:
            parses = False
        if parses:
            found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)[:80]}")
    return found


def sparql_regexes(path: Path) -> list[str]:
    """The regular expressions of ``path`` that read SPARQL (see :data:`_SPARQL_KEYWORDS`,
    :data:`_SPARQL_SYNTAX`): every string of a pattern given to a function of ``re``."""
    tree = parsed(path)
    modules, functions = _module_aliases(tree, "re")
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        is_re = (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in modules
            and func.attr in _RE_FUNCTIONS
        ) or (isinstance(func, ast.Name) and func.id in functions and func.id in _RE_FUNCTIONS)
        if not is_re:
            continue
        pattern = "".join(
            part.value
            for part in ast.walk(node.args[0])
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
        if _SPARQL_KEYWORDS.search(pattern) or _SPARQL_SYNTAX.search(pattern):
            found.append(f"{path.name}:{node.lineno}: {pattern[:80]!r}")
    return found


def test_only_rdfio_parses_rdf() -> None:
    """Formats, input checks and ``path:line:col`` errors live in one reader."""
    found = [place for name, path in modules().items() if name != RDF_READER for place in rdf_parses(path)]
    assert found == [], f"RDF parsed outside {RDF_READER}:\n" + "\n".join(found)
    assert rdf_parses(modules()[RDF_READER]), "the reader itself must be seen to parse"


def test_only_the_tokenizer_matches_sparql_with_regular_expressions() -> None:
    """Comments, strings and IRIs are skipped the same way everywhere: one lexer."""
    found = [place for name, path in modules().items() if name != SPARQL_LEXER for place in sparql_regexes(path)]
    assert found == [], f"SPARQL read by regular expressions outside {SPARQL_LEXER}:\n" + "\n".join(found)
    assert sparql_regexes(modules()[SPARQL_LEXER]), "the tokenizer itself must be seen to match SPARQL"


@pytest.mark.parametrize(
    "text",
    [
        "import pyoxigraph as ox\nquads = list(ox.parse(path='x.ttl', format=ox.RdfFormat.TURTLE))\n",
        "from pyoxigraph import parse\nquads = parse(b'', format=None)\n",
        "def f(store, fmt):\n    store.bulk_load(path='x.nt', format=fmt)\n",
        "from rdflib import Graph\ng = Graph().parse('data/x.ttl')\n",
        "def f(graph, text):\n    return graph.parse(data=text, format='turtle')\n",
    ],
)
def test_the_rule_catches_a_parse_outside_rdfio(tmp_path: Path, text: str) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(text, encoding="utf-8")
    assert rdf_parses(planted), text


@pytest.mark.parametrize(
    "text",
    [
        "import re\nFORM = re.compile(r'\\b(SELECT|ASK)\\b', re.IGNORECASE)\n",
        "import re\ndef names(text):\n    return re.findall(r'[?$]([A-Za-z_]\\w*)', text)\n",
        "import re\ndef uses(text):\n    return re.search(r'\\?(currentShape|shapesGraph)\\b', text)\n",
        "import re\nHEADER = re.compile(r'^#\\+\\s*(\\w+):')\n",
        "from re import sub\ndef strip(text):\n    return sub(r'\\bPREFIX\\s+\\w*:\\s*<[^>]*>', '', text)\n",
    ],
)
def test_the_rule_catches_a_sparql_regex_outside_the_tokenizer(tmp_path: Path, text: str) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(text, encoding="utf-8")
    assert sparql_regexes(planted), text


def test_the_rule_lets_other_regular_expressions_be(tmp_path: Path) -> None:
    """A date, a size or a URL path is not SPARQL: the rule must not cry wolf."""
    planted = tmp_path / "planted.py"
    planted.write_text(
        "import re\nDATE = re.compile(r'[0-9]{4}-[0-9]{2}-[0-9]{2}')\n"
        "SIZE = re.compile(r'\\s*(\\d+)\\s*([KMGT]?)', re.IGNORECASE)\n"
        "FUSEKI = re.compile(r'^(?P<dataset>/[^/]+)/(?:sparql|query)/?$')\n",
        encoding="utf-8",
    )
    assert sparql_regexes(planted) == []
