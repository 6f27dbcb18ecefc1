#!/usr/bin/env python3
"""bootchart.py - the boot chart of `make bench` (issue 19); stdlib only.

  bootchart.py stamp FIFO READY copy FIFO to stdout line by line, each line
                                prefixed with the time (seconds since the
                                epoch) at which it arrived; CRs and escape
                                sequences dropped (OVMF's screen clears).
                                READY is created once Python is up, before
                                FIFO is opened: phases.sh starts QEMU (the
                                writer of QEMU's serial console and the
                                firmware's debug console) only then, so no
                                line waits for the interpreter to start.
  bootchart.py svg PHASES OUT [TITLE]
                                draw PHASES (phases.sh's medians, one phase a
                                line: IMAGE TAB PHASE TAB START TAB END TAB
                                DURATION TAB DEPTH TAB RUNS) as an SVG: one
                                block of horizontal bars per image, every
                                block on the same time axis, like
                                systemd-analyze plot. Depth 0 bars follow one
                                another (the boot's critical path), depth 1
                                bars lie inside or beside them (lighter),
                                depth 2 is a marker (the first frame).
"""
import re
import sys
import time
from xml.sax.saxutils import escape

ESC = re.compile(r'\x1b\[[0-9;=?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|[\x00-\x08\x0b-\x1f\x7f]')


def stamp(fifo, ready):
    open(ready, 'w').close()
    out = sys.stdout
    for raw in open(fifo, 'rb'):
        t = time.time()
        line = ESC.sub('', raw.decode('utf-8', 'replace').replace('\r', '').rstrip('\n'))
        out.write('%.6f %s\n' % (t, line))
        out.flush()


def colour(name, depth):
    n = name.lower()
    if 'firmware' in n:
        c = ('#8c8c8c', '#c8c8c8')
    elif 'initramfs' in n:
        c = ('#e0b000', '#f2d870')
    elif 'kernel' in n or 'loader' in n:
        c = ('#e07020', '#f0b080')
    elif 'fbvnc' in n:
        c = ('#8a4fc8', '#c8a8ea')
    elif 'network' in n or 'dhcp' in n or 'link' in n:
        c = ('#2f9e44', '#9ad4a6')
    else:
        c = ('#3b6fc4', '#a8c0ea')
    return c[1] if depth else c[0]


def svg(phases, out, title):
    images, rows = [], {}
    for line in open(phases, encoding='utf-8'):
        f = line.rstrip('\n').split('\t')
        if len(f) < 6:
            continue
        img, name, a, b, depth = f[0], f[1], float(f[2]), float(f[3]), int(f[5])
        if img not in rows:
            images.append(img)
            rows[img] = []
        rows[img].append((name.strip(), a, b, depth))
    if not images:
        sys.exit('bootchart.py: no phases in %s' % phases)
    tmax = max(max(b for _, _, b, _ in rows[i]) for i in images)
    span = max(1.0, tmax * 1.05)
    step = 0.5 if span <= 6 else 1.0 if span <= 15 else 2.0
    left, width, rowh, head = 20, 1100, 18, 28
    scale = width / span
    x = lambda t: left + t * scale
    height = 60
    for i in images:
        height += head + rowh * sum(1 for r in rows[i] if r[3] != 2) + 20
    height += 30
    o = []
    o.append('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">'
             % (left + width + 380, height))
    o.append('<rect width="100%" height="100%" fill="white"/>')
    o.append('<text x="%d" y="20" font-size="14" font-weight="bold">%s</text>' % (left, escape(title)))
    o.append('<text x="%d" y="36" fill="#555">seconds from QEMU start (host arrival time of each serial console line); '
             'lighter bars run inside or beside the darker ones</text>' % left)
    top, bottom = 50, height - 24
    t = 0.0
    while t <= span + 1e-9:
        o.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>'
                 % (x(t), top, x(t), bottom, '#bbb' if abs(t - round(t)) < 1e-9 else '#e6e6e6'))
        o.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%g s</text>' % (x(t), top - 2, t))
        o.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%g s</text>' % (x(t), bottom + 14, t))
        t += step
    y = top + 6
    for img in images:
        marks = [r for r in rows[img] if r[3] == 2]
        bars = [r for r in rows[img] if r[3] != 2]
        total = ' — first frame at %.2f s' % marks[0][2] if marks else ' — no first frame'
        o.append('<text x="%d" y="%d" font-size="13" font-weight="bold">%s%s</text>'
                 % (left, y + 18, escape(img), escape(total)))
        y0 = y + head
        y = y0
        for name, a, b, depth in marks:   # under the bars and their labels
            o.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#d04040" stroke-width="1.5" stroke-dasharray="4,3"/>'
                     % (x(b), y0, x(b), y0 + rowh * len(bars) + 2))
            o.append('<text x="%.1f" y="%d" fill="#d04040" text-anchor="middle">first frame %.2f s</text>'
                     % (x(b), y0 + rowh * len(bars) + 13, b))
        for name, a, b, depth in bars:
            w = max(1.0, (b - a) * scale)
            o.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s: %.3f to %.3f s (%.3f s)</title></rect>'
                     % (x(a), y + 2, w, rowh - 4, colour(name, depth), escape(name), a, b, b - a))
            o.append('<text x="%.1f" y="%d" fill="#222">%s  %.2f s</text>'
                     % (x(a) + w + 4, y + rowh - 5, escape(name), b - a))
            y += rowh
        y += 20
    o.append('</svg>')
    with open(out, 'w', encoding='utf-8') as f:
        f.write('\n'.join(o) + '\n')


def main(argv):
    if len(argv) == 4 and argv[1] == 'stamp':
        stamp(argv[2], argv[3])
    elif len(argv) in (4, 5) and argv[1] == 'svg':
        svg(argv[2], argv[3], argv[4] if len(argv) == 5 else 'boot chart')
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
