#!/usr/bin/env python3
"""Regenerates src/checkout/places/codes-postaux.tsv from the npm package `codes-postaux`
(MIT, La Poste / INSEE data published by the Base Adresse Nationale), keeping only what the
checkout needs: postal code, commune name, and the delivery label (libellé d'acheminement) when
it is not simply the commune's name in capitals.

Usage: scripts/postal-codes.py [VERSION]   (default: the version recorded in the file's header)
Needs npm (the registry) and writes the file in place."""
import json, os, subprocess, sys, tarfile, tempfile, unicodedata

HERE = os.path.join(os.path.dirname(__file__), "..", "src", "checkout", "places")
OUT = os.path.join(HERE, "codes-postaux.tsv")


def recorded_version():
    with open(OUT, encoding="utf-8") as f:
        return f.readline().split("codes-postaux@")[1].split()[0]


def plain(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return " ".join(s.upper().replace("-", " ").replace("'", " ").split())


def main():
    version = sys.argv[1] if len(sys.argv) > 1 else recorded_version()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"codes-postaux@{version}", "--silent"], cwd=tmp,
                       check=True, stdout=subprocess.DEVNULL)
        tgz = next(f for f in os.listdir(tmp) if f.endswith(".tgz"))
        with tarfile.open(os.path.join(tmp, tgz)) as t:
            rows = json.load(t.extractfile("package/codes-postaux.json"))
            licence = t.extractfile("package/LICENSE").read().decode()
    seen = set()
    lines = []
    for r in rows:
        label = r["libelleAcheminement"]
        if plain(label) == plain(r["nomCommune"]):
            label = ""
        row = (r["codePostal"], r["nomCommune"], label)
        if row not in seen:
            seen.add(row)
            lines.append(row)
    lines.sort()
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(f"# codes-postaux@{version} (npm, MIT licence: see LICENSE.codes-postaux); "
                "postal code, commune, delivery label when it differs\n")
        for row in lines:
            f.write("\t".join(row) + "\n")
    with open(os.path.join(HERE, "LICENSE.codes-postaux"), "w", encoding="utf-8") as f:
        f.write(licence)
    print(f"{len(lines)} rows from codes-postaux@{version} written to {OUT}")


main()
