"""Running an SBML-qual document as a Boolean (or multi-valued) network.

:func:`states` reads the qualitative species and transitions with libsbml; :func:`simulate`
updates them step by step, all transitions at once (synchronous) or one at a time in a
fixed order (asynchronous, deterministic). A function term's math may use the logical
operators, relations between species and integers, and ``true``/``false``; anything else
is refused by name.
"""

from __future__ import annotations

from dataclasses import dataclass

import libsbml

from ...errors import PathwayExportError

_RELATIONS = {
    libsbml.AST_RELATIONAL_EQ: lambda a, b: a == b,
    libsbml.AST_RELATIONAL_NEQ: lambda a, b: a != b,
    libsbml.AST_RELATIONAL_LT: lambda a, b: a < b,
    libsbml.AST_RELATIONAL_LEQ: lambda a, b: a <= b,
    libsbml.AST_RELATIONAL_GT: lambda a, b: a > b,
    libsbml.AST_RELATIONAL_GEQ: lambda a, b: a >= b,
}


@dataclass(frozen=True)
class _Transition:
    id: str
    outputs: tuple[str, ...]
    terms: tuple[tuple[int, libsbml.ASTNode], ...]
    default: int


def _value(node: libsbml.ASTNode, state: dict[str, int], where: str) -> int | bool:
    kind = node.getType()
    if kind == libsbml.AST_LOGICAL_AND:
        return all(_value(node.getChild(i), state, where) for i in range(node.getNumChildren()))
    if kind == libsbml.AST_LOGICAL_OR:
        return any(_value(node.getChild(i), state, where) for i in range(node.getNumChildren()))
    if kind == libsbml.AST_LOGICAL_NOT:
        return not _value(node.getChild(0), state, where)
    if kind == libsbml.AST_LOGICAL_XOR:
        return sum(bool(_value(node.getChild(i), state, where)) for i in range(node.getNumChildren())) % 2 == 1
    if kind in _RELATIONS:
        return _RELATIONS[kind](_value(node.getChild(0), state, where), _value(node.getChild(1), state, where))
    if kind == libsbml.AST_CONSTANT_TRUE:
        return True
    if kind == libsbml.AST_CONSTANT_FALSE:
        return False
    if kind == libsbml.AST_INTEGER:
        return node.getInteger()
    if kind == libsbml.AST_REAL and float(node.getReal()).is_integer():
        return int(node.getReal())
    if kind == libsbml.AST_NAME:
        name = node.getName()
        if name not in state:
            raise PathwayExportError(f"{where}: '{name}' is not a qualitative species")
        return state[name]
    raise PathwayExportError(f"{where}: cannot evaluate {libsbml.formulaToL3String(node)!r} in a logical model")


def states(data: bytes) -> tuple[dict[str, int], list[_Transition]]:
    """The initial levels and the transitions of an SBML-qual document."""
    doc = libsbml.readSBMLFromString(data.decode("utf-8", "replace"))
    model = doc.getModel() if doc is not None else None
    qm = model.getPlugin("qual") if model is not None else None
    if qm is None:
        raise PathwayExportError("not an SBML-qual document (no qual model)")
    initial = {}
    for i in range(qm.getNumQualitativeSpecies()):
        qs = qm.getQualitativeSpecies(i)
        initial[qs.getId()] = qs.getInitialLevel() if qs.isSetInitialLevel() else 0
    transitions = []
    for i in range(qm.getNumTransitions()):
        tr = qm.getTransition(i)
        outputs = tuple(tr.getOutput(j).getQualitativeSpecies() for j in range(tr.getNumOutputs()))
        # copies: the document, and the math it owns, are freed when this function returns
        terms = tuple((tr.getFunctionTerm(j).getResultLevel(), tr.getFunctionTerm(j).getMath().deepCopy())
                      for j in range(tr.getNumFunctionTerms()))
        default = tr.getDefaultTerm().getResultLevel() if tr.isSetDefaultTerm() else 0
        transitions.append(_Transition(tr.getId(), outputs, terms, default))
    return initial, transitions


def _fire(tr: _Transition, state: dict[str, int]) -> int:
    for level, math in tr.terms:
        if _value(math, state, f"transition '{tr.id}'"):
            return level
    return tr.default


def simulate(data: bytes, set_levels: dict[str, int] | None = None, steps: int = 30,
             mode: str = "synchronous", fixed: dict[str, int] | None = None) -> list[dict[str, int]]:
    """The trajectory of an SBML-qual document: its initial state (with ``set_levels``
    applied) and ``steps`` updates. ``fixed`` levels hold throughout (a knock-out, a clamped
    input). ``mode`` is ``synchronous`` or ``asynchronous`` (transitions in document order,
    each seeing the ones before it)."""
    if mode not in ("synchronous", "asynchronous"):
        raise ValueError(f"unknown update mode {mode!r}: synchronous or asynchronous")
    initial, transitions = states(data)
    for name in {**(set_levels or {}), **(fixed or {})}:
        if name not in initial:
            raise PathwayExportError(f"'{name}' is not a qualitative species of the document")
    state = {**initial, **(set_levels or {}), **(fixed or {})}
    trajectory = [dict(state)]
    for _ in range(steps):
        current = state if mode == "asynchronous" else dict(state)
        for tr in transitions:
            level = _fire(tr, current if mode == "synchronous" else state)
            for out in tr.outputs:
                if out not in (fixed or {}):
                    state[out] = level
        trajectory.append(dict(state))
    return trajectory
