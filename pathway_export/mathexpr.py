"""Math expressions of the canonical model: parse, check and print in one normal form.

The syntax is infix arithmetic as modellers write it::

    cytosol * (kf * A * B - kr * AB)     Vmax * S^h / (Km^h + S^h)     exp(-k * time)

Numbers, identifiers, ``+ - * / ^`` (``**`` is accepted for ``^``), parentheses, function
calls, comparisons (``< <= > >= == !=``) and ``and``/``or``/``not`` (for ``piecewise``).
Expressions are parsed into a small immutable tree (:class:`Num`, :class:`Name`,
:class:`Op`, :class:`Call`) and printed back by :func:`render` in one normal form, so two
texts that mean the same tree compare equal after :func:`normalize`. Format modules
convert trees to and from their own math (MathML for SBML).
"""

from __future__ import annotations

import ast
import math
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
"""Names with a fixed meaning; they are not model ids."""


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
        return Name(node.id)
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
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        args = tuple(_convert(a, text) for a in node.args)
        if node.func.id == "pow" and len(args) == 2:
            return Op("^", args)
        return Call(node.func.id, args)
    snippet = ast.get_source_segment(text.replace("^", "**"), node) or type(node).__name__
    raise MathError(f"{text!r}: {snippet!r} is not allowed in a math expression")


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


def names(expr: Expr | str) -> frozenset[str]:
    """Identifiers an expression refers to, built-in constants excluded."""
    tree = parse(expr) if isinstance(expr, str) else expr
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            if node.id not in CONSTANTS:
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
