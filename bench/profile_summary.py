"""Summarise a py-spy speedscope profile: `python -m bench.profile_summary FILE [--top 25]`.

Prints where the samples go by package (self time: the innermost frame's package; inclusive:
any frame of the package on the stack) and the functions with the most inclusive time, so a
profile from `bench/run.sh --profile DIR` can be read without a browser.
"""

import argparse
import json
import re
from collections import Counter
from pathlib import Path

SITE = re.compile(r"site-packages/([^/]+)/")
STDLIB = re.compile(r"lib/python3\.\d+/([^/]+?)(?:\.py)?(?:/|$)")


def package(path: str) -> str:
    if match := SITE.search(path):
        return match.group(1).removesuffix(".py")
    for project in ("app", "bench", "scripts"):
        if f"/{project}/" in path or path.startswith(f"{project}/"):
            return project
    if match := STDLIB.search(path):
        return f"stdlib:{match.group(1)}"
    return path or "?"


def summarise(path: Path, top: int) -> str:
    data = json.loads(path.read_text())
    frames = data["shared"]["frames"]
    packages = [package(frame.get("file", "")) for frame in frames]
    names = [
        f"{frame['name']} ({package(frame.get('file', ''))}:{frame.get('line', '?')})" for frame in frames
    ]
    self_time: Counter[str] = Counter()
    inclusive_pkg: Counter[str] = Counter()
    inclusive_fn: Counter[str] = Counter()
    total = 0.0
    unit = data["profiles"][0].get("unit", "samples") if data["profiles"] else "samples"
    for profile in data["profiles"]:
        for stack, weight in zip(profile["samples"], profile["weights"], strict=True):
            if not stack:
                continue
            total += weight
            self_time[packages[stack[-1]]] += weight
            for pkg in {packages[i] for i in stack}:
                inclusive_pkg[pkg] += weight
            for fn in {names[i] for i in stack}:
                inclusive_fn[fn] += weight
    if not total:
        return f"{path}: no samples"
    lines = [
        f"{path}: {total:.4g} {unit} of samples",
        "",
        "package                          self %  inclusive %",
    ]
    for pkg, weight in inclusive_pkg.most_common(top):
        lines.append(f"{pkg:<32} {100 * self_time[pkg] / total:6.1f}  {100 * weight / total:10.1f}")
    lines += ["", "inclusive %  function"]
    lines += [f"{100 * weight / total:10.1f}  {fn}" for fn, weight in inclusive_fn.most_common(top)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_summary", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    for file in args.files:
        print(summarise(file, args.top), end="\n\n")


if __name__ == "__main__":
    main()
