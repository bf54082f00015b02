#!/usr/bin/env python3
"""Prints the statistics table of a Gatling run as Markdown, for loadtest/gatling/README.md.

Gatling 3.15 writes its numbers into the report's index.html only (no stats.json any more), so this reads that table:
    python3 loadtest/gatling/summary.py [loadtest/gatling/target/gatling/<run>]   (default: the newest run)
"""
import glob
import html
import os
import re
import sys

COLUMNS = ["total", "ok", "ko", "ko_percent", "rps", "min", "p50", "p75", "p95", "p99", "max", "mean", "stddev"]


def rows(index_html):
    """(name, is_group, depth, values) for every row of the statistics table, the global row first."""
    for row in re.finditer(r'<tr[^>]*>(.*?)</tr>', index_html, re.S):
        cells = re.findall(r'<td class="([^"]*)"[^>]*>(.*?)</td>', row.group(1), re.S)
        values = [re.sub(r"<[^>]+>", "", c[1]).strip() for c in cells if "value" in c[0].split()]
        name = re.search(r'class="ellipsed-name">([^<]*)<', row.group(1))
        margin = re.search(r'margin-left: (\d+)px', row.group(1))
        if len(values) != len(COLUMNS) + 1 and len(values) != len(COLUMNS):
            continue
        values = values[-len(COLUMNS):]
        label = html.unescape(name.group(1)) if name else "All Requests"
        yield label, 'id="group_' in row.group(0), int(margin.group(1)) // 10 if margin else 0, dict(zip(COLUMNS, values))


def main():
    run = sys.argv[1] if len(sys.argv) > 1 else max(glob.glob("loadtest/gatling/target/gatling/*/index.html")
                                                     + glob.glob("target/gatling/*/index.html"),
                                                     key=os.path.getmtime).rsplit("/", 1)[0]
    with open(os.path.join(run, "index.html"), encoding="utf-8") as f:
        page = f.read()
    print(f"<!-- {os.path.basename(run)} -->")
    print("| request (group) | count | failed | req/s | p50 ms | p95 ms | p99 ms | max ms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    seen = set()
    for name, group, depth, v in rows(page):
        key = (name, depth)
        if key in seen:
            continue
        seen.add(key)
        label = f"**{name}** (group)" if group else ("&nbsp;&nbsp;" * depth + name)
        print(f"| {label} | {v['total']} | {v['ko']} | {v['rps']} | {v['p50']} | {v['p95']} | {v['p99']} | {v['max']} |")


if __name__ == "__main__":
    main()
