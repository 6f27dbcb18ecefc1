#!/usr/bin/env python3
"""fbvnc-test.py - helpers for tests/fbvnc/test-fbvnc.sh (standard library only).

  fbvnc-test.py xbm W H SPLITX SPLITY > FILE.xbm
      a bitmap for `xsetroot -bitmap`: bits set where (x < SPLITX) == (y < SPLITY),
      i.e. foreground in the top-left and bottom-right quadrants.
  fbvnc-test.py qmp SOCK COMMAND...       one QMP command on QEMU's socket:
      screendump FILE | keys KEY[+KEY...]... | move DX DY | click BUTTON |
      wheel up|down | link NETDEV on|off
  fbvnc-test.py expect SOCK FILE TIMEOUT X,Y=RRGGBB...
      take screendumps until every point has its colour (each channel within
      40: the guest may be 16 bits per pixel), or TIMEOUT seconds pass; exit 0/1,
      printing what each point showed.
"""
import json
import socket
import sys
import time

TOLERANCE = 40


def xbm(w, h, sx, sy):
    out = ["#define p_width %d" % w, "#define p_height %d" % h, "static unsigned char p_bits[] = {"]
    row_bytes = (w + 7) // 8
    vals = []
    for y in range(h):
        for bx in range(row_bytes):
            b = 0
            for i in range(8):
                x = bx * 8 + i
                if x < w and (x < sx) == (y < sy):
                    b |= 1 << i
            vals.append("0x%02x" % b)
    for i in range(0, len(vals), 16):
        out.append("  " + ", ".join(vals[i:i + 16]) + ",")
    out.append("};")
    print("\n".join(out))


class Qmp:
    def __init__(self, path, timeout=30):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(path)
        self.buf = b""
        self._read()  # greeting
        self.cmd("qmp_capabilities")

    def _read(self):
        while b"\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise IOError("QMP socket closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, command, **args):
        msg = {"execute": command}
        if args:
            msg["arguments"] = args
        self.s.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            r = self._read()
            if "event" in r:
                continue
            if "error" in r:
                raise RuntimeError("%s: %s" % (command, r["error"]))
            return r.get("return")


def rel_events(dx, dy):
    return [{"type": "rel", "data": {"axis": "x", "value": dx}},
            {"type": "rel", "data": {"axis": "y", "value": dy}}]


def button_events(button, down):
    return [{"type": "btn", "data": {"button": button, "down": down}}]


def qmp_command(q, argv):
    what = argv[0]
    if what == "screendump":
        q.cmd("screendump", filename=argv[1])
    elif what == "keys":
        for combo in argv[1:]:
            keys = [{"type": "qcode", "data": k} for k in combo.split("+")]
            q.cmd("send-key", keys=keys, **{"hold-time": 100})
            time.sleep(0.4)
    elif what == "move":
        q.cmd("input-send-event", events=rel_events(int(argv[1]), int(argv[2])))
    elif what == "click":
        q.cmd("input-send-event", events=button_events(argv[1], True))
        time.sleep(0.2)
        q.cmd("input-send-event", events=button_events(argv[1], False))
    elif what == "wheel":
        b = "wheel-up" if argv[1] == "up" else "wheel-down"
        q.cmd("input-send-event", events=button_events(b, True))
        q.cmd("input-send-event", events=button_events(b, False))
    elif what == "keyevents":
        # keyevents COMBO...: key down/up events (input-send-event), pressed in
        # order and released in reverse; they reach the machine's keyboard
        # (with no i8042, the USB one)
        for combo in argv[1:]:
            keys = [{"type": "qcode", "data": k} for k in combo.split("+")]
            for k in keys:
                q.cmd("input-send-event", events=[{"type": "key", "data": {"down": True, "key": k}}])
            time.sleep(0.1)
            for k in reversed(keys):
                q.cmd("input-send-event", events=[{"type": "key", "data": {"down": False, "key": k}}])
            time.sleep(0.4)
    elif what == "abs":
        # abs X Y: absolute pointer events (usb-tablet) to X,Y of 0..32767
        q.cmd("input-send-event", events=[{"type": "abs", "data": {"axis": "x", "value": int(argv[1])}},
                                          {"type": "abs", "data": {"axis": "y", "value": int(argv[2])}}])
    elif what == "link":
        q.cmd("set_link", name=argv[1], up=(argv[2] == "on"))
    else:
        raise SystemExit("unknown qmp command " + what)


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:   # P6 W H MAXVAL, with comments
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6":
        raise ValueError("%s: not a binary PPM" % path)
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[pos + 1:]


def pixel(img, x, y):
    w, h, px = img
    if not (0 <= x < w and 0 <= y < h):
        return None
    i = (y * w + x) * 3
    return tuple(px[i:i + 3])


def check(img, points):
    ok, report = True, []
    for (x, y), want in points:
        got = pixel(img, x, y)
        good = got is not None and all(abs(a - b) <= TOLERANCE for a, b in zip(got, want))
        ok = ok and good
        report.append("(%d,%d) want %02x%02x%02x got %s" % (
            x, y, want[0], want[1], want[2],
            "off-screen" if got is None else "%02x%02x%02x" % got))
    return ok, report


def parse_points(args):
    pts = []
    for a in args:
        xy, colour = a.split("=")
        x, y = (int(v) for v in xy.split(","))
        pts.append(((x, y), (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))))
    return pts


def expect(sock, path, timeout, points):
    q = Qmp(sock)
    deadline = time.time() + timeout
    while True:
        q.cmd("screendump", filename=path)
        time.sleep(0.3)
        try:
            img = read_ppm(path)
            ok, report = check(img, points)
            size = "%dx%d" % img[:2]
        except (OSError, ValueError, IndexError) as e:
            ok, report, size = False, [str(e)], "?"
        if ok or time.time() > deadline:
            print("# screen %s: %s" % (size, "; ".join(report)))
            return 0 if ok else 1
        time.sleep(1)


def main(argv):
    if argv[0] == "xbm":
        xbm(*(int(v) for v in argv[1:5]))
        return 0
    if argv[0] == "qmp":
        qmp_command(Qmp(argv[1]), argv[2:])
        return 0
    if argv[0] == "expect":
        return expect(argv[1], argv[2], float(argv[3]), parse_points(argv[4:]))
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
