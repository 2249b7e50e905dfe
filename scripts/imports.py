#!/usr/bin/env python3
"""The house as drawn from its imports: which module of src/ names which (through `use crate::`,
`super::`, `self::` or a path written inline), and the rules that keep it a house of floors:

- no cycle between files;
- no cycle between the top-level modules of src/ (the areas and the ground they stand on);
- nothing below the web wing (`src/site/`) names the web wing, Rocket or its companion crates
  (`rocket_dyn_templates`, `rocket_sync_db_pools`); only the wing, `app.rs`, `main.rs` and
  `lib.rs` may.

Every line of a file is read except the bodies of `#[cfg(test)] mod … { … }` blocks (matched
brace by brace, after comments and string literals are blanked), and files declared as
`#[cfg(test)] mod x;`. A `#[cfg(test)] impl` or `fn` is part of the house and is read.

Usage: python3 scripts/imports.py [--root SRC] [--areas] [--edges]
Exits 1 when a rule is broken, printing each breach.
"""

import os
import re
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ROOT = os.path.join(HERE, "..", "src")
WEB_WING = "site"
# Above the web wing: they assemble it.
TOP = {"app", "main", "crate"}
ROCKET = re.compile(r"\b(?:rocket|rocket_dyn_templates|rocket_sync_db_pools)(?:::|\s*;)")


def blank_literals(text):
    """Comments and the insides of string and char literals become spaces (newlines kept), so
    braces and paths inside them are not read."""
    out = []
    i, n = 0, len(text)

    def keep_lines(s):
        return "".join(c if c == "\n" else " " for c in s)

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(keep_lines(text[i:j]))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(keep_lines(text[i:j]))
            i = j
        elif re.match(r'b?r#*"', text[i:i + 40]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'(b?r)(#*)"', text[i:])
            hashes = m.group(2)
            start = i + len(m.group(0))
            end = text.find('"' + hashes, start)
            end = n if end < 0 else end + 1 + len(hashes)
            out.append(m.group(0) + keep_lines(text[start:end - 1 - len(hashes)]) + '"' + hashes)
            i = end
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('"' + keep_lines(text[i + 1:j]) + '"')
            i = j + 1
        elif c == "'":
            # A char literal ('x', '\n', '\u{1F600}', '{') or a lifetime ('a, 'static).
            m = re.match(r"'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'\n])'", text[i:])
            if m:
                out.append("' '")
                i += len(m.group(0))
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


TEST_MOD = re.compile(r"#\[cfg\(test\)\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*([{;])")


def strip_test_modules(text):
    """(code without `#[cfg(test)] mod x { … }` bodies, names of `#[cfg(test)] mod x;` files)."""
    test_files = []
    while True:
        m = TEST_MOD.search(text)
        if not m:
            return text, test_files
        if m.group(2) == ";":
            test_files.append(m.group(1))
            text = text[: m.start()] + text[m.end():]
            continue
        depth, j = 1, m.end()
        while j < len(text) and depth:
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
            j += 1
        text = text[: m.start()] + "\n" * text[m.start():j].count("\n") + text[j:]


def modules(root):
    """module path (tuple) -> file path"""
    found = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            if not f.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), root)
            parts = rel[:-3].split(os.sep)
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            found[tuple(parts)] = os.path.join(dirpath, f)
    return found


