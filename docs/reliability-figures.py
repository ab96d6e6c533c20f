#!/usr/bin/env python3
"""Pastes the figures the reliability tests wrote into docs/reliability.md.

Run `dotnet test tests/MediaGen.Reliability.Tests` first; each test writes its block to
tests/MediaGen.Reliability.Tests/bin/Debug/net10.0/reliability-figures/<name>.txt. Every
`<!-- figures:<name> -->` ... `<!-- /figures:<name> -->` region of the page is replaced by that file.
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
page = root / "docs" / "reliability.md"
figures = root / "tests" / "MediaGen.Reliability.Tests" / "bin" / "Debug" / "net10.0" / "reliability-figures"
text = page.read_text(encoding="utf-8")
missing = []


def paste(match):
    name = match.group(1)
    source = figures / f"{name}.txt"
    if not source.exists():
        missing.append(name)
        return match.group(0)
    block = source.read_text(encoding="utf-8").strip().replace("## ", "#### ", 1)
    return f"<!-- figures:{name} -->\n{block}\n<!-- /figures:{name} -->"


text = re.sub(r"<!-- figures:([\w-]+) -->(?:.*?<!-- /figures:\1 -->)?", paste, text, flags=re.S)
page.write_text(text, encoding="utf-8")
if missing:
    sys.exit("no figures for: " + ", ".join(missing))
