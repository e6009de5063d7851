#!/usr/bin/env python3
"""Checks the relative links of markdown files: the target file exists and, for FILE.md#anchor,
the anchor is one of its headings (GitHub's rule: lowercase, punctuation dropped, spaces to -).
Usage: scripts/lib/docs-links.py FILE.md ...   (exit 1 and one line per broken link)"""
import os, re, sys

def anchors(path):
    found, seen = set(), {}
    in_code = False
    for line in open(path, encoding="utf-8"):
        if line.lstrip().startswith("```"):
            in_code = not in_code
        if in_code:
            continue
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        slug = re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        found.add(slug if n == 0 else f"{slug}-{n}")
    return found

broken = 0
for md in sys.argv[1:]:
    text = open(md, encoding="utf-8").read()
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        resolved = os.path.normpath(os.path.join(os.path.dirname(md), path)) if path else md
        if not os.path.exists(resolved):
            print(f"{md}: link to missing file: {target}"); broken += 1
        elif anchor and resolved.endswith(".md") and anchor not in anchors(resolved):
            print(f"{md}: link to missing heading: {target}"); broken += 1
sys.exit(1 if broken else 0)
