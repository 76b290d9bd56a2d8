"""Math between :mod:`pathway_export.mathexpr` trees and libsbml ``ASTNode`` trees.

Conversion is direct, node by node, so no text parser can misread an id as a
function or a constant. Both directions take the ids in scope (``declared``: the model's ids
that math may name, with a reaction's local parameters or a function's arguments; and the
model's ``functions``): an SBML ``<ci>avogadro</ci>`` is the id, the ``avogadro`` csymbol
the constant, written ``builtin.avogadro`` where the id shadows it (:func:`mathexpr.builtin`). Reading folds libsbml's n-ary ``plus``/``times`` into the
left-nested binary form :func:`mathexpr.parse` builds, so :func:`mathexpr.render`
gives the same normal form as the canonical text.
"""

from __future__ import annotations

import math

import libsbml

from ...errors import UnsupportedFeatureError, WriteError
from ...mathexpr import BUILTIN, Call, Expr, Name, Num, Op, builtin, builtin_function

_OPS = {
    "+": libsbml.AST_PLUS, "-": libsbml.AST_MINUS, "*": libsbml.AST_TIMES,
    "/": libsbml.AST_DIVIDE, "^": libsbml.AST_POWER, "neg": libsbml.AST_MINUS,
    "<": libsbml.AST_RELATIONAL_LT, "<=": libsbml.AST_RELATIONAL_LEQ,
    ">": libsbml.AST_RELATIONAL_GT, ">=": libsbml.AST_RELATIONAL_GEQ,
    "==": libsbml.AST_RELATIONAL_EQ, "!=": libsbml.AST_RELATIONAL_NEQ,
    "and": libsbml.AST_LOGICAL_AND, "or": libsbml.AST_LOGICAL_OR, "not": libsbml.AST_LOGICAL_NOT,
}

_FUNCTIONS = {
    "exp": libsbml.AST_FUNCTION_EXP, "ln": libsbml.AST_FUNCTION_LN,
    "abs": libsbml.AST_FUNCTION_ABS, "floor": libsbml.AST_FUNCTION_FLOOR,
    "ceil": libsbml.AST_FUNCTION_CEILING, "factorial": libsbml.AST_FUNCTION_FACTORIAL,
    "min": libsbml.AST_FUNCTION_MIN, "max": libsbml.AST_FUNCTION_MAX,
    "piecewise": libsbml.AST_FUNCTION_PIECEWISE, "sin": libsbml.AST_FUNCTION_SIN,
    "cos": libsbml.AST_FUNCTION_COS, "tan": libsbml.AST_FUNCTION_TAN,
    "sinh": libsbml.AST_FUNCTION_SINH, "cosh": libsbml.AST_FUNCTION_COSH,
    "tanh": libsbml.AST_FUNCTION_TANH, "arcsin": libsbml.AST_FUNCTION_ARCSIN,
    "arccos": libsbml.AST_FUNCTION_ARCCOS, "arctan": libsbml.AST_FUNCTION_ARCTAN,
    "rem": libsbml.AST_FUNCTION_REM, "quotient": libsbml.AST_FUNCTION_QUOTIENT,
    "delay": libsbml.AST_FUNCTION_DELAY, "rateOf": libsbml.AST_FUNCTION_RATE_OF,
    "sec": libsbml.AST_FUNCTION_SEC, "csc": libsbml.AST_FUNCTION_CSC, "cot": libsbml.AST_FUNCTION_COT,
    "sech": libsbml.AST_FUNCTION_SECH, "csch": libsbml.AST_FUNCTION_CSCH,
    "coth": libsbml.AST_FUNCTION_COTH, "arcsec": libsbml.AST_FUNCTION_ARCSEC,
    "arccsc": libsbml.AST_FUNCTION_ARCCSC, "arccot": libsbml.AST_FUNCTION_ARCCOT,
    "arcsinh": libsbml.AST_FUNCTION_ARCSINH, "arccosh": libsbml.AST_FUNCTION_ARCCOSH,
    "arctanh": libsbml.AST_FUNCTION_ARCTANH, "arcsech": libsbml.AST_FUNCTION_ARCSECH,
    "arccsch": libsbml.AST_FUNCTION_ARCCSCH, "arccoth": libsbml.AST_FUNCTION_ARCCOTH,
    "xor": libsbml.AST_LOGICAL_XOR, "implies": libsbml.AST_LOGICAL_IMPLIES,
    "pow": libsbml.AST_POWER,
}
_FUNCTION_NAMES = {v: k for k, v in _FUNCTIONS.items() if k != "pow"}
_OP_NAMES = {v: k for k, v in _OPS.items() if k not in ("neg",)}

