#!/usr/bin/env python3
"""One SVG chart per run of bench/cluster/chaos.sh: acknowledgements and unknown outcomes per second,
the acknowledgement p99, and the fault's window shaded. Usage: chart.py OUT_DIR (reads OUT_DIR/*.json)."""
import glob
import json
import os
import sys

W, H, PAD = 760, 260, 50


def chart(run):
    rows = run["availability"]["perSecond"]
    if not rows:
        return None
    end = max(r[0] for r in rows) + 1
    top = max(max(r[1] + r[2] for r in rows), 1)
    p99top = max(max(r[3] for r in rows), 1)
    x = lambda s: PAD + (W - 2 * PAD) * s / end
    y = lambda v: H - PAD + 10 - (H - 2 * PAD) * v / top
    yp = lambda v: H - PAD + 10 - (H - 2 * PAD) * v / p99top
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
           f'<rect width="{W}" height="{H}" fill="white"/>']
    f0, f1 = run["faultAtMillis"] / 1000, run["healedAtMillis"] / 1000
    out.append(f'<rect x="{x(f0):.1f}" y="{PAD - 10}" width="{max(1, x(f1) - x(f0)):.1f}" height="{H - 2 * PAD + 20}" fill="#fde2e2"/>')
    out.append(f'<text x="{x(f0) + 3:.1f}" y="{PAD}" fill="#a33">fault</text>')
    bw = max(1.0, (W - 2 * PAD) / end - 1)
    for s, acks, unknown, p99 in rows:
        out.append(f'<rect x="{x(s):.1f}" y="{y(acks):.1f}" width="{bw:.1f}" height="{y(0) - y(acks):.1f}" fill="#4a7fb5"/>')
        if unknown:
            out.append(f'<rect x="{x(s):.1f}" y="{y(acks + unknown):.1f}" width="{bw:.1f}" height="{y(0) - y(unknown):.1f}" fill="#e08a2c"/>')
    pts = " ".join(f"{x(r[0]) + bw / 2:.1f},{yp(r[3]):.1f}" for r in rows if r[1])
    out.append(f'<polyline points="{pts}" fill="none" stroke="#333" stroke-width="1.2"/>')
    out.append(f'<line x1="{PAD}" y1="{y(0):.1f}" x2="{W - PAD}" y2="{y(0):.1f}" stroke="#999"/>')
    out.append(f'<text x="{PAD}" y="{H - 12}">0 s</text><text x="{W - PAD - 30}" y="{H - 12}">{end} s</text>')
    out.append(f'<text x="4" y="{PAD - 18}">{run["fault"]}: blue = acknowledged/s (max {top}), orange = unknown/s,'
               f' line = ack p99 (max {p99top} ms)</text>')
    out.append("</svg>")
    return "\n".join(out)


def main(folder):
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        svg = chart(json.load(open(path)))
        if svg:
            with open(path[:-5] + ".svg", "w") as f:
                f.write(svg)


if __name__ == "__main__":
    main(sys.argv[1])
