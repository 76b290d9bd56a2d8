"""Load, check and dump canonical model files (YAML 1.2 or JSON).

Loading validates at the door and reports everything at once:

1. the bytes: size, encoding (UTF-8), emptiness;
2. the syntax: YAML 1.2 (so ``NO`` and ``ON`` stay strings), duplicate keys,
   anchors and aliases (refused: they make alias bombs possible and hide structure);
3. the JSON Schema in ``schemas/pathway.schema.json`` (every violation, with its path);
4. the meaning: duplicate and dangling ids, malformed identifiers (through the
   bioregistry), math that does not parse or names unknown ids, units that do not
   fit what they measure, cycles in complexes, compartments and pathways.

Every problem carries the file, line and column it came from. Only a file free of
problems becomes a :class:`~pathway_export.model.Model`.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import io
import json
import math
from dataclasses import MISSING, fields, is_dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .. import identifiers, mathexpr
from ..collector import paused as collector_paused
from ..errors import CanonicalError, Problem
from ..model import (
    BASE_UNITS,
    INTERACTION_TYPES,
    NO_METADATA,
    TEMPLATE_REACTION_TYPES,
    Annotations,
    Constraint,
    Compartment,
    Component,
    Control,
    Entity,
    Event,
    EventAssignment,
    Evidence,
    Feature,
    FunctionDefinition,
    History,
    InitialAssignment,
    Metadata,
    Model,
    ModelUnits,
    Modification,
    Molecule,
    Observable,
    Parameter,
    Participant,
    Pathway,
    Person,
    Provenance,
    Publication,
    Reaction,
    Rule,
    Stimulus,
    Term,
    UnitDefinition,
    UnitFactor,
    Xref,
)
from ..units import UnitError, dimension, dimension_name
from . import fast

if TYPE_CHECKING:
    import jsonschema

# ruamel.yaml and jsonschema are imported where they are used: a valid model is read and
# checked without them (:mod:`.fast`), and importing them costs more than loading a small model.

MAX_BYTES = 256 * 1024 * 1024
"""Largest canonical file accepted (a 50,000-reaction model is about 30 MB)."""

SCHEMA_FILE = "pathway.schema.json"


def schema_path() -> Path:
    """Where the JSON Schema lives: ``schemas/`` beside the package, or inside it when installed."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "schemas" / SCHEMA_FILE, here / "schemas" / SCHEMA_FILE):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"the canonical JSON Schema {SCHEMA_FILE} is missing from the installation")


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The canonical format's JSON Schema (draft 2020-12)."""
    return json.loads(schema_path().read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    import jsonschema

    # The same schema with its local "$ref"s replaced by what they point to: jsonschema
    # resolves a reference on every use, which was half the time of loading a large model.
    # Errors are unchanged (a reference's errors are its target's, with the same subschema).
    return jsonschema.Draft202012Validator(_inline_refs(schema()))


@lru_cache(maxsize=1)
def _fast_valid():
    return fast.compile_schema(schema())


def _inline_refs(root: dict[str, Any]) -> dict[str, Any]:
    """``root`` with every ``#/$defs/...`` reference inlined.

    A reference inside its own definition (a control of a control) stays a reference, resolved
    against the ``$defs`` kept for it.
    """
    defs = root.get("$defs", {})
    done: dict[str, Any] = {}
    open_: set[str] = set()
    kept: list[str] = []

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in defs:
                name = ref[8:]
                if name in open_:
                    kept.append(name)
                    return node
                if name not in done:
                    open_.add(name)
                    done[name] = inline(defs[name])
                    open_.discard(name)
                rest = {k: inline(v) for k, v in node.items() if k != "$ref"}
                return {"allOf": [done[name]], **rest} if rest else done[name]
            return {k: inline(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    inlined = inline(root)
    if kept:
        inlined["$defs"] = defs
    return inlined


# --------------------------------------------------------------------------- reading


def load(path: str | Path) -> Model:
    """Load and check a canonical model file; raise :class:`CanonicalError` listing every problem."""
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CanonicalError(
                [Problem(f"file is {size} bytes, more than the {MAX_BYTES} a canonical model may have",
                         hint="split the model or raise MAX_BYTES")], source)
        data = path.read_bytes()
    except IsADirectoryError:
        raise CanonicalError([Problem("is a folder, not a model file")], source) from None
    except OSError as exc:
        raise CanonicalError([Problem(f"cannot read: {exc.strerror or exc}")], source) from None
    return loads(data, source=source, is_json=path.suffix.lower() == ".json")


def loads(data: bytes | str, source: str = "<string>", is_json: bool | None = None) -> Model:
    """Load and check a canonical model from bytes or text (see :func:`load`)."""
    # a model of 10,000 reactions is a few million parsed values, checked and built into
    # frozen objects that all stay alive: the cyclic collector's passes find nothing (a third
    # of the time at that size)
    with collector_paused():
        return _loads(data, source, is_json)


def _loads(data: bytes | str, source: str, is_json: bool | None) -> Model:
    text = _decode(data, source)
    if is_json is None:
        is_json = text.lstrip().startswith("{")
    raw, exact = _parse(text, source, is_json)
    positions = _Positions(text, source)
    # Data parsed the fast way holds no alias and no date, and schema-valid data only string
    # keys: the walk of every value is needed only for characters XML cannot carry.
    valid = exact and _fast_valid()(raw)
    if not valid or fast.may_hold_unwritable(text):
        unwritable = _check_plain(raw, source, text)
        problems = sorted((_unwritable(found, path, positions, what) for path, found, what in unwritable),
                          key=lambda p: (p.line or 0, p.column or 0))
        if problems or not valid:
            problems += _schema_problems(raw, positions)
        if problems:
            raise CanonicalError(problems, source)
    problems = []
    model = _build(raw, problems, positions)
    problems.extend(check(model, positions))
    if problems:
        raise CanonicalError(_sorted(problems), source)
    return model


def _decode(data: bytes | str, source: str) -> str:
    if isinstance(data, str):
        text = data
    else:
        if len(data) > MAX_BYTES:
            raise CanonicalError([Problem(f"input is larger than {MAX_BYTES} bytes")], source)
        if b"\x00" in data[:8192]:
            raise CanonicalError([Problem("contains NUL bytes: this is a binary file, not a model",
                                          source=source)], source)
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise CanonicalError([Problem(
                f"byte 0x{data[exc.start]:02x} is not valid UTF-8", line=line, column=column,
                source=source, hint="save the file as UTF-8")], source) from None
    if "\x00" in text:
        raise CanonicalError([Problem("contains NUL characters: this is a binary file, not a model",
                                      source=source)], source)
    if not text.strip():
        raise CanonicalError([Problem(
            "file is empty", source=source,
            hint="a model is a mapping with at least 'id' and 'name'")], source)
    return text


def _parse(text: str, source: str, is_json: bool) -> tuple[Any, bool]:
    """The data of ``text``, and whether it came the fast way (no alias, no date in it)."""
    exact = True
    if is_json:
        try:
            raw = json.loads(text, object_pairs_hook=_json_pairs)
        except json.JSONDecodeError as exc:
            raise CanonicalError([Problem(f"JSON syntax error: {exc.msg}", line=exc.lineno,
                                          column=exc.colno, source=source)], source) from None
        except _DuplicateKey as exc:
            raise CanonicalError([Problem(f"duplicate key {exc.args[0]!r}", source=source,
                                          hint="each key may appear once in a mapping")], source) from None
    else:
        raw = fast.yaml_data(text)
        if raw is None:
            exact = False
            raw = _parse_yaml(text, source)
    if raw is None:
        raise CanonicalError([Problem("file holds no data", source=source,
                                      hint="a model is a mapping with at least 'id' and 'name'")], source)
    if not isinstance(raw, dict):
        kind = "a list" if isinstance(raw, list) else f"a single {type(raw).__name__} value"
        raise CanonicalError([Problem(f"the top level is {kind}, but a model is a mapping",
                                      line=1, source=source,
                                      hint="start the file with 'id: ...' and 'name: ...'")], source)
    return raw, exact


def _parse_yaml(text: str, source: str) -> Any:
    """The reference YAML 1.2 parser: what it refuses is refused with its words and position."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="safe", pure=True)  # the C parser is YAML 1.1: it refuses [pubmed:1]
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if "duplicate key" in message or type(exc).__name__ == "DuplicateKeyError":
            message = exc.problem or message
            message = message.split(" with value")[0]
        raise CanonicalError([Problem(
            f"YAML syntax error: {message}",
            line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
            source=source)], source) from None
    except YAMLError as exc:
        raise CanonicalError([Problem(f"YAML error: {exc}", source=source)], source) from None
    except RecursionError:
        raise CanonicalError([Problem("nesting is too deep to be a model", source=source)], source) from None


class _DuplicateKey(ValueError):
    pass


def _json_pairs(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def _alias_problem(text: str, source: str) -> Problem:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    line = column = None
    try:
        for event in YAML().parse(io.StringIO(text)):
            if type(event).__name__ == "AliasEvent" or getattr(event, "anchor", None):
                line, column = event.start_mark.line + 1, event.start_mark.column + 1
                break
    except YAMLError:
        pass
    return Problem("YAML anchors and aliases are not allowed in a model", line=line, column=column,
                   source=source, hint="write each element out in full")


def _check_plain(raw: Any, source: str, text: str = "") -> list[tuple[tuple, str, str]]:
    """Refuse anchors/aliases (a container met twice) and turn YAML dates into ISO strings.

    Returns ``(path, text, "key" or "value")`` for each key and string value holding a
    character no XML document can carry.
    """
    unwritable: list[tuple[tuple, str, str]] = []
    seen: set[int] = set()
    stack: list[tuple[Any, tuple]] = [(raw, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, (dict, list)):
            if id(node) in seen:
                raise CanonicalError([_alias_problem(text, source)], source)
            seen.add(id(node))
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, value in list(items):
                if isinstance(node, dict) and not isinstance(key, str):
                    positions = _Positions(text, source)
                    raise CanonicalError([positions.problem(
                        path, f"key {key!r} is not a string",
                        hint="quote it; a comma inside an unquoted flow mapping also splits a value "
                             "into keys")], source)
                if isinstance(key, str) and _NOT_XML.search(key):
                    unwritable.append((path + (key,), key, "key"))
                if isinstance(value, (_dt.date, _dt.datetime)):
                    node[key] = value.isoformat()
                elif isinstance(value, str):
                    if _NOT_XML.search(value):
                        unwritable.append((path + (key,), value, "value"))
                else:
                    stack.append((value, path + (key,)))
    return unwritable


_NOT_XML = fast.NOT_XML


def _unwritable(text: str, path: tuple, positions: "_Positions", what: str) -> Problem:
    char = _NOT_XML.search(text).group()
    return positions.problem(
        path, f"the {what} holds the character U+{ord(char):04X}, which SBML and BioPAX (XML 1.0) "
              "cannot carry",
        hint="remove it, or write it out in words (control characters, U+FFFE and U+FFFF and lone "
             "surrogates have no place in an XML document)")


class _Positions:
    """Line and column of any path in the document, parsed lazily and only when a problem needs it."""

    def __init__(self, text: str, source: str):
        self.text = text
        self.source = source
        self._root: Any = None
        self._parsed = False

    def _tree(self) -> Any:
        if not self._parsed:
            self._parsed = True
            try:
                from ruamel.yaml import YAML

                self._root = YAML().load(io.StringIO(self.text))
            except Exception:  # positions are a courtesy: the data already parsed once
                self._root = None
        return self._root

    def locate(self, path: Iterable[str | int]) -> tuple[int | None, int | None]:
        node = self._tree()
        line = col = None
        for part in path:
            lc = getattr(node, "lc", None)
            try:
                if isinstance(part, int) and lc is not None:
                    line, col = lc.item(part)
                elif lc is not None:
                    line, col = lc.value(part) if part in node else (lc.line, lc.col)
                node = node[part]
            except (KeyError, IndexError, TypeError, AttributeError):
                break
        if line is None:
            return None, None
        return line + 1, col + 1

    def problem(self, path: Iterable[str | int], message: str, hint: str | None = None) -> Problem:
        path = tuple(path)
        line, col = self.locate(path)
        return Problem(message, where=path_text(path), line=line, column=col, source=self.source, hint=hint)


def locate(text: str, path: Iterable[str | int]) -> tuple[int | None, int | None]:
    """Line and column (1-based) of ``path`` (``("reactions", 0, "rate_law")``) in a canonical text."""
    return _Positions(text, "").locate(path)


def path_text(path: Iterable[str | int]) -> str:
    """``('reactions', 3, 'controls', 0)`` -> ``reactions[3].controls[0]``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _schema_problems(raw: Any, positions: _Positions) -> Iterable[Problem]:
    errors = sorted(_validator().iter_errors(raw), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        yield _describe_schema_error(error, positions)


def _describe_schema_error(error: jsonschema.ValidationError, positions: _Positions) -> Problem:
    path = tuple(error.absolute_path)
    if error.validator in ("oneOf", "anyOf") and error.context:
        # the branch that got furthest says most about what the author meant
        best = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.context or ())))
        if best.validator not in ("type",) or len(best.absolute_path) > len(path):
            return _describe_schema_error(best, positions)
    kind = error.validator
    instance = error.instance
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extras = sorted(set(instance) - set(allowed)) if isinstance(instance, dict) else []
        parts = []
        for extra in extras:
            close = difflib.get_close_matches(str(extra), allowed, n=1)
            parts.append(f"{extra!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        return positions.problem(path + tuple(extras[:1]), f"unknown key {', '.join(parts)}",
                                 hint=f"allowed keys: {', '.join(allowed)}")
    if kind == "required":
        return positions.problem(path, error.message.replace("is a required property", "is missing"),
                                 hint="add it")
    if kind == "type":
        expected = error.validator_value
        return positions.problem(path, f"expected {_type_words(expected)}, found {_found(instance)}")
    if kind == "enum":
        options = ", ".join(repr(v) for v in error.validator_value)
        close = difflib.get_close_matches(str(instance), [str(v) for v in error.validator_value], n=1)
        hint = f"did you mean {close[0]!r}?" if close else None
        return positions.problem(path, f"{_found(instance)} is not one of {options}", hint=hint)
    if kind == "pattern":
        return positions.problem(path, f"{_found(instance)} does not match {error.validator_value}",
                                 hint=error.schema.get("description"))
    if kind == "oneOf" and "molecule" in str(error.schema):
        return positions.problem(path, "an entity needs exactly one of 'molecule' or 'components'")
    if kind == "not" and isinstance(instance, dict) and "initial_amount" in instance:
        return positions.problem(path, "give initial_concentration or initial_amount, not both")
    return positions.problem(path, error.message)


def _type_words(expected: Any) -> str:
    words = {"object": "a mapping", "array": "a list", "string": "a string", "number": "a number",
             "integer": "an integer", "boolean": "true or false", "null": "nothing"}
    if isinstance(expected, list):
        return " or ".join(words.get(e, e) for e in expected)
    return words.get(expected, str(expected))


def _found(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


# --------------------------------------------------------------------------- building


def _ev(raw: Any) -> Evidence:
    if isinstance(raw, str):
        return Evidence(reference=raw)
    return Evidence(**{**raw, "more_references": tuple(raw.get("more_references", ()))})


def _evs(raw: list | None) -> tuple[Evidence, ...]:
    return tuple(_ev(e) for e in raw or ())


def _part(raw: Any) -> Participant:
    if isinstance(raw, str):
        return Participant(entity=raw)
    return Participant(entity=raw["entity"], stoichiometry=float(raw.get("stoichiometry", 1)), id=raw.get("id"))


def _comp(raw: Any) -> Component:
    if isinstance(raw, str):
        return Component(entity=raw)
    return Component(entity=raw["entity"], stoichiometry=int(raw.get("stoichiometry", 1)))


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _build(raw: dict, problems: list[Problem], positions: _Positions) -> Model:
    """Build the model from schema-valid data, normalising CURIEs (problems collected)."""

    def curie(value: str | None, path: tuple) -> str | None:
        if value is None:
            return None
        try:
            return identifiers.normalize_curie(value)
        except identifiers.CurieError as exc:
            problems.append(positions.problem(path, str(exc)))
            return value

    def curies(values: list | None, path: tuple) -> tuple[str, ...]:
        return tuple(curie(v, path + (i,)) for i, v in enumerate(values or ()))

    def evidence(values: list | None, path: tuple) -> tuple[Evidence, ...]:
        out = []
        for i, e in enumerate(values or ()):
            ev = _ev(e)
            sub = path + (i,) if isinstance(e, str) else path + (i, "reference")
            out.append(Evidence(reference=curie(ev.reference, sub),
                                eco=curie(ev.eco, path + (i, "eco")), note=ev.note,
                                more_references=curies(list(ev.more_references), path + (i, "more_references"))))
        return tuple(out)

    def parameter(p: dict, path: tuple) -> Parameter:
        return Parameter(
            id=p["id"], value=_float(p.get("value")), units=p.get("units"), name=p.get("name"),
            provenance=None if "provenance" not in p else Provenance(
                kind=p["provenance"]["kind"],
                reference=curie(p["provenance"].get("reference"), path + ("provenance", "reference")),
                note=p["provenance"].get("note")),
            description=p.get("description"), constant=p.get("constant", True))

    def control(c: dict, path: tuple) -> Control:
        return Control(
            controller=c.get("controller"), type=c["type"], evidence=evidence(c.get("evidence"), path + ("evidence",)),
            more_controllers=tuple(c.get("more_controllers", ())), mechanism=c.get("mechanism"),
            direction=c.get("direction"), cofactors=tuple(c.get("cofactors", ())),
            controls=tuple(control(sub, path + ("controls", k)) for k, sub in enumerate(c.get("controls", ()))),
            name=c.get("name"), xrefs=curies(c.get("xrefs"), path + ("xrefs",)), description=c.get("description"),
            id=c.get("id"))

    ann = raw.get("annotations", {})
    model = Model(
        id=raw["id"],
        name=raw["name"],
        version=raw.get("version"),
        description=raw.get("description"),
        organism=curie(raw.get("organism"), ("organism",)),
        authors=tuple(Person(**a) for a in raw.get("authors", ())),
        license=raw.get("license"),
        created=raw.get("created"),
        modified=raw.get("modified"),
        references=curies(raw.get("references"), ("references",)),
        annotations=Annotations(**{k: curies(ann.get(k), ("annotations", k)) for k in
                                   ("diseases", "cell_types", "tissues", "processes")}),
        units=ModelUnits(**raw.get("units", {})),
        unit_definitions=tuple(
            UnitDefinition(id=u["id"], name=u.get("name"), factors=tuple(
                UnitFactor(kind=f["kind"], exponent=float(f.get("exponent", 1)),
                           scale=int(f.get("scale", 0)), multiplier=float(f.get("multiplier", 1)))
                for f in u["factors"]))
            for u in raw.get("unit_definitions", ())),
        compartments=tuple(
            Compartment(id=c["id"], name=c.get("name"), go=curie(c.get("go"), ("compartments", i, "go")),
                        spatial_dimensions=c.get("spatial_dimensions", 3), size=_float(c.get("size")),
                        units=c.get("units"), parent=c.get("parent"), constant=c.get("constant", True))
            for i, c in enumerate(raw.get("compartments", ()))),
        molecules=tuple(
            Molecule(id=m["id"], type=m["type"], name=m["name"], symbol=m.get("symbol"),
                     synonyms=tuple(m.get("synonyms", ())),
                     xrefs=curies(m.get("xrefs"), ("molecules", i, "xrefs")),
                     organism=curie(m.get("organism"), ("molecules", i, "organism")),
                     description=m.get("description"),
                     evidence=evidence(m.get("evidence"), ("molecules", i, "evidence")),
                     members=tuple(m.get("members", ())), formula=m.get("formula"),
                     identities=None if "identities" not in m else curies(m["identities"], ("molecules", i, "identities")),
                     database_xrefs=tuple(Xref(**x) for x in m.get("database_xrefs", ())),
                     molecular_weight=_float(m.get("molecular_weight")), sequence=m.get("sequence"))
            for i, m in enumerate(raw.get("molecules", ()))),
        entities=tuple(
            Entity(id=e["id"], compartment=e.get("compartment"), name=e.get("name"), molecule=e.get("molecule"),
                   components=tuple(_comp(c) for c in e.get("components", ())),
                   modifications=tuple(
                       Modification(type=curie(m["type"], ("entities", i, "modifications", j, "type")),
                                    residue=m.get("residue"), position=m.get("position"))
                       for j, m in enumerate(e.get("modifications", ()))),
                   bound=tuple(e.get("bound", ())), active=e.get("active"),
                   xrefs=curies(e.get("xrefs"), ("entities", i, "xrefs")),
                   initial_concentration=_float(e.get("initial_concentration")),
                   initial_amount=_float(e.get("initial_amount")), units=e.get("units"),
                   amount_based=e.get("amount_based", False), conversion_factor=e.get("conversion_factor"),
                   boundary=e.get("boundary", False),
                   constant=e.get("constant", False), description=e.get("description"),
                   evidence=evidence(e.get("evidence"), ("entities", i, "evidence")),
                   type=e.get("type"), members=tuple(e.get("members", ())),
                   database_xrefs=tuple(Xref(**x) for x in e.get("database_xrefs", ())),
                   features=tuple(
                       Feature(kind=f["kind"], type=curie(f.get("type"), ("entities", i, "features", j, "type")),
                               term=f.get("term"), position=f.get("position"), end=f.get("end"),
                               absent=f.get("absent", False), description=f.get("description"))
                       for j, f in enumerate(e.get("features", ()))))
            for i, e in enumerate(raw.get("entities", ()))),
        parameters=tuple(parameter(p, ("parameters", i)) for i, p in enumerate(raw.get("parameters", ()))),
        reactions=tuple(
            Reaction(id=r["id"], type=r["type"], name=r.get("name"), reversible=r.get("reversible", False),
                     reactants=tuple(_part(p) for p in r.get("reactants", ())),
                     products=tuple(_part(p) for p in r.get("products", ())),
                     template=r.get("template"),
                     controls=tuple(control(c, ("reactions", i, "controls", j))
                                    for j, c in enumerate(r.get("controls", ()))),
                     enzyme=r.get("enzyme"),
                     rate_law=r.get("rate_law"), compartment=r.get("compartment"), fast=r.get("fast", False),
                     local_parameters=tuple(parameter(p, ("reactions", i, "local_parameters", j))
                                            for j, p in enumerate(r.get("local_parameters", ()))),
                     xrefs=curies(r.get("xrefs"), ("reactions", i, "xrefs")),
                     description=r.get("description"),
                     evidence=evidence(r.get("evidence"), ("reactions", i, "evidence")),
                     participants=tuple(r.get("participants", ())), spontaneous=r.get("spontaneous"),
                     ec_numbers=tuple(r.get("ec_numbers", ())),
                     database_xrefs=tuple(Xref(**x) for x in r.get("database_xrefs", ())),
                     direction_unknown=r.get("direction_unknown", False))
            for i, r in enumerate(raw.get("reactions", ()))),
        observables=tuple(Observable(**o) for o in raw.get("observables", ())),
        stimuli=tuple(
            Stimulus(id=s["id"], entity=s["entity"], time=float(s["time"]),
                     concentration=float(s["concentration"]), name=s.get("name"),
                     description=s.get("description"))
            for s in raw.get("stimuli", ())),
        pathways=tuple(
            Pathway(id=p["id"], name=p["name"], steps=tuple(p.get("steps", ())),
                    subpathways=tuple(p.get("subpathways", ())),
                    xrefs=curies(p.get("xrefs"), ("pathways", i, "xrefs")),
                    description=p.get("description"),
                    evidence=evidence(p.get("evidence"), ("pathways", i, "evidence")),
                    database_xrefs=tuple(Xref(**x) for x in p.get("database_xrefs", ())),
                    components=tuple(p["components"]) if "components" in p else None)
            for i, p in enumerate(raw.get("pathways", ()))),
        function_definitions=tuple(
            FunctionDefinition(id=f["id"], arguments=tuple(f["arguments"]), body=f["body"], name=f.get("name"))
            for f in raw.get("function_definitions", ())),
        initial_assignments=tuple(InitialAssignment(**a) for a in raw.get("initial_assignments", ())),
        rules=tuple(Rule(**r) for r in raw.get("rules", ())),
        events=tuple(
            Event(id=e["id"], trigger=e.get("trigger"),
                  assignments=tuple(EventAssignment(**a) for a in e.get("assignments", ())),
                  name=e.get("name"), delay=e.get("delay"), priority=e.get("priority"),
                  persistent=e.get("persistent", True), initial_value=e.get("initial_value", True),
                  use_values_from_trigger_time=e.get("use_values_from_trigger_time", True))
            for e in raw.get("events", ())),
        constraints=tuple(Constraint(**c) for c in raw.get("constraints", ())),
        conversion_factor=raw.get("conversion_factor"),
        controls=tuple(control(c, ("controls", j)) for j, c in enumerate(raw.get("controls", ()))),
        publications=tuple(
            Publication(reference=curie(p["reference"], ("publications", j, "reference")), title=p.get("title"),
                        authors=tuple(p.get("authors", ())), year=p.get("year"), sources=tuple(p.get("sources", ())),
                        urls=tuple(p.get("urls", ())))
            for j, p in enumerate(raw.get("publications", ()))),
    )
    return _with_metadata(model, raw, problems, positions, ())


def _with_metadata(obj: Any, raw: Any, problems: list[Problem], positions: _Positions, path: tuple) -> Any:
    """``obj`` with the ``metadata`` its raw data gives it and its elements, at any depth.

    Walks the raw data beside the built objects (derived from the dataclass fields, so a new
    element kind with metadata needs no change here).
    """
    if not isinstance(raw, dict):
        return obj
    changes: dict[str, Any] = {}
    for f in fields(obj):
        value, sub = getattr(obj, f.name), raw.get(f.name)
        if isinstance(value, tuple) and isinstance(sub, list) and value and is_dataclass(value[0]):
            items = tuple(_with_metadata(v, r, problems, positions, path + (f.name, i))
                          for i, (v, r) in enumerate(zip(value, sub)))
            if any(a is not b for a, b in zip(items, value)):
                changes[f.name] = items
    if "metadata" in raw:
        changes["metadata"] = _metadata(raw["metadata"], problems, positions, path + ("metadata",))
    return replace(obj, **changes) if changes else obj


def _metadata(raw: dict, problems: list[Problem], positions: _Positions, path: tuple) -> Metadata:
    def resource(value: str, where: tuple) -> str:
        try:
            return identifiers.normalize_resource(value)
        except identifiers.CurieError as exc:
            problems.append(positions.problem(where, str(exc)))
            return value

    terms = tuple(Term(qualifier=t["qualifier"],
                       resources=tuple(resource(r, path + ("terms", i, "resources", j))
                                       for j, r in enumerate(t["resources"])))
                  for i, t in enumerate(raw.get("terms", ())))
    history = raw.get("history")
    return Metadata(
        terms=terms, notes=raw.get("notes"), sbo=raw.get("sbo"), xml=raw.get("xml"),
        history=None if history is None else History(
            creators=tuple(Person(**c) for c in history.get("creators", ())),
            created=_instant(history.get("created")),
            modified=tuple(_instant(d) for d in history.get("modified", ()))))


def _instant(date: str | None) -> str | None:
    """A history date in its normal form, a full W3C date-time (a plain date is midnight UTC)."""
    return date if date is None or "T" in date else f"{date}T00:00:00Z"


# --------------------------------------------------------------------------- checking

_KINDS = ("unit_definitions", "compartments", "molecules", "entities", "parameters", "reactions",
          "observables", "stimuli", "pathways", "function_definitions", "events")


def check(model: Model, positions: _Positions | None = None) -> list[Problem]:
    """Every semantic problem of a model: ids, references, identifiers, math, units, cycles.

    Works on any :class:`Model` (built in code, read from SBML or BioPAX); ``positions``
    adds file lines when the model came from a canonical file.
    """
    pos = positions or _Positions("", "")
    if positions is None:
        pos.locate = lambda path: (None, None)  # type: ignore[method-assign]
    problems: list[Problem] = []
    add = problems.append

    # ids: unique across every kind (units apart: as in SBML, unit ids are a namespace of
    # their own, never named in math); an id may be spelt like a built-in name of math, which
    # it then shadows (mathexpr.builtin)
    first: dict[str, tuple] = {}
    first_unit: dict[str, tuple] = {}
    declared = [(kind, (kind, i, "id"), item.id) for kind in _KINDS
                for i, item in enumerate(getattr(model, kind))]
    declared += [("participants", ("reactions", i, side, j, "id"), p.id)
                 for i, r in enumerate(model.reactions) for side in ("reactants", "products")
                 for j, p in enumerate(getattr(r, side)) if p.id is not None]
    declared += [("controls", path + ("id",), c.id) for path, c in _all_controls(model) if c.id is not None]
    participant_ids = {ident for kind, _, ident in declared if kind == "participants"}
    for kind, path, ident in declared:
        seen = first_unit if kind == "unit_definitions" else first
        if ident in seen:
            where = seen[ident][:-1] if seen[ident][0] == "reactions" and len(seen[ident]) > 3 \
                else seen[ident][:2]
            add(pos.problem(path, f"duplicate id {ident!r}, first declared at {path_text(where)}",
                            hint="unit ids are unique among units" if kind == "unit_definitions"
                            else "ids are unique across all kinds of element"))
        else:
            seen[ident] = path
        if kind != "unit_definitions" and ident in mathexpr.SYNTAX_WORDS:
            add(pos.problem(path, f"{ident!r} is a word of the math syntax, so math cannot name it",
                            hint="choose another id"))
        if kind == "unit_definitions" and ident in BASE_UNITS:
            add(pos.problem(path, f"{ident!r} redefines a base unit", hint="choose another id"))

    singular = {"entities": "entity", "molecules": "molecule", "compartments": "compartment",
                "reactions": "reaction", "pathways": "pathway", "unit_definitions": "unit"}

    def ref(path: tuple, value: str | None, pool: dict, what: str) -> None:
        if value is not None and value not in pool:
            close = difflib.get_close_matches(value, list(pool), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"declare it under {what}"
            add(pos.problem(path, f"{value!r} is not a declared {singular[what]}", hint=hint))

    comps, mols, ents = model.compartment_by_id, model.molecule_by_id, model.entity_by_id
    params, rxns, pws = model.parameter_by_id, model.reaction_by_id, model.pathway_by_id
    units = {u: None for u in BASE_UNITS} | {u.id: None for u in model.unit_definitions}

    def unit_ref(path: tuple, value: str | None) -> None:
        ref(path, value, units, "unit_definitions")

    for name in ("substance", "volume", "area", "length", "time", "extent"):
        unit_ref(("units", name), getattr(model.units, name))

    for i, c in enumerate(model.compartments):
        ref(("compartments", i, "parent"), c.parent, comps, "compartments")
        unit_ref(("compartments", i, "units"), c.units)
    _check_cycles(model.compartments, lambda c: [c.parent] if c.parent in comps else [],
                  "compartments", "parent", pos, add)

    for i, e in enumerate(model.entities):
        ref(("entities", i, "compartment"), e.compartment, comps, "compartments")
        ref(("entities", i, "molecule"), e.molecule, mols, "molecules")
        for j, c in enumerate(e.components):
            ref(("entities", i, "components", j), c.entity, ents, "entities")
            if c.entity == e.id:
                add(pos.problem(("entities", i, "components", j), "a complex cannot contain itself"))
        for j, b in enumerate(e.bound):
            ref(("entities", i, "bound", j), b, mols, "molecules")
            if b in mols and mols[b].type != "small_molecule":
                add(pos.problem(("entities", i, "bound", j),
                                f"bound {b!r} is a {mols[b].type}, not a small molecule",
                                hint="bind proteins as a complex with components"))
        unit_ref(("entities", i, "units"), e.units)
        if e.molecule is not None and e.components:
            add(pos.problem(("entities", i), "an entity has a molecule or components, not both"))
        if e.type is not None and e.type != "complex" and e.components:
            add(pos.problem(("entities", i, "type"), f"an entity with components is a complex, not a {e.type}"))
        if e.type is not None and e.molecule in mols and mols[e.molecule].type != e.type:
            add(pos.problem(("entities", i, "type"),
                            f"type {e.type!r} disagrees with molecule {e.molecule!r} (a {mols[e.molecule].type})",
                            hint="leave 'type' out when the entity names its molecule"))
        for j, member in enumerate(e.members):
            ref(("entities", i, "members", j), member, ents, "entities")
        for j, f in enumerate(e.features):
            if f.end is not None and f.position is not None and f.end < f.position:
                add(pos.problem(("entities", i, "features", j, "end"),
                                f"the feature ends at {f.end}, before it starts ({f.position})"))
    for i, m in enumerate(model.molecules):
        for j, member in enumerate(m.members):
            ref(("molecules", i, "members", j), member, mols, "molecules")
    _check_cycles(model.entities, lambda e: [c.entity for c in e.components if c.entity in ents],
                  "entities", "components", pos, add)
    _check_cycles(model.entities, lambda e: [m for m in e.members if m in ents], "entities", "members", pos, add)
    _check_cycles(model.molecules, lambda m: [x for x in m.members if x in mols], "molecules", "members", pos, add)

    assigned = {a.target for a in model.initial_assignments} | {r.variable for r in model.rules}
    has_algebraic = any(r.type == "algebraic" for r in model.rules)
    for i, p in enumerate(model.parameters):
        if p.value is None and p.id not in assigned and not has_algebraic:
            add(pos.problem(("parameters", i), f"parameter {p.id!r} has no value and no initial assignment "
                            "or rule sets it", hint="give it a 'value'"))
        unit_ref(("parameters", i, "units"), p.units)

    functions = model.function_by_id
    known = set(model.math_ids)
    # SBML allows a reaction id in math, meaning its rate
    variables = set(ents) | set(comps) | set(params) | participant_ids

    def check_math(path: tuple, text: str | None, scope: set[str] | None = None) -> None:
        if text is None:
            return
        try:
            tree = mathexpr.parse(text)
        except mathexpr.MathError as exc:
            add(pos.problem(path, str(exc)))
            return
        allowed = known if scope is None else scope
        for name in sorted(mathexpr.names(tree, allowed) - allowed):
            close = difflib.get_close_matches(name, sorted(known), n=1)
            add(pos.problem(path, f"{name!r} in {text!r} is not a parameter, entity, compartment or observable",
                            hint=f"did you mean {close[0]!r}?" if close else "declare it"))
        for fn in sorted(fn for fn in mathexpr.calls(tree)
                         if fn not in functions and mathexpr.builtin_function(fn, functions) is None):
            add(pos.problem(path, f"unknown function {fn!r}",
                            hint=f"known functions: {', '.join(sorted(mathexpr.FUNCTIONS))}"))

    def check_control(path: tuple, c: Control) -> None:
        ref(path + ("controller",), c.controller, ents, "entities")
        for k, other in enumerate(c.more_controllers):
            ref(path + ("more_controllers", k), other, ents, "entities")
        for k, cofactor in enumerate(c.cofactors):
            ref(path + ("cofactors", k), cofactor, ents, "entities")
        for k, sub in enumerate(c.controls):
            check_control(path + ("controls", k), sub)

    for j, c in enumerate(model.controls):
        check_control(("controls", j), c)
    for i, r in enumerate(model.reactions):
        for side in ("reactants", "products"):
            for j, p in enumerate(getattr(r, side)):
                ref(("reactions", i, side, j), p.entity, ents, "entities")
        ref(("reactions", i, "template"), r.template, ents, "entities")
        for j, c in enumerate(r.controls):
            check_control(("reactions", i, "controls", j), c)
        for j, p in enumerate(r.participants):
            ref(("reactions", i, "participants", j), p, ents, "entities")
        if r.participants and r.type not in INTERACTION_TYPES:
            add(pos.problem(("reactions", i, "participants"),
                            f"a {r.type} reaction has reactants and products, not bare participants",
                            hint=f"participants belong to {', '.join(INTERACTION_TYPES)}"))
        ref(("reactions", i, "enzyme"), r.enzyme, ents, "entities")
        if r.enzyme in ents and model.enzyme_holder(r) is None:
            add(pos.problem(("reactions", i, "enzyme"),
                            f"enzyme {r.enzyme!r} is neither a reactant of {r.id!r} nor inside a reactant complex",
                            hint="name a reactant, or a component of a reactant complex"))
        if r.template is not None and r.type not in TEMPLATE_REACTION_TYPES:
            add(pos.problem(("reactions", i, "template"),
                            f"only {', '.join(TEMPLATE_REACTION_TYPES)} reactions have a template"))
        if r.template is not None and r.template in ents:
            t = ents[r.template]
            if (t.molecule is not None and t.molecule not in mols) or \
                    model.entity_type(t) not in ("gene", "dna", "rna"):
                add(pos.problem(("reactions", i, "template"),
                                f"template {r.template!r} is not a gene, DNA or RNA entity"))
        ref(("reactions", i, "compartment"), r.compartment, comps, "compartments")
        if r.direction_unknown and r.reversible:
            add(pos.problem(("reactions", i, "reversible"), "a reaction of unknown direction is not said to be reversible"))
        if r.type in INTERACTION_TYPES and (r.reactants or r.products):
            add(pos.problem(("reactions", i), f"a {r.type} has participants, not reactants and products"))
        if r.type == "degradation" and r.products:
            add(pos.problem(("reactions", i, "products"), "a degradation has no products",
                            hint="use type 'conversion' if something is produced"))
        local = [p.id for p in r.local_parameters]
        for j, p in enumerate(r.local_parameters):
            if local.index(p.id) != j:
                add(pos.problem(("reactions", i, "local_parameters", j, "id"),
                                f"duplicate local parameter {p.id!r} in reaction {r.id!r}"))
            unit_ref(("reactions", i, "local_parameters", j, "units"), p.units)
        check_math(("reactions", i, "rate_law"), r.rate_law, known | set(local) if local else None)
    for i, o in enumerate(model.observables):
        check_math(("observables", i, "expression"), o.expression)
        unit_ref(("observables", i, "units"), o.units)
    def variable(path: tuple, value: str | None) -> None:
        if value is not None and value not in variables:
            close = difflib.get_close_matches(value, sorted(variables), n=1)
            add(pos.problem(path, f"{value!r} is not an entity, compartment, parameter or participant id",
                            hint=f"did you mean {close[0]!r}?" if close else "declare it"))

    for i, f in enumerate(model.function_definitions):
        check_math(("function_definitions", i, "body"), f.body, set(f.arguments))
    for i, a in enumerate(model.initial_assignments):
        variable(("initial_assignments", i, "target"), a.target)
        check_math(("initial_assignments", i, "expression"), a.expression)
    for i, r in enumerate(model.rules):
        if (r.type == "algebraic") != (r.variable is None):
            add(pos.problem(("rules", i), "an algebraic rule has no variable; assignment and rate rules need one"))
        variable(("rules", i, "variable"), r.variable)
        check_math(("rules", i, "expression"), r.expression)
    for i, e in enumerate(model.events):
        for key in ("trigger", "delay", "priority"):
            check_math(("events", i, key), getattr(e, key))
        for j, a in enumerate(e.assignments):
            variable(("events", i, "assignments", j, "variable"), a.variable)
            check_math(("events", i, "assignments", j, "expression"), a.expression)
    for i, c in enumerate(model.constraints):
        check_math(("constraints", i, "expression"), c.expression)
    for path, value in [(("conversion_factor",), model.conversion_factor)] + [
            (("entities", i, "conversion_factor"), e.conversion_factor) for i, e in enumerate(model.entities)]:
        if value is not None and value not in params:
            add(pos.problem(path, f"conversion factor {value!r} is not a declared parameter"))
    for i, s in enumerate(model.stimuli):
        ref(("stimuli", i, "entity"), s.entity, ents, "entities")
        _finite(pos, add, ("stimuli", i, "time"), s.time)
        _finite(pos, add, ("stimuli", i, "concentration"), s.concentration)
    processes = set(rxns) | {c.id for _, c in _all_controls(model) if c.id is not None}
    for i, p in enumerate(model.pathways):
        for j, step in enumerate(p.steps):
            ref(("pathways", i, "steps", j), step, rxns, "reactions")
        for j, part in enumerate(p.components or ()):
            if part not in processes:
                add(pos.problem(("pathways", i, "components", j), f"{part!r} is not a declared reaction or control id"))
        for j, sub in enumerate(p.subpathways):
            ref(("pathways", i, "subpathways", j), sub, pws, "pathways")
    _check_cycles(model.pathways, lambda p: [s for s in p.subpathways if s in pws],
                  "pathways", "subpathways", pos, add)
    return problems


def positions(data: bytes | str, source: str = "<string>") -> _Positions:
    """Where each path of a canonical text is (line, column), for :func:`advice`."""
    return _Positions(_decode(data, source), source)


def advice(model: Model, positions: _Positions | None = None) -> list[Problem]:
    """What SBML allows but a curator should hear about; warnings, never reasons to refuse.

    Units that do not measure what they are given for (a volume unit that measures time),
    negative or non-finite sizes and initial values, non-finite parameter values, spatial
    dimensions other than 0-3, reactions without participants, stoichiometries that are not
    positive, fast reactions (SBML Level 3 Version 2 has no 'fast'), and rules, assignments,
    triggers and constraints whose math is not given yet.
    """
    pos = positions or _Positions("", "")
    if positions is None:
        pos.locate = lambda path: (None, None)  # type: ignore[method-assign]
    out: list[Problem] = []

    def value(path: tuple, number: float | None, what: str, negative: bool = True) -> None:
        if number is None:
            return
        if not math.isfinite(number):
            out.append(pos.problem(path, f"the {what} is {number}, not a finite number",
                                   hint="simulators differ in what they make of it"))
        elif negative and number < 0:
            out.append(pos.problem(path, f"the {what} is negative ({number!r})",
                                   hint="round numerical noise to 0"))

    add = out.append
    _check_model_units(model, pos, add)
    declared_units = set(BASE_UNITS) | {u.id for u in model.unit_definitions}
    for i, c in enumerate(model.compartments):
        value(("compartments", i, "size"), c.size, "size")
        measures = {3: "volume", 2: "area", 1: "length", 0: "dimensionless"}.get(c.spatial_dimensions)
        if c.units in declared_units and measures is not None:
            _check_unit_fits(model, pos, add, ("compartments", i, "units"), c.units, measures)
        if c.spatial_dimensions is not None and c.spatial_dimensions not in (0, 1, 2, 3):
            out.append(pos.problem(("compartments", i, "spatial_dimensions"),
                                   f"{c.spatial_dimensions} spatial dimensions",
                                   hint="0, 1, 2 or 3 have a unit of size (dimensionless, length, area, "
                                        "volume); tools may not handle others"))
    for i, e in enumerate(model.entities):
        if e.units in declared_units:
            _check_unit_fits(model, pos, add, ("entities", i, "units"), e.units, "substance")
        value(("entities", i, "initial_concentration"), e.initial_concentration, "initial concentration")
        value(("entities", i, "initial_amount"), e.initial_amount, "initial amount")
    for i, p in enumerate(model.parameters):
        value(("parameters", i, "value"), p.value, "value", negative=False)
    for i, r in enumerate(model.reactions):
        for j, p in enumerate(r.local_parameters):
            value(("reactions", i, "local_parameters", j, "value"), p.value, "value", negative=False)
        if not r.reactants and not r.products and not r.participants:
            out.append(pos.problem(("reactions", i), "the reaction has no reactants and no products",
                                   hint="its rate only feeds math that names it"))
        for side in ("reactants", "products"):
            for j, p in enumerate(getattr(r, side)):
                if not p.stoichiometry > 0:
                    out.append(pos.problem(("reactions", i, side, j), f"stoichiometry {p.stoichiometry}",
                                           hint="a participant's stoichiometry is positive as a rule"))
        if r.fast:
            out.append(pos.problem(("reactions", i, "fast"), "a fast reaction",
                                   hint="SBML Level 3 Version 2 has no 'fast': the export keeps it in its "
                                        "annotation and simulators integrate the reaction as any other"))
    missing = [(("rules", i, "expression"), f"the {r.type} rule") for i, r in enumerate(model.rules)
               if r.expression is None]
    missing += [(("initial_assignments", i, "expression"), f"the initial assignment of {a.target!r}")
                for i, a in enumerate(model.initial_assignments) if a.expression is None]
    missing += [(("events", i, "trigger"), f"event {e.id!r}") for i, e in enumerate(model.events)
                if e.trigger is None]
    missing += [(("events", i, "assignments", j, "expression"), f"an assignment of event {e.id!r}")
                for i, e in enumerate(model.events) for j, a in enumerate(e.assignments) if a.expression is None]
    missing += [(("constraints", i, "expression"), "a constraint") for i, c in enumerate(model.constraints)
                if c.expression is None]
    for path, what in missing:
        out.append(pos.problem(path, f"{what} has no math yet", hint="it has no effect until it has"))
    return _sorted(out)


def _all_controls(model: Model) -> Iterator[tuple[tuple, Control]]:
    """Every control of the model with its path, controls of controls included."""
    def walk(path: tuple, c: Control) -> Iterator[tuple[tuple, Control]]:
        yield path, c
        for k, sub in enumerate(c.controls):
            yield from walk(path + ("controls", k), sub)

    for i, r in enumerate(model.reactions):
        for j, c in enumerate(r.controls):
            yield from walk(("reactions", i, "controls", j), c)
    for j, c in enumerate(model.controls):
        yield from walk(("controls", j), c)


def _finite(pos: _Positions, add, path: tuple, value: float | None) -> None:
    if value is not None and not math.isfinite(value):
        add(pos.problem(path, f"{value} is not a finite number"))


def _check_cycles(items, children, kind: str, key: str, pos: _Positions, add) -> None:
    """Report each element that can reach itself through ``children``."""
    by_id = {item.id: item for item in items}
    index = {item.id: i for i, item in enumerate(items)}
    state: dict[str, int] = {}
    reported: set[str] = set()
    for start in by_id:
        if state.get(start):
            continue
        stack = [(start, iter(children(by_id[start])))]
        state[start] = 1
        trail = [start]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                trail.pop()
            elif state.get(nxt) == 1:
                cycle = trail[trail.index(nxt):] + [nxt]
                if nxt not in reported:
                    reported.add(nxt)
                    add(pos.problem((kind, index[nxt], key), f"cycle: {' -> '.join(cycle)}"))
            elif not state.get(nxt):
                state[nxt] = 1
                trail.append(nxt)
                stack.append((nxt, iter(children(by_id[nxt]))))


def _check_model_units(model: Model, pos: _Positions, add) -> None:
    expected = {"substance": "substance", "extent": "substance", "volume": "volume",
                "area": "area", "length": "length", "time": "time"}
    for name, what in expected.items():
        unit = getattr(model.units, name)
        if unit is not None:
            _check_unit_fits(model, pos, add, ("units", name), unit, what)


def _check_unit_fits(model: Model, pos: _Positions, add, path: tuple, unit: str, what: str) -> None:
    try:
        dim = dimension(unit, model)
    except UnitError:
        return  # an unknown unit is reported as a dangling reference
    fits = dimension_name(dim)
    if what == "substance":
        ok = fits in ("substance", "mass", "dimensionless")
    else:
        ok = fits == what
    if not ok:
        add(pos.problem(path, f"unit {unit!r} measures {fits}, but a {what} unit is needed"))


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.where, p.message))


# --------------------------------------------------------------------------- writing


def to_dict(model: Model) -> dict[str, Any]:
    """The model as plain data in the canonical layout (defaults omitted, shorthands used)."""
    return _plain(model)


def _plain(obj: Any) -> Any:
    if isinstance(obj, Participant):
        if obj.stoichiometry == 1 and obj.id is None and obj.metadata == NO_METADATA:
            return obj.entity
        out = {"entity": obj.entity}
        if obj.stoichiometry != 1:
            out["stoichiometry"] = obj.stoichiometry
        if obj.id is not None:
            out["id"] = obj.id
        if obj.metadata != NO_METADATA:
            out["metadata"] = _plain(obj.metadata)
        return out
    if isinstance(obj, Component):
        return obj.entity if obj.stoichiometry == 1 else {"entity": obj.entity, "stoichiometry": obj.stoichiometry}
    if isinstance(obj, Evidence) and obj.eco is None and obj.note is None and not obj.more_references:
        return obj.reference
    if is_dataclass(obj):
        out = {}
        for f in fields(obj):
            value = getattr(obj, f.name)
            if value is None and f.default is MISSING and f.default_factory is MISSING:
                continue  # a required field the source left empty (an entity located nowhere)
            if f.default is not MISSING and value == f.default and isinstance(value, bool) == isinstance(f.default, bool):
                continue
            if f.default_factory is not MISSING and value == f.default_factory():
                continue
            out[f.name] = _plain(value)
        return out
    if isinstance(obj, tuple):
        return [_plain(v) for v in obj]
    return obj


def _represent_str(representer, text: str):
    """Text with a run of spaces double-quoted: ruamel folds a long plain scalar at a space of
    such a run, and the line break then reads back as one space (names in BioModels files
    have runs of spaces)."""
    return representer.represent_scalar("tag:yaml.org,2002:str", text, style='"' if "  " in text else None)


def dumps(model: Model, as_json: bool = False) -> str:
    """The model as canonical YAML (or JSON) text; :func:`loads` gives the same model back."""
    data = to_dict(model)
    if as_json:
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False
    yaml.allow_unicode = True
    yaml.width = 100
    yaml.representer.add_representer(str, _represent_str)
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def dump(model: Model, path: str | Path) -> Path:
    """Write the model as canonical YAML (``.json`` suffix: JSON), atomically."""
    from ..fsutil import atomic_write_text

    path = Path(path)
    return atomic_write_text(path, dumps(model, as_json=path.suffix.lower() == ".json"))


def bundled_model_path(name: str = "il6_stat3") -> Path:
    """The path of a model shipped with the package."""
    return Path(__file__).resolve().parents[1] / "pathways" / f"{name}.yaml"


def bundled_models() -> list[str]:
    """Names of the models shipped with the package."""
    return sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "pathways").glob("*.yaml"))