_CONSTANTS = {
    "time": libsbml.AST_NAME_TIME, "avogadro": libsbml.AST_NAME_AVOGADRO,
    "pi": libsbml.AST_CONSTANT_PI, "exponentiale": libsbml.AST_CONSTANT_E,
    "true": libsbml.AST_CONSTANT_TRUE, "false": libsbml.AST_CONSTANT_FALSE,
}
_CONSTANT_NAMES = {v: k for k, v in _CONSTANTS.items()}
MATH_CONSTANTS = frozenset(_CONSTANTS)
"""Names that are SBML constants or csymbols in math, not identifiers."""


def to_ast(expr: Expr, number_units: str | None = None,
           functions: frozenset[str] = frozenset(), declared: frozenset[str] = frozenset()) -> libsbml.ASTNode:
    """A libsbml tree for ``expr``; literal numbers get ``number_units`` (SBML L3 ``sbml:units``).

    ``functions`` are the model's function definitions, called by name; ``declared`` the ids
    in scope, which shadow built-in constants of the same name.
    """
    node = _Builder(number_units, functions, declared).build(expr)
    if not node.isWellFormedASTNode():
        raise WriteError(f"libsbml rejected the math tree built for {expr!r}")
    return node


def _new(kind: int) -> libsbml.ASTNode:
    node = libsbml.ASTNode(kind)
    if node is None:  # pragma: no cover - libsbml out of memory
        raise WriteError("libsbml could not create a math node")
    return node


def _add(parent: libsbml.ASTNode, child: libsbml.ASTNode) -> None:
    if parent.addChild(child) != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise WriteError("libsbml refused a child of a math node")


def _number(value: float, units: str | None) -> libsbml.ASTNode:
    if math.isinf(value):
        node = _new(libsbml.AST_REAL)
        node.setValue(value)
        return node
    node = _new(libsbml.AST_REAL)
    node.setValue(float(value))
    if units is not None and math.isfinite(value):
        if node.setUnits(units) != libsbml.LIBSBML_OPERATION_SUCCESS:
            raise WriteError(f"libsbml refused units {units!r} on the number {value!r}")
    return node