PATH = re.compile(r"(?<![\w:])\$?(crate|super|self)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
USE_GROUP = re.compile(r"\buse\s+(?:\$?(crate|super|self)::)([^;]*);", re.S)


def expand_group(prefix, body):
    """`a::{b, c::{d, e}}` -> ['a::b', 'a::c::d', 'a::c::e'] (enough for module resolution)."""
    out = []
    m = re.match(r"^([A-Za-z0-9_:\s]*?)(?:::)?\s*\{(.*)\}$", body.strip(), re.S)
    if not m:
        return [prefix + "::" + body.strip()]
    head, inner = m.group(1).strip(), m.group(2)
    base = prefix + ("::" + head if head else "")
    items, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items.append(cur)
    for item in items:
        item = item.strip()
        if not item or item == "self":
            out.append(base)
            continue
        item = re.sub(r"\s+as\s+\w+$", "", item)
        out.extend(expand_group(base, item))
    return out


def resolve(mods, me, root, rest):
    """The module a path starting at `crate`/`super`/`self` names: its longest module prefix."""
    if root == "crate":
        base = []
    else:
        # `self` is the file's module; `super` its parent (for `mod.rs`, the folder's parent).
        base = list(me)
        if root == "super":
            base = base[:-1]
        while rest and rest[0] == "super":
            base = base[:-1]
            rest = rest[1:]
    parts = base + [p for p in rest if p not in ("self", "*")]
    for n in range(len(parts), 0, -1):
        if tuple(parts[:n]) in mods:
            return tuple(parts[:n])
    return None


def read_modules(root):
    mods = modules(root)
    code = {}
    test_only = set()
    for me, path in mods.items():
        with open(path, encoding="utf-8") as f:
            text, test_files = strip_test_modules(blank_literals(f.read()))
        code[me] = text
        for t in test_files:
            test_only.add(me + (t,))
    # A test-only file's own children are test-only too.
    for m in list(mods):
        if any(m[: len(t)] == t for t in test_only):
            del mods[m]
            del code[m]
    return mods, code


def edges(mods, code):
    graph = defaultdict(set)
    for me, path in mods.items():
        text = code[me]
        paths = []
        for m in USE_GROUP.finditer(text):
            paths.extend(expand_group(m.group(1), m.group(2)))
        for m in PATH.finditer(text):
            paths.append(m.group(1) + m.group(2))
        for p in paths:
            segs = [s for s in re.sub(r"\s", "", p).split("::") if s]
            target = resolve(mods, me, segs[0], segs[1:])
            if target and target != me and target[: len(me)] != me:
                graph[me].add(target)
    return graph


def sccs(graph, nodes):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def name(m):
    return "::".join(m) or "crate"


def area(m):
    return m[0] if m else "crate"


def check(root, show_areas=False, show_edges=False, out=print):
    """Prints the graph's breaches; returns how many there are."""
    mods, code = read_modules(root)
    graph = edges(mods, code)
    file_cycles = sccs(graph, mods.keys())
    area_graph = defaultdict(set)
    for a, targets in graph.items():
        for b in targets:
            if area(a) != area(b):
                area_graph[area(a)].add(area(b))
    area_cycles = sccs(area_graph, {area(m) for m in mods})
    below = [m for m in mods if area(m) not in TOP and area(m) != WEB_WING]
    climbs = sorted(
        (a, b) for a in below for b in graph.get(a, ()) if area(b) == WEB_WING
    )
    rocket = []
    for m in sorted(below):
        for lineno, line in enumerate(code[m].splitlines(), 1):
            if ROCKET.search(line):
                rocket.append((m, lineno, line.strip()))
    if show_edges:
        for a in sorted(graph):
            out(f"{name(a)} -> {', '.join(name(b) for b in sorted(graph[a]))}")
    if show_areas:
        for a in sorted(area_graph):
            out(f"{a} -> {', '.join(sorted(area_graph[a]))}")
    for c in file_cycles:
        out("cycle between files: " + " <-> ".join(name(m) for m in c))
    for c in area_cycles:
        out("cycle between top-level modules: " + " <-> ".join(c))
    for a, b in climbs:
        out(f"below the web wing, {name(a)} imports {name(b)}")
    for m, lineno, line in rocket:
        out(f"below the web wing, {mods[m]}:{lineno} names Rocket: {line}")
    out(
        f"{len(mods)} modules, {sum(len(v) for v in graph.values())} imports, "
        f"{len(file_cycles)} file cycles, {len(area_cycles)} top-level cycles, "
        f"{len(climbs)} imports of the web wing from below, {len(rocket)} Rocket lines below it"
    )
    return len(file_cycles) + len(area_cycles) + len(climbs) + len(rocket)


def main():
    args = sys.argv[1:]
    root = DEFAULT_ROOT
    if "--root" in args:
        root = args[args.index("--root") + 1]
    breaches = check(root, "--areas" in args, "--edges" in args)
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
