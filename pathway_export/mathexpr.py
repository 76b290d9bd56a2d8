"""Math expressions of the canonical model: parse, check and print in one normal form.

The syntax is infix arithmetic as modellers write it::

    cytosol * (kf * A * B - kr * AB)     Vmax * S^h / (Km^h + S^h)     exp(-k * time)

Numbers, identifiers, ``+ - * / ^`` (``**`` is accepted for ``^``), parentheses, function
calls, comparisons (``< <= > >= == !=``) and ``and``/``or``/``not`` (for ``piecewise``).
Expressions are parsed into a small immutable tree (:class:`Num`, :class:`Name`,
:class:`Op`, :class:`Call`) and printed back by :func:`render` in one normal form, so two
texts that mean the same tree compare equal after :func:`normalize`. Format modules
convert trees to and from their own math (MathML for SBML).

Names are resolved as SBML resolves them: a model's own ids shadow the built-in names. In
a rate law ``avogadro`` is a local parameter of that name if the reaction has one, else a
model id ``avogadro`` if the model declares one, else Avogadro's constant; a call of ``max``
calls the model's function ``max`` if it defines one. Where a built-in is shadowed it is
still reached as ``builtin.avogadro`` or ``builtin.max(a, b)`` (:func:`builtin`). Ids that
are words of Python's syntax (``lambda``, ``in``, ``if`` ...) are names like any other.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Union

FUNCTIONS = {
    # name: (min args, max args)
    "exp": (1, 1), "ln": (1, 1), "log10": (1, 1), "log": (2, 2), "sqrt": (1, 1),
    "abs": (1, 1), "floor": (1, 1), "ceil": (1, 1), "pow": (2, 2), "root": (2, 2),
    "factorial": (1, 1), "min": (2, 99), "max": (2, 99), "piecewise": (2, 99),
    "sin": (1, 1), "cos": (1, 1), "tan": (1, 1), "sinh": (1, 1), "cosh": (1, 1),
    "tanh": (1, 1), "arcsin": (1, 1), "arccos": (1, 1), "arctan": (1, 1),
    "rem": (2, 2), "quotient": (2, 2), "delay": (2, 2), "rateOf": (1, 1),
    "sec": (1, 1), "csc": (1, 1), "cot": (1, 1), "sech": (1, 1), "csch": (1, 1), "coth": (1, 1),
    "arcsec": (1, 1), "arccsc": (1, 1), "arccot": (1, 1), "arcsinh": (1, 1), "arccosh": (1, 1),
    "arctanh": (1, 1), "arcsech": (1, 1), "arccsch": (1, 1), "arccoth": (1, 1),
    "xor": (2, 99), "implies": (2, 2),
}
"""Built-in functions and their arities (``log(base, x)``; ``piecewise(v1, c1, ..., otherwise)``)."""

CONSTANTS = ("time", "avogadro", "pi", "exponentiale", "true", "false", "INF", "NaN")
"""Names with a fixed meaning unless a model id of the same name shadows them."""

BUILTIN = "builtin."
"""Prefix that names a built-in constant or function even where a model id shadows it."""

SYNTAX_WORDS = ("and", "or", "not")
"""Words of the math syntax itself: an id spelt so cannot be written in math."""

_KEYWORD = re.compile(r"(?<![\w.])(" + "|".join(
    k for k in keyword.kwlist if k not in SYNTAX_WORDS) + r")(?!\w)")
_MANGLE = "\u03a9\u03a9"  # two Greek capital omegas: a Python identifier no SBML id contains


class MathError(ValueError):
    """An expression cannot be parsed; the message says where and why."""


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Name:
    id: str


@dataclass(frozen=True)
class Op:
    """An operator: ``+ - * / ^ < <= > >= == != and or not``; unary minus is ``neg``."""

    op: str
    args: tuple["Expr", ...]


@dataclass(frozen=True)
class Call:
    fn: str
    args: tuple["Expr", ...]


Expr = Union[Num, Name, Op, Call]

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}
_CMPOPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "<": 4, "<=": 4, ">": 4, ">=": 4, "==": 4, "!=": 4,
               "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7, "^": 8}


@lru_cache(maxsize=65536)
def parse(text: str) -> Expr:
    """Parse ``text`` into a tree; raise :class:`MathError` naming the problem."""
    if not isinstance(text, str) or not text.strip():
        raise MathError("empty expression")
    source = text.replace("^", "**").replace("&&", " and ").replace("||", " or ")
    source = _KEYWORD.sub(_MANGLE + r"\1", source)
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        col = f" at column {exc.offset}" if exc.offset else ""
        raise MathError(f"cannot parse {text!r}{col}: {exc.msg}") from None
    return _convert(tree.body, text)


def _convert(node: ast.AST, text: str) -> Expr:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise MathError(f"{text!r}: {node.value!r} is not a number")
        return Num(float(node.value))
    if isinstance(node, ast.Name):
        return Name(node.id.removeprefix(_MANGLE))
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "builtin" \
            and node.attr in CONSTANTS:
        return Name(BUILTIN + node.attr)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return Op(_BINOPS[type(node.op)], (_convert(node.left, text), _convert(node.right, text)))
    if isinstance(node, ast.UnaryOp):
        operand = _convert(node.operand, text)
        if isinstance(node.op, ast.USub):
            if isinstance(operand, Num):
                return Num(-operand.value)
            return Op("neg", (operand,))
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(node.op, ast.Not):
            return Op("not", (operand,))
    if isinstance(node, ast.BoolOp):
        op = "and" if isinstance(node.op, ast.And) else "or"
        return Op(op, tuple(_convert(v, text) for v in node.values))
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _CMPOPS:
        return Op(_CMPOPS[type(node.ops[0])],
                  (_convert(node.left, text), _convert(node.comparators[0], text)))
    if isinstance(node, ast.Compare):
        raise MathError(f"{text!r}: chained comparisons are not allowed; combine them with 'and'")
    if isinstance(node, ast.Call) and not node.keywords:
        fn = _function_name(node.func)
        if fn is not None:
            args = tuple(_convert(a, text) for a in node.args)
            if fn in ("pow", BUILTIN + "pow") and len(args) == 2:
                return Op("^", args)
            return Call(fn, args)
    snippet = ast.get_source_segment(text.replace("^", "**"), node) or type(node).__name__
    raise MathError(f"{text!r}: {snippet!r} is not allowed in a math expression")


def _function_name(func: ast.AST) -> str | None:
    if isinstance(func, ast.Name):
        return func.id.removeprefix(_MANGLE)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "builtin" \
            and func.attr in FUNCTIONS:
        return BUILTIN + func.attr
    return None


def builtin(name: str, declared: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The built-in constant the name ``name`` denotes where the ``declared`` ids are in scope.

    ``builtin.x`` always denotes the built-in ``x``; a bare constant name does unless a
    declared id (a model id, a local parameter, a function argument) shadows it; anything
    else is ``None``: an id of the model.
    """
    if name.startswith(BUILTIN):
        return name[len(BUILTIN):]
    if name in CONSTANTS and name not in declared:
        return name
    return None


