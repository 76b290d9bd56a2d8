"""Write the identifier tables that pathway-export ships, from an installed bioregistry.

Run when cutting a release (after pinning the bioregistry release in ``pyproject.toml``'s
``release`` extra)::

    python scripts/make_identifier_tables.py          # rewrite the tables
    python scripts/make_identifier_tables.py --check  # exit 1 if they differ from what it would write

The package never imports the bioregistry: what it asks (a prefix's normal form, preferred
spelling, identifier pattern, name, identifiers.org prefix and embedded prefix; which
registered URI prefix a URI starts with) is answered from these two files, so exported bytes
depend on the pathway-export release alone. The same registry release always gives the same
bytes (keys sorted, no time stamps).

- ``prefixes.json``: one row per registry prefix (the columns are named in the file), and the
  prefix synonyms that are not the prefix itself written another way.
- ``uri_prefixes.json``: every URI prefix the registry's own URI parser knows (its providers,
  identifiers.org's current and legacy forms, n2t, bioregistry.io ...), grouped by host;
  ``both`` holds those registered for ``http`` and ``https`` alike (written without the
  scheme), ``exact`` the rest as registered. Read only when a URI is not one that
  pathway-export writes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from importlib import metadata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "pathway_export" / "data"
COLUMNS = ["preferred", "pattern", "name", "identifiers_org", "banana", "banana_peel"]
"""One row of ``prefixes.json``: what :mod:`pathway_export.identifiers` asks of a prefix.

``preferred``: the spelling CURIEs are written with (``GO``, ``uniprot``); ``pattern``: the
regular expression a local identifier must match in full, or null; ``name``: the resource's
name; ``identifiers_org``: its identifiers.org prefix, or null when identifiers.org does not
list it; ``banana``: the prefix embedded in its local identifiers (``GO`` in ``GO:0005737``), or
null; ``banana_peel``: the separator written after the banana when the registry names one
(null: ``:``, and identifiers.org writes the identifier alone, without its own prefix).
"""


def norm_key(text: str) -> str:
    """The registry's key for a prefix synonym (case and `` -_./`` ignored)."""
    return text.casefold().lower().translate(str.maketrans("", "", " -_./"))


def prefix_rows(manager) -> dict[str, list]:
    rows = {}
    for prefix, resource in sorted(manager.registry.items()):
        preferred = manager.get_preferred_prefix(prefix)
        if preferred is None and prefix.startswith("_"):
            # the registry escapes prefixes that start with a digit ("_3dmet"); write the public one
            preferred = resource.get_identifiers_org_prefix() or prefix.lstrip("_")
        compiled = resource.get_pattern_re()
        pattern = resource.get_pattern()
        if (compiled.pattern if compiled is not None else None) != pattern:
            raise SystemExit(f"{prefix}: the pattern matched differs from the pattern printed")
        rows[prefix] = [preferred or prefix, pattern, resource.get_name(),
                        resource.get_identifiers_org_prefix(), resource.get_banana(),
                        resource.banana_peel]
    return rows


def synonyms(manager) -> dict[str, str]:
    """Synonym keys other than a prefix's own key (those the reader derives from the rows)."""
    table = {}
    for key, prefix in sorted(manager.synonyms.items()):
        if key != norm_key(key):
            raise SystemExit(f"synonym key {key!r} is not in the registry's normal form")
        if key != norm_key(prefix):
            table[key] = prefix
    for prefix in manager.registry:
        if manager.synonyms.get(norm_key(prefix)) != prefix:
            raise SystemExit(f"prefix {prefix!r} is not its own synonym")
    return table


def uri_prefixes(manager) -> dict[str, dict]:
    registered = dict(manager.converter.reverse_prefix_map)
    both: dict[str, dict[str, str]] = defaultdict(dict)
    exact: dict[str, str] = {}
    for uri, prefix in registered.items():
        scheme, sep, rest = uri.partition("://")
        other = {"http": "https", "https": "http"}.get(scheme) if sep else None
        if other is not None and registered.get(f"{other}://{rest}") == prefix:
            if scheme == "http":
                host, slash, path = rest.partition("/")
                both[host][slash + path] = prefix
        else:
            exact[uri] = prefix
    return {"both": {host: dict(sorted(paths.items())) for host, paths in sorted(both.items())},
            "exact": dict(sorted(exact.items()))}


def _rows_text(head: dict, rows: dict[str, list], tail: dict) -> str:
    """JSON with one row per line (short diffs when the registry changes)."""
    lines = [json.dumps(head, ensure_ascii=False, sort_keys=True)[:-1] + ', "prefixes": {']
    items = [f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
             for k, v in rows.items()]
    lines.append(",\n".join(items))
    lines.append("}, " + json.dumps(tail, ensure_ascii=False, sort_keys=True, indent=1)[1:])
    return "\n".join(lines) + "\n"


def tables() -> dict[str, str]:
    from bioregistry import manager

    source = {"name": "bioregistry", "version": metadata.version("bioregistry")}
    prefixes = _rows_text({"source": source, "columns": COLUMNS}, prefix_rows(manager),
                          {"synonyms": synonyms(manager)})
    uris = {"source": source, **uri_prefixes(manager)}
    return {
        "prefixes.json": prefixes,
        "uri_prefixes.json": json.dumps(uris, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the tables in the package instead of writing them")
    parser.add_argument("--out", type=Path, default=OUT, help="folder of the tables")
    args = parser.parse_args(argv)
    differ = []
    for name, text in tables().items():
        path = args.out / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                differ.append(name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"{path}: {len(text.encode()):,} bytes")
    if differ:
        print(f"differ from the installed bioregistry's: {', '.join(differ)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
