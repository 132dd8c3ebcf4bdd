#!/usr/bin/env python3
"""Aggregates a JFR recording's CPU samples (jdk.ExecutionSample) and allocation samples
(jdk.ObjectAllocationSample): top frames by self samples, top packages by self and total
(a package counted once per stack), top allocated classes by weight, and the GC pauses.

usage: bench/jfr-top.py RECORDING.jfr [N] [--after SECONDS]
  N: how many lines per list (15); --after: only samples taken SECONDS or more after the recording's
  first one (a cold start's JIT and class loading left out: the warm drain only).
  Needs the JDK's `jfr` tool (JAVA_HOME/bin/jfr or on PATH).
"""
import collections
import json
import os
import subprocess
import sys
from datetime import datetime


def jfr_tool():
    home = os.environ.get("JAVA_HOME")
    return os.path.join(home, "bin", "jfr") if home else "jfr"


AFTER = [None]


def seconds(event):
    return datetime.fromisoformat(event["values"]["startTime"].replace("Z", "+00:00")).timestamp()


def events(path, name):
    out = subprocess.run([jfr_tool(), "print", "--json", "--stack-depth", "64", "--events", name, path],
                         check=True, capture_output=True, text=True).stdout
    found = json.loads(out)["recording"]["events"]
    if AFTER[0] is None or not found:
        return found
    first = min(seconds(e) for e in found)
    return [e for e in found if seconds(e) - first >= AFTER[0]]


def frame_name(frame):
    method = frame["method"]
    return method["type"]["name"].replace("/", ".") + "." + method["name"]


def package(frame):
    name = frame["method"]["type"]["name"].replace("/", ".")
    parts = name.split(".")
    # Three levels say enough: software.amazon.awssdk, io.herald.pipeline, com.fasterxml.jackson
    return ".".join(parts[:min(len(parts) - 1, 3)]) or name


def main():
    args = sys.argv[1:]
    if "--after" in args:
        i = args.index("--after")
        AFTER[0] = float(args[i + 1])
        del args[i:i + 2]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        sys.exit(0 if args else 2)
    path = args[0]
    top = int(args[1]) if len(args) > 1 else 15
    samples = events(path, "jdk.ExecutionSample")
    self_frames = collections.Counter()
    self_packages = collections.Counter()
    total_packages = collections.Counter()
    total_frames = collections.Counter()
    for event in samples:
        frames = (event["values"].get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        self_frames[frame_name(frames[0])] += 1
        self_packages[package(frames[0])] += 1
        for p in {package(f) for f in frames}:
            total_packages[p] += 1
        for f in {frame_name(f) for f in frames}:
            total_frames[f] += 1
    n = max(1, len(samples))
    print(f"{path}: {len(samples)} CPU samples")
    for title, counter in (("top frames, self", self_frames), ("top packages, self", self_packages),
                           ("top packages, total (in the stack)", total_packages),
                           ("top frames, total (in the stack)", total_frames)):
        print(f"\n{title}:")
        for name, count in counter.most_common(top):
            print(f"  {100.0 * count / n:5.1f}%  {name}")
    allocations = events(path, "jdk.ObjectAllocationSample")
    by_class = collections.Counter()
    by_site = collections.Counter()
    for event in allocations:
        values = event["values"]
        weight = values.get("weight", 0)
        by_class[values["objectClass"]["name"].replace("/", ".")] += weight
        frames = (values.get("stackTrace") or {}).get("frames") or []
        herald = next((f for f in frames if frame_name(f).startswith("io.herald")), None)
        site = frame_name(frames[0]) if frames else "?"
        by_site[site + ("  <- " + frame_name(herald) if herald else "")] += weight
    total = max(1, sum(by_class.values()))
    print(f"\nallocation (sampled weight {total / 1e6:.0f} MB), top classes:")
    for name, weight in by_class.most_common(top):
        print(f"  {100.0 * weight / total:5.1f}%  {name}")
    print("\nallocation, top sites (first frame <- nearest Herald frame):")
    for name, weight in by_site.most_common(top):
        print(f"  {100.0 * weight / total:5.1f}%  {name}")
    collections_ = events(path, "jdk.GarbageCollection")
    print(f"\nGC: {len(collections_)} collections")

if __name__ == "__main__":
    main()
