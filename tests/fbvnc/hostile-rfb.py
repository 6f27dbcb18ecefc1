#!/usr/bin/env python3
"""hostile-rfb.py - a scripted, misbehaving RFB (VNC) server for the viewer's tests.

  hostile-rfb.py PORT [CASE...]      (no CASE: all of them, in the order below)
  hostile-rfb.py --list
  hostile-rfb.py check [--ram-capped] SERVER-LOG VIEWER-LOG
      pairs the viewer's connection attempts ("fbvnc: connecting to ...",
      in its stderr or the serial log) with the cases the server served and
      prints, per case, "PASS NAME: reason" or "FAIL NAME: ...": the reason
      the viewer gave (the one its status screen shows) must match the
      case's expectation, and the viewer must have gone on to a new attempt.
      --ram-capped: the client has too little RAM for a 4096x4096 or
      8192x8192 screen (a QEMU guest with 96 MB), so those must be refused.

Listens on 127.0.0.1:PORT (prints "listening ..." once it does; do not
probe the port: every connection is a case). Connection k gets case k (a fresh client
connection for each, as a viewer that reconnects makes them); after the last
case the server exits. Each case is one misbehaviour, after which the server
closes the connection (except `stall`, which holds it open, silent, for
STALL_S seconds). For every connection one line goes to stdout:
"case N NAME", flushed, so a test can pair the viewer's attempts with cases.
Standard library only.
"""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import rfb  # noqa: E402  (tests/lib/rfb.py: the handshake, shared with input-devices.py)
from rfb import pixel_format, recv_exact  # noqa: E402

STALL_S = 25          # longer than the viewer's 15 s read timeout
W, H = 320, 240       # the well-behaved part's screen

# ---------------------------------------------------------------- protocol pieces

def recv_some(c, t=0.5):
    """Whatever the client sent within t seconds (b"" on close)."""
    c.settimeout(t)
    data = b""
    try:
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, OSError):
        pass
    return data


def server_init(c, w=W, h=H, name=b"hostile", name_len=None):
    rfb.server_init(c, w, h, name, name_len)


def handshake(c, version=b"RFB 003.008\n"):
    """Version 3.8, security None, ServerInit of W x H. Returns the client's
    bytes per pixel (from its SetPixelFormat), 4 if it sent none."""
    rfb.handshake(c, W, H, b"hostile", version)
    return client_bpp(recv_some(c, 1.0))