class _Builder:
    def __init__(self, units: str | None, functions: frozenset[str], declared: frozenset[str]):
        self.units, self.functions, self.declared = units, functions, declared

    def build(self, expr: Expr, units: str | None | bool = True) -> libsbml.ASTNode:
        units = self.units if units is True else units
        if isinstance(expr, Num):
            return _number(expr.value, units)
        if isinstance(expr, Name):
            constant = builtin(expr.id, self.declared)
            if constant in _CONSTANTS:
                node = _new(_CONSTANTS[constant])
                if constant in ("time", "avogadro"):
                    node.setName(constant)
                return node
            if constant == "INF":
                return _number(math.inf, None)
            if constant == "NaN":
                return _number(math.nan, None)
            node = _new(libsbml.AST_NAME)
            if node.setName(expr.id) != libsbml.LIBSBML_OPERATION_SUCCESS:
                raise WriteError(f"libsbml refused the name {expr.id!r} in math")
            return node
        if isinstance(expr, Op):
            node = _new(_OPS[expr.op])
            for arg in expr.args:
                _add(node, self.build(arg, units))
            return node
        if isinstance(expr, Call):
            fn = builtin_function(expr.fn, self.functions)
            if fn is None:
                if expr.fn not in self.functions:
                    raise WriteError(f"function {expr.fn!r} has no SBML equivalent")
                node = _new(libsbml.AST_FUNCTION)
                if node.setName(expr.fn) != libsbml.LIBSBML_OPERATION_SUCCESS:
                    raise WriteError(f"libsbml refused a call of function {expr.fn!r}")
                for arg in expr.args:
                    _add(node, self.build(arg, units))
                return node
            if fn == "log10":
                return self._with_qualifier(libsbml.AST_FUNCTION_LOG, 10.0, expr.args[0], units)
            if fn == "sqrt":
                return self._with_qualifier(libsbml.AST_FUNCTION_ROOT, 2.0, expr.args[0], units)
            if fn in ("log", "root"):
                node = _new(libsbml.AST_FUNCTION_LOG if fn == "log" else libsbml.AST_FUNCTION_ROOT)
                _add(node, self.build(expr.args[0], None))
                _add(node, self.build(expr.args[1], units))
                return node
            if fn not in _FUNCTIONS:
                raise WriteError(f"function {expr.fn!r} has no SBML equivalent")
            node = _new(_FUNCTIONS[fn])
            for arg in expr.args:
                _add(node, self.build(arg, units))
            return node
        raise WriteError(f"not a math expression: {expr!r}")

    def _with_qualifier(self, kind: int, value: float, arg: Expr, units) -> libsbml.ASTNode:
        node = _new(kind)
        _add(node, _number(value, None))
        _add(node, self.build(arg, units))
        return node


def from_ast(node: libsbml.ASTNode | None, where: str, declared: frozenset[str] = frozenset(),
             functions: frozenset[str] = frozenset()) -> Expr:
    """The canonical tree of a libsbml tree; ``where`` names the element for refusals.

    ``declared`` ids and ``functions`` in scope shadow built-ins of the same name, which are
    then read as ``builtin.<name>``.
    """
    return _Reader(where, declared, functions).read(node)