def builtin_function(fn: str, functions: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The built-in function a call of ``fn`` calls where the model defines ``functions``.

    ``None``: the call is of the model's function ``fn`` (or of an unknown function).
    """
    if fn.startswith(BUILTIN):
        return fn[len(BUILTIN):]
    if fn in FUNCTIONS and fn not in functions:
        return fn
    return None


def _num(value: float) -> str:
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    if math.isnan(value):
        return "NaN"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def render(expr: Expr) -> str:
    """Print a tree in the normal form (single spaces around binary operators)."""
    return _render(expr, 0)


def _render(expr: Expr, parent: int, right: bool = False) -> str:
    if isinstance(expr, Num):
        text = _num(expr.value)
        return f"({text})" if expr.value < 0 and parent > 0 else text
    if isinstance(expr, Name):
        return expr.id
    if isinstance(expr, Call):
        return f"{expr.fn}({', '.join(_render(a, 0) for a in expr.args)})"
    prec = _PRECEDENCE[expr.op]
    if expr.op == "neg":
        text = f"-{_render(expr.args[0], prec)}"
    elif expr.op == "not":
        text = f"not {_render(expr.args[0], prec)}"
    elif expr.op == "^":
        # right-associative: parenthesise a left operand of equal precedence
        text = f"{_render(expr.args[0], prec + 1)}^{_render(expr.args[1], prec)}"
    else:
        first, *rest = expr.args
        parts = [_render(first, prec)]
        for arg in rest:
            # left-associative: a right operand of equal precedence needs parentheses
            parts.append(_render(arg, prec + 1))
        text = f" {expr.op} ".join(parts)
    return f"({text})" if prec < parent else text


def normalize(text: str) -> str:
    """``render(parse(text))``: the normal form used to compare expressions."""
    return render(parse(text))


def names(expr: Expr | str, declared: frozenset[str] | set[str] = frozenset()) -> frozenset[str]:
    """Identifiers an expression refers to, built-in constants excluded (see :func:`builtin`)."""
    tree = parse(expr) if isinstance(expr, str) else expr
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            if builtin(node.id, declared) is None:
                found.add(node.id)
        elif isinstance(node, (Op, Call)):
            stack.extend(node.args)
    return frozenset(found)


def calls(expr: Expr | str) -> frozenset[str]:
    """Function names an expression calls."""
    tree = parse(expr) if isinstance(expr, str) else expr
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Call):
            found.add(node.fn)
        if isinstance(node, (Op, Call)):
            stack.extend(node.args)
    return frozenset(found)