def client_bpp(data):
    if len(data) >= 20 and data[0] == 0:      # SetPixelFormat
        return max(1, data[4] // 8)
    return 4


def update(*rects):
    """FramebufferUpdate with these (x, y, w, h, encoding, payload) rectangles."""
    out = struct.pack(">BxH", 0, len(rects))
    for x, y, w, h, enc, payload in rects:
        out += struct.pack(">HHHHi", x, y, w, h, enc) + payload
    return out


def raw(w, h, bpp, byte=0x80):
    return bytes([byte]) * (w * h * bpp)

# ---------------------------------------------------------------- the cases
# Each takes the accepted socket; returns when the connection may be closed.

def good(c):
    """A well-behaved server: one full raw frame, then it closes."""
    bpp = handshake(c)
    c.sendall(update((0, 0, W, H, 0, raw(W, H, bpp))))
    recv_some(c, 2.0)


def version_garbage(c):
    c.sendall(b"GARBAGE\x00\xff\x01\x02\n")
    recv_some(c, 1.0)


def security_empty(c):
    """RFB 3.8: zero security types, then the reason."""
    c.sendall(b"RFB 003.008\n")
    recv_exact(c, 12)
    reason = b"no security types for you"
    c.sendall(b"\x00" + struct.pack(">I", len(reason)) + reason)
    recv_some(c, 1.0)


def security_empty_huge_reason(c):
    """Zero security types and a reason 'of 4 GB' that never comes."""
    c.sendall(b"RFB 003.008\n")
    recv_exact(c, 12)
    c.sendall(b"\x00" + struct.pack(">I", 0xFFFFFFFF) + b"x" * 100)
    recv_some(c, 1.0)


def security_huge(c):
    """255 security types, none of them one the client knows."""
    c.sendall(b"RFB 003.008\n")
    recv_exact(c, 12)
    c.sendall(b"\xff" + bytes(range(200, 255)) * 4 + bytes(range(200, 235)))
    recv_some(c, 1.0)


def init_zero(c):
    """ServerInit says the screen is 0x0."""
    c.sendall(b"RFB 003.008\n")
    recv_exact(c, 12)
    c.sendall(b"\x01\x01")
    recv_exact(c, 1)
    c.sendall(struct.pack(">I", 0))
    recv_exact(c, 1)
    server_init(c, 0, 0)
    recv_some(c, 1.0)


def name_1mb(c):
    """A desktop name of 1 MB (1,048,576 bytes)."""
    c.sendall(b"RFB 003.008\n")
    recv_exact(c, 12)
    c.sendall(b"\x01\x01")
    recv_exact(c, 1)
    c.sendall(struct.pack(">I", 0))
    recv_exact(c, 1)
    server_init(c, name=b"N" * (1 << 20))
    recv_some(c, 2.0)


def name_huge(c):
    """A desktop name 'of 4 GB' that never comes."""
    c.sendall(b"RFB 003.008\n")
    recv_exact(c, 12)
    c.sendall(b"\x01\x01")
    recv_exact(c, 1)
    c.sendall(struct.pack(">I", 0))
    recv_exact(c, 1)
    server_init(c, name=b"short", name_len=0xFFFFFFFF)
    recv_some(c, 1.0)


def rect_outside(c):
    """A raw rectangle that starts inside and ends outside the screen."""
    bpp = handshake(c)
    c.sendall(update((W - 20, H - 20, 100, 100, 0, raw(100, 100, bpp))))
    recv_some(c, 1.0)


def rect_far_outside(c):
    """A 1x1 rectangle at (65535, 65535)."""
    bpp = handshake(c)
    c.sendall(update((65535, 65535, 1, 1, 0, raw(1, 1, bpp))))
    recv_some(c, 1.0)


def rect_zero(c):
    """Zero-size rectangles (raw, hextile, zrle, copyrect), then a good one."""
    bpp = handshake(c)
    c.sendall(update((0, 0, 0, 0, 0, b""), (10, 10, 0, 5, 5, b""), (5, 5, 5, 0, 16, struct.pack(">I", 0)),
                     (0, 0, 0, 0, 1, struct.pack(">HH", 0, 0)), (0, 0, 8, 8, 0, raw(8, 8, bpp))))
    recv_some(c, 1.0)


def rect_huge(c):
    """A 65535x65535 rectangle at (0, 0)."""
    handshake(c)
    c.sendall(update((0, 0, 65535, 65535, 0, b"\x00" * 4096)))
    recv_some(c, 1.0)


def copyrect_from_outside(c):
    """CopyRect whose source lies outside the screen."""
    handshake(c)
    c.sendall(update((0, 0, 50, 50, 1, struct.pack(">HH", 60000, 60000)),
                     (0, 0, 50, 50, 1, struct.pack(">HH", W - 10, H - 10))))
    recv_some(c, 1.0)


def zrle_huge_length(c):
    """ZRLE rectangle whose compressed length is 4 GB, then garbage."""
    handshake(c)
    c.sendall(update((0, 0, 64, 64, 16, struct.pack(">I", 0xFFFFFFFF) + b"\x78\x9c" + b"\xff" * 1000)))
    recv_some(c, 1.0)


def hextile_garbage(c):
    """Hextile tiles with every subencoding bit set and nonsense subrects."""
    handshake(c)
    tile = b"\x1f" + b"\xff" * 4 + b"\x00" * 4 + b"\xff" + (b"\xff" * 4 + b"\xff\xff") * 255
    c.sendall(update((0, 0, 32, 32, 5, tile * 4)))
    recv_some(c, 1.0)


def zlib_garbage(c):
    """Zlib rectangle with bytes that are not a zlib stream."""
    handshake(c)
    c.sendall(update((0, 0, 64, 64, 6, struct.pack(">I", 500) + b"\x13\x37" * 250)))
    recv_some(c, 1.0)


def resize_zero(c):
    """A frame, then a desktop-size change to 0x0 (NewFBSize)."""
    bpp = handshake(c)
    c.sendall(update((0, 0, 16, 16, 0, raw(16, 16, bpp))))
    c.sendall(update((0, 0, 0, 0, -223, b"")))
    recv_some(c, 1.0)


def resize_16k(c):
    """A desktop-size change to 16384x16384 (NewFBSize)."""
    handshake(c)
    c.sendall(update((0, 0, 16384, 16384, -223, b"")))
    recv_some(c, 1.0)


def resize_4k(c):
    """A desktop-size change to 4096x4096: 64 MB of shadow at 32 bits."""
    handshake(c)
    c.sendall(update((0, 0, 4096, 4096, -223, b"")))
    recv_some(c, 2.0)


def resize_8k(c):
    """A desktop-size change to 8192x8192: 256 MB of shadow at 32 bits."""
    handshake(c)
    c.sendall(update((0, 0, 8192, 8192, -223, b"")))
    recv_some(c, 2.0)


def resize_ext_zero(c):
    """ExtendedDesktopSize to 0x0 with a bogus screen list."""
    handshake(c)
    screens = struct.pack(">BxxxIHHHHI", 1, 1, 0, 0, 0, 0, 0)
    c.sendall(update((0, 0, 0, 0, -308, screens)))
    recv_some(c, 1.0)


def unknown_encoding(c):
    bpp = handshake(c)
    c.sendall(update((0, 0, 8, 8, 0x12345678, raw(8, 8, bpp))))
    recv_some(c, 1.0)


def unknown_message(c):
    handshake(c)
    c.sendall(b"\xee" + b"\x00" * 64)
    recv_some(c, 1.0)


def truncated_update(c):
    """An update announcing 3 rectangles, then half a header, then EOF."""
    handshake(c)
    c.sendall(struct.pack(">BxH", 0, 3) + b"\x00\x00\x00")


def truncated_init(c):
    """ServerInit cut off after 10 bytes."""
    c.sendall(b"RFB 003.008\n")
    recv_exact(c, 12)
    c.sendall(b"\x01\x01")
    recv_exact(c, 1)
    c.sendall(struct.pack(">I", 0))
    recv_exact(c, 1)
    c.sendall(struct.pack(">HH", W, H) + pixel_format()[:6])


def stall(c):
    """Half of a raw rectangle, then silence with the connection open."""
    bpp = handshake(c)
    data = update((0, 0, W, H, 0, raw(W, H, bpp)))
    c.sendall(data[:len(data) // 2])
    deadline = time.time() + STALL_S
    c.settimeout(1.0)
    while time.time() < deadline:
        try:
            if not c.recv(65536):
                return          # the client gave up (its read timeout)
        except socket.timeout:
            pass


def colour_map(c):
    """SetColourMapEntries (on a true-colour connection), then a good frame."""
    bpp = handshake(c)
    entries = b"".join(struct.pack(">HHH", i, i, i) for i in range(256))
    c.sendall(struct.pack(">BxHH", 1, 0, 256) + entries)
    c.sendall(update((0, 0, 8, 8, 0, raw(8, 8, bpp))))
    recv_some(c, 1.0)


def cut_text_100mb(c):
    """ServerCutText announcing 100 MB, then 64 KB of it, then EOF."""
    handshake(c)
    c.sendall(struct.pack(">BxxxI", 3, 100 << 20) + b"t" * 65536)
    recv_some(c, 1.0)


def bell_flood(c):
    """10,000 Bell messages, then EOF."""
    handshake(c)
    c.sendall(b"\x02" * 10000)
    recv_some(c, 1.0)


def linger(c):
    """Close without a RST (which could make the client drop data it has not
    read yet): FIN first, then read until the client closes (at most 5 s)."""
    try:
        c.shutdown(socket.SHUT_WR)
        c.settimeout(5)
        deadline = time.time() + 5
        while time.time() < deadline and c.recv(65536):
            pass
    except OSError:
        pass
    c.close()


CASES = [good, version_garbage, security_empty, security_empty_huge_reason, security_huge,
         init_zero, truncated_init, name_1mb, name_huge, rect_outside, rect_far_outside, rect_zero,
         rect_huge, copyrect_from_outside, zrle_huge_length, hextile_garbage, zlib_garbage,
         resize_zero, resize_16k, resize_4k, resize_8k, resize_ext_zero, unknown_encoding, unknown_message,
         truncated_update, colour_map, cut_text_100mb, bell_flood, stall, good]


# What the viewer must give as the reason (its status screen's line), per
# case. LOST: any reason for a session that ended after the handshake;
# HANDSHAKE: any for one that failed in it.
LOST = r"connection lost: \S.*"
HANDSHAKE = r"handshake failed: \S.*"
CAPPED = r"server screen %s needs [0-9]+ MB, more than this client can spare"
EXPECT = {
    "good": LOST,
    "version_garbage": r"handshake failed: Not a valid VNC server",
    "security_empty": r"VNC connection failed: no security types for you",
    "security_empty_huge_reason": r"VNC connection failed.*reason length of 4294967295 exceeds limit",
    "security_huge": r"handshake failed: Unknown authentication scheme",
    "init_zero": r"server screen 0x0 refused",
    "truncated_init": HANDSHAKE,
    "name_1mb": LOST,
    "name_huge": r"Too big desktop name length",
    "rect_outside": r"Rect too large: 100x100 at \(300, 220\)",
    "rect_far_outside": r"Rect too large: 1x1 at \(65535, 65535\)",
    "rect_zero": LOST,
    "rect_huge": r"Rect too large: 65535x65535",
    "copyrect_from_outside": LOST,
    "zrle_huge_length": LOST,
    "hextile_garbage": LOST,
    "zlib_garbage": r"connection lost: zlib inflate",
    "resize_zero": r"server screen 0x0 refused",
    "resize_16k": r"server screen 16384x16384 refused",
    "resize_4k": LOST,
    "resize_8k": LOST,
    "resize_ext_zero": LOST,
    "unknown_encoding": r"Unknown rect encoding 305419896",
    "unknown_message": LOST,
    "truncated_update": LOST,
    "colour_map": r"connection lost: VNC server closed connection",   # not desynced
    "cut_text_100mb": r"too big cut text length sent by server: 104857600",
    "bell_flood": LOST,
    "stall": r"connection lost: .*(timed out|Timeout)",
}


def check(argv):
    import re
    capped = argv[0] == "--ram-capped"
    if capped:
        argv = argv[1:]
        EXPECT["resize_4k"] = CAPPED % "4096x4096"
        EXPECT["resize_8k"] = CAPPED % "8192x8192"
    with open(argv[0], errors="replace") as f:
        served = [line.split()[2] for line in f if re.match(r"case \d+ \w+$", line.strip())]
    with open(argv[1], errors="replace") as f:
        log = f.read().replace("\r", "")
    # the viewer's attempts: the text from one "connecting to" line to the next
    parts = re.split(r"fbvnc: connecting to \S+ \.\.\. attempt \d+\n", log)[1:]
    bad = 0
    for i, name in enumerate(served):
        if i >= len(parts):
            print("FAIL %s: no connection attempt %d in the viewer's log" % (name, i + 1))
            bad += 1
            continue
        m = re.search(r"^fbvnc: \S+: (.*); retrying in \d+ s$", parts[i], re.M)
        if not m:
            print("FAIL %s: attempt %d ends without a reason and a retry" % (name, i + 1))
            bad += 1
        elif i + 1 >= len(parts):
            print("FAIL %s: no new attempt after it" % name)
            bad += 1
        elif not re.search(EXPECT[name], m.group(1)):
            print("FAIL %s: reason \"%s\", expected /%s/" % (name, m.group(1), EXPECT[name]))
            bad += 1
        else:
            print("PASS %s: %s" % (name, m.group(1)[:150]))
    return 1 if bad else 0


def main(argv):
    if argv and argv[0] == "check":
        return check(argv[1:])
    if argv and argv[0] == "--list":
        for f in CASES:
            print(f.__name__)
        return 0
    port = int(argv[0])
    by_name = {f.__name__: f for f in CASES}
    cases = [by_name[n] for n in argv[1:]] if len(argv) > 1 else CASES
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(4)
    print("listening on 127.0.0.1:%d, %d cases" % (port, len(cases)), flush=True)
    for i, case in enumerate(cases, 1):
        c, _ = s.accept()
        print("case %d %s" % (i, case.__name__), flush=True)
        try:
            case(c)
        except (OSError, EOFError) as e:
            print("case %d %s: client: %s" % (i, case.__name__, e), flush=True)
        finally:
            linger(c)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