class _Reader:
    def __init__(self, where: str, declared: frozenset[str], functions: frozenset[str]):
        self.where, self.declared, self.functions = where, declared, functions

    def constant(self, name: str) -> Name:
        return Name(BUILTIN + name if name in self.declared else name)

    def call(self, fn: str, args) -> Call:
        return Call(BUILTIN + fn if fn in self.functions else fn, tuple(args))

    def read(self, node: libsbml.ASTNode | None) -> Expr:
        where = self.where
        if node is None:
            raise UnsupportedFeatureError(f"missing math in {where}")
        kind = node.getType()
        if node.isNumber():
            if kind == libsbml.AST_INTEGER:
                return Num(float(node.getInteger()))
            value = float(node.getReal())
            if math.isfinite(value) or ("INF" not in self.declared and "NaN" not in self.declared):
                return Num(value)
            # INF and NaN are written as names, here shadowed by ids
            name = self.constant("NaN" if math.isnan(value) else "INF")
            return Op("neg", (name,)) if value < 0 else name
        if kind == libsbml.AST_NAME:
            return Name(node.getName())
        if kind in _CONSTANT_NAMES:
            return self.constant(_CONSTANT_NAMES[kind])
        args = [self.read(node.getChild(i)) for i in range(node.getNumChildren())]
        if kind in (libsbml.AST_PLUS, libsbml.AST_TIMES):
            op = "+" if kind == libsbml.AST_PLUS else "*"
            if not args:
                return Num(0.0 if op == "+" else 1.0)
            tree = args[0]
            for arg in args[1:]:
                tree = Op(op, (tree, arg))
            return tree
        if kind == libsbml.AST_MINUS:
            if len(args) == 1:
                if isinstance(args[0], Num):
                    return Num(-args[0].value)
                return Op("neg", (args[0],))
            return Op("-", tuple(args))
        if kind in (libsbml.AST_POWER, libsbml.AST_FUNCTION_POWER):
            return Op("^", tuple(args))
        if kind in _OP_NAMES:
            op = _OP_NAMES[kind]
            if op in ("<", "<=", ">", ">=", "==") and len(args) > 2:
                # a chain a < b < c means each neighbouring pair compares so; math has no side effects
                pairs = tuple(Op(op, (left, right)) for left, right in zip(args, args[1:]))
                return Op("and", pairs)
            if op in ("<", "<=", ">", ">=", "==", "!=") and len(args) != 2:
                raise UnsupportedFeatureError(f"a comparison of {len(args)} operands in the math of {where}",
                                              hint="write it as comparisons joined by 'and'")
            if op in ("and", "or") and len(args) < 2:
                # MathML and() is true, or() false; with one operand each is that operand
                return args[0] if args else self.constant("true" if op == "and" else "false")
            if op in ("-", "/", "^", "not") and len(args) != (1 if op == "not" else 2):
                raise UnsupportedFeatureError(f"'{op}' with {len(args)} operands in the math of {where}")
            return Op(op, tuple(args))
        if kind == libsbml.AST_FUNCTION_LOG:
            if len(args) == 1 or (len(args) == 2 and args[0] == Num(10.0)):
                return self.call("log10", (args[-1],))
            return self.call("log", args)
        if kind == libsbml.AST_FUNCTION_ROOT:
            if len(args) == 1 or (len(args) == 2 and args[0] == Num(2.0)):
                return self.call("sqrt", (args[-1],))
            return self.call("root", args)
        if kind == libsbml.AST_LOGICAL_XOR and len(args) < 2:
            # MathML xor() is false; with one operand it is that operand
            return args[0] if args else self.constant("false")
        if kind in _FUNCTION_NAMES:
            return self.call(_FUNCTION_NAMES[kind], args)
        if kind == libsbml.AST_FUNCTION:
            return Call(node.getName(), tuple(args))
        label = node.getName() or libsbml.formulaToL3String(node) or str(kind)
        raise UnsupportedFeatureError(f"MathML element '{label}' in the math of {where}")


def number_units(node: libsbml.ASTNode) -> set[str]:
    """Units declared on literal numbers anywhere in a tree (``sbml:units``)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if n is None:
            continue
        if n.isNumber() and n.isSetUnits():
            found.add(n.getUnits())
        stack.extend(n.getChild(i) for i in range(n.getNumChildren()))
    return found


def lambda_ast(arguments: tuple[str, ...], body: Expr, functions: frozenset[str]) -> libsbml.ASTNode:
    """The ``lambda`` of a function definition: bound variables, then the body (in whose scope
    only the arguments are declared)."""
    node = _new(libsbml.AST_LAMBDA)
    for arg in arguments:
        bvar = _new(libsbml.AST_NAME)
        if bvar.setName(arg) != libsbml.LIBSBML_OPERATION_SUCCESS:
            raise WriteError(f"libsbml refused the argument {arg!r}")
        _add(node, bvar)
    _add(node, _Builder(None, functions, frozenset(arguments)).build(body))
    if node.getNumBvars() != len(arguments):
        raise WriteError(f"libsbml built a lambda of {node.getNumBvars()} arguments, not {len(arguments)}")
    return node


def from_lambda(node: libsbml.ASTNode | None, where: str,
                functions: frozenset[str] = frozenset()) -> tuple[tuple[str, ...], Expr]:
    """Arguments and body of a function definition's ``lambda``."""
    if node is None or node.getType() != libsbml.AST_LAMBDA or node.getNumChildren() == 0:
        raise UnsupportedFeatureError(f"{where} without a lambda")
    count = node.getNumBvars()
    arguments = tuple(node.getChild(i).getName() for i in range(count))
    if node.getNumChildren() != count + 1:
        raise UnsupportedFeatureError(f"{where} with a lambda of {node.getNumChildren() - count} bodies")
    return arguments, from_ast(node.getChild(count), where, frozenset(arguments), functions)
