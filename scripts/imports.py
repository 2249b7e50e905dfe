#!/usr/bin/env python3
"""The house as drawn from its imports: which module of src/ names which (through `use crate::`,
`super::` or a path written inline), the import cycles between files and between areas, and the
arrows that climb back up. Exits non-zero when there is a cycle between files, so `.ci/run`
keeps the graph a tree of floors.

Usage: python3 scripts/imports.py [--areas] [--edges]
"""

import os
import re
import sys
from collections import defaultdict

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")


def modules():
    """module path (tuple) -> file path"""
    found = {}
    for dirpath, _, files in os.walk(ROOT):
        for f in files:
            if not f.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), ROOT)
            parts = rel[:-3].split(os.sep)
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            found[tuple(parts)] = os.path.join(dirpath, f)
    return found


PATH = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+|::\{)")
USE_GROUP = re.compile(r"\buse\s+(crate|super)::([^;]*);", re.S)


def strip_comments(text):
    # In-module tests (at the end of a file, by convention) are not part of the house.
    text = text.split("#[cfg(test)]")[0]
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def expand_group(prefix, body):
    """`a::{b, c::{d, e}}` -> ['a::b', 'a::c::d', 'a::c::e'] (enough for module resolution)."""
    out = []
    depth, start, i = 0, 0, 0
    m = re.match(r"^([A-Za-z0-9_:]*?)(?:::)?\{(.*)\}$", body.strip(), re.S)
    if not m:
        return [prefix + "::" + body.strip()]
    head, inner = m.group(1), m.group(2)
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
    """The module a path starting at `crate`/`super` names: its longest module prefix."""
    if root == "crate":
        base = []
    else:
        base = list(me[:-1])
        while rest and rest[0] == "super":
            base = base[:-1]
            rest = rest[1:]
    parts = base + [p for p in rest if p not in ("self", "*")]
    for n in range(len(parts), 0, -1):
        if tuple(parts[:n]) in mods:
            return tuple(parts[:n])
    return None


def edges(mods):
    graph = defaultdict(set)
    for me, path in mods.items():
        text = strip_comments(open(path, encoding="utf-8").read())
        # `mod.rs`/`lib.rs` name their children with `pub mod x;`: not an import.
        paths = []
        for m in USE_GROUP.finditer(text):
            for p in expand_group(m.group(1), m.group(2)):
                paths.append(p)
        for m in PATH.finditer(text):
            paths.append(m.group(1) + m.group(2))
        for p in paths:
            segs = [s for s in p.replace(" ", "").split("::") if s]
            root, rest = segs[0], segs[1:]
            target = resolve(mods, me, root, rest)
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
        for w in graph.get(v, ()):
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


def main():
    mods = modules()
    graph = edges(mods)
    # A parent module (`mod.rs`) re-exporting its children is one file: fold children into it.
    file_cycles = sccs(graph, mods.keys())
    area = lambda m: m[0] if m else "crate"
    area_graph = defaultdict(set)
    for a, targets in graph.items():
        for b in targets:
            if area(a) != area(b):
                area_graph[area(a)].add(area(b))
    areas = {area(m) for m in mods}
    area_cycles = sccs(area_graph, areas)
    if "--edges" in sys.argv:
        for a in sorted(graph):
            print(f"{name(a)} -> {', '.join(name(b) for b in sorted(graph[a]))}")
    if "--areas" in sys.argv:
        for a in sorted(area_graph):
            print(f"{a} -> {', '.join(sorted(area_graph[a]))}")
    for c in file_cycles:
        print("cycle between files:", " <-> ".join(name(m) for m in c))
    for c in area_cycles:
        print("cycle between areas:", " <-> ".join(c))
    print(f"{len(mods)} modules, {sum(len(v) for v in graph.values())} imports, "
          f"{len(file_cycles)} file cycles, {len(area_cycles)} area cycles")
    return 1 if file_cycles else 0


if __name__ == "__main__":
    sys.exit(main())
