#!/usr/bin/env python3
"""input-devices.py - USB-style input devices for the host-built viewer: plugged in late,
unplugged and plugged in again, absolute pointers; checked at a recording RFB server.

  input-devices.py WORKDIR VIEWER [VIEWER-ARGS...]

Runs VIEWER VIEWER-ARGS -r 1 -i WORKDIR/input 127.0.0.1:PORT (stderr to
WORKDIR/viewer-input.log) against a VNC server of its own (security None, a
1001x501 screen) that records every KeyEvent and PointerEvent the viewer
sends. Devices are tests/viewer/fake_input.c's: a FIFO WORKDIR/input/eventN
the events are written into, and eventN.caps describing it. The input
directory does not exist when the viewer starts; the server refuses the
first connections (the viewer waits to retry) until a keyboard is there.
Prints one line per check, "PASS name: detail" or "FAIL name: detail",
then "status N", the viewer's exit status after SIGTERM. Standard library only.
"""
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import rfb  # noqa: E402  (tests/lib/rfb.py: the handshake, shared with hostile-rfb.py)

W, H = 1001, 501            # server screen: positions 0..1000 x 0..500
WAIT_S = 10

# linux/input-event-codes.h
EV_SYN, EV_KEY, EV_REL, EV_ABS = 0, 1, 2, 3
SYN_REPORT = 0
KEY_ENTER, KEY_A = 28, 30
BTN_LEFT, BTN_RIGHT, BTN_MIDDLE, BTN_TOOL_FINGER, BTN_TOUCH = 0x110, 0x111, 0x112, 0x145, 0x14a
REL_X, REL_Y, REL_WHEEL = 0, 1, 8
ABS_X, ABS_Y = 0, 1
INPUT_PROP_DIRECT = 1


class Server:
    """An RFB 3.8 server for one client; a thread records its events."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))    # not listening yet: connections are refused
        self.port = self.sock.getsockname()[1]
        self.events = []                     # ("key", sym, down) / ("pointer", x, y, mask)
        self.cond = threading.Condition()
        self.error = None

    def serve(self):
        self.sock.listen(1)
        threading.Thread(target=self._run, daemon=True).start()

    def _recv(self, c, n):
        return rfb.recv_exact(c, n, timeout=None)

    def _run(self):
        try:
            self.sock.settimeout(WAIT_S * 3)
            c, _ = self.sock.accept()
            rfb.handshake(c, W, H, b"input", timeout=None)
            with self.cond:
                self.events.append(("connected",))
                self.cond.notify_all()
            while True:
                self._message(c)
        except Exception as e:          # the viewer went away, or sent garbage
            with self.cond:
                self.error = str(e)
                self.cond.notify_all()

    def _message(self, c):
        t = self._recv(c, 1)[0]
        if t == 0:                      # SetPixelFormat
            self._recv(c, 19)
        elif t == 2:                    # SetEncodings
            n = struct.unpack(">xH", self._recv(c, 3))[0]
            self._recv(c, 4 * n)
        elif t == 3:                    # FramebufferUpdateRequest
            self._recv(c, 9)
        elif t == 4:
            down, sym = struct.unpack(">B2xI", self._recv(c, 7))
            self._add(("key", sym, down))
        elif t == 5:
            mask, x, y = struct.unpack(">BHH", self._recv(c, 5))
            self._add(("pointer", x, y, mask))
        elif t == 6:                    # ClientCutText
            n = struct.unpack(">3xI", self._recv(c, 7))[0]
            self._recv(c, n)
        else:
            raise ValueError("unknown client message %d" % t)

    def _add(self, ev):
        with self.cond:
            self.events.append(ev)
            self.cond.notify_all()

    def take(self, n):
        """The next n recorded events (fewer after WAIT_S), connection marker dropped."""
        end = time.time() + WAIT_S
        with self.cond:
            while len([e for e in self.events if e[0] != "connected"]) < n and time.time() < end:
                self.cond.wait(0.1)
            got = [e for e in self.events if e[0] != "connected"][:n]
            rest = [e for e in self.events if e[0] != "connected"][n:]
            self.events = rest
            return got

    def connected(self):
        end = time.time() + WAIT_S * 3
        with self.cond:
            while ("connected",) not in self.events and time.time() < end and not self.error:
                self.cond.wait(0.1)
            return ("connected",) in self.events


class Device:
    """A fake evdev node: DIR/NAME (FIFO) and DIR/NAME.caps."""

    def __init__(self, directory, name, caps):
        self.path = os.path.join(directory, name)
        self.name = name
        with open(self.path + ".caps", "w") as f:
            f.write("".join(line + "\n" for line in caps))
        os.mkfifo(self.path)
        self.fd = None

    def attach(self):
        """Opens the write end once the viewer has the device open; False if it never does."""
        end = time.time() + WAIT_S
        while time.time() < end:
            try:
                self.fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
                return True
            except OSError:             # ENXIO: no reader (yet)
                time.sleep(0.05)
        return False

    def send(self, *events):
        """(type, code, value)... then SYN_REPORT, one packet."""
        data = b"".join(struct.pack("llHHi", 0, 0, t, c, v) for t, c, v in events)
        os.write(self.fd, data + struct.pack("llHHi", 0, 0, EV_SYN, SYN_REPORT, 0))

    def unplug(self):
        """As the kernel does: the node goes, the open fd hangs up."""
        os.unlink(self.path)
        os.unlink(self.path + ".caps")
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def wait_log(log, pattern, count=1):
    end = time.time() + WAIT_S
    while time.time() < end:
        with open(log, errors="replace") as f:
            if len(re.findall(pattern, f.read(), re.M)) >= count:
                return True
        time.sleep(0.1)
    return False


def report(name, good, detail):
    print("%s %s: %s" % ("PASS" if good else "FAIL", name, detail), flush=True)


def pointer_check(server, name, dev, steps):
    """steps: (events, (x, y, mask)) pairs; each packet must give that PointerEvent."""
    want, sent = [], True
    for events, expect in steps:
        try:
            dev.send(*events)
        except OSError as e:
            sent = False
            detail = "write: %s" % e
            break
        want.append(("pointer",) + expect)
    got = server.take(len(want))
    good = sent and got == want
    report(name, good, "%d PointerEvents as expected" % len(want) if good else
           (detail if not sent else "want %s, got %s" % (want, got)))


def scenario(work, viewer, server, log):
    indir = os.path.join(work, "input")
    viewer_up = wait_log(log, r"retrying in")
    os.mkdir(indir)
    kbd = Device(indir, "event1", ["name Fake USB Keyboard", "key %d %d" % (KEY_A, KEY_ENTER), "led 0"])
    report("late-keyboard", viewer_up and wait_log(log, r'input: event1 "Fake USB Keyboard": keyboard$'),
           "a keyboard plugged in while the viewer waits to retry (input directory absent at start) is opened")
    server.serve()
    report("connected", server.connected(), "the viewer connected to the recording server")
    ok = kbd.attach()
    if ok:
        kbd.send((EV_KEY, KEY_A, 1))
        kbd.send((EV_KEY, KEY_A, 0))
    got = server.take(2)
    report("late-keyboard-types", ok and got == [("key", 0x61, 1), ("key", 0x61, 0)],
           "KEY_A from it reaches the server as 'a' down, up (got %s)" % got)

    # a tablet plugged in during the session: x 100..2100, y 50..4050
    tab_caps = ["name Fake USB Tablet", "key %d %d %d" % (BTN_LEFT, BTN_RIGHT, BTN_MIDDLE),
                "rel %d" % REL_WHEEL, "abs %d 100 2100 100" % ABS_X, "abs %d 50 4050 50" % ABS_Y]
    tab = Device(indir, "event2", tab_caps)
    found = wait_log(log, r'input: event2 "Fake USB Tablet": absolute pointer \(x 100..2100, y 50..4050\)$')
    report("tablet-found", found and tab.attach(),
           "a tablet plugged in during the session is opened as an absolute pointer")
    if tab.fd is None:
        return
    pointer_check(server, "tablet-scaled", tab, [
        (((EV_ABS, ABS_X, 1100), (EV_ABS, ABS_Y, 2050)), (500, 250, 0)),   # middle
        (((EV_ABS, ABS_X, 600), (EV_ABS, ABS_Y, 850)), (250, 100, 0)),
        (((EV_KEY, BTN_LEFT, 1),), (250, 100, 1)),                          # button, no move
        (((EV_ABS, ABS_X, 1600), (EV_KEY, BTN_LEFT, 0)), (750, 100, 0)),   # one axis + button
        (((EV_ABS, ABS_Y, 3050),), (750, 375, 0)),                          # the other axis alone
    ])
    pointer_check(server, "tablet-edges", tab, [
        (((EV_ABS, ABS_X, 100), (EV_ABS, ABS_Y, 50)), (0, 0, 0)),           # its minimum (not 0)
        (((EV_ABS, ABS_X, 2100), (EV_ABS, ABS_Y, 4050)), (1000, 500, 0)),   # its maximum
        (((EV_ABS, ABS_X, 0), (EV_ABS, ABS_Y, 9999)), (0, 500, 0)),         # outside: clamped
        (((EV_ABS, ABS_X, -5000), (EV_ABS, ABS_Y, -5000)), (0, 0, 0)),
        (((EV_ABS, ABS_X, 2101),), (1000, 0, 0)),
    ])

    # a mouse goes on from where the tablet left the pointer
    mouse = Device(indir, "event3", ["name Fake USB Mouse", "key %d %d" % (BTN_LEFT, BTN_RIGHT),
                                     "rel %d %d %d" % (REL_X, REL_Y, REL_WHEEL)])
    ok = wait_log(log, r'input: event3 "Fake USB Mouse": mouse$') and mouse.attach()
    report("mouse-found", ok, "a mouse plugged in during the session is opened")
    if ok:
        pointer_check(server, "shared-position", mouse, [
            (((EV_REL, REL_X, -7), (EV_REL, REL_Y, 3)), (993, 3, 0)),
            (((EV_REL, REL_X, 50),), (1000, 3, 0)),                          # clamped at the edge
        ])

    # a touchscreen: 0..4095, BTN_TOUCH is the left button; a touchpad is left alone
    touch = Device(indir, "event4", ["name Fake Touchscreen", "key %d %d" % (BTN_TOUCH, BTN_TOOL_FINGER),
                                     "abs %d 0 4095 0" % ABS_X, "abs %d 0 4095 0" % ABS_Y,
                                     "prop %d" % INPUT_PROP_DIRECT])
    Device(indir, "event5", ["name Fake Touchpad", "key %d %d %d" % (BTN_LEFT, BTN_TOUCH, BTN_TOOL_FINGER),
                             "abs %d 1000 5000 0" % ABS_X, "abs %d 1000 4000 0" % ABS_Y])
    ok = wait_log(log, r'input: event4 "Fake Touchscreen": absolute pointer \(x 0..4095, y 0..4095\)$') \
        and touch.attach()
    report("touchscreen-found", ok, "a touchscreen (INPUT_PROP_DIRECT, BTN_TOUCH) is opened")
    if ok:
        pointer_check(server, "touchscreen", touch, [
            (((EV_ABS, ABS_X, 4095), (EV_ABS, ABS_Y, 0), (EV_KEY, BTN_TOUCH, 1)), (1000, 0, 1)),
            (((EV_ABS, ABS_X, 2048), (EV_ABS, ABS_Y, 2048)), (500, 250, 1)),   # a drag
            (((EV_KEY, BTN_TOUCH, 0),), (500, 250, 0)),
        ])
    report("touchpad-ignored", wait_log(log, r'input: event5 "Fake Touchpad": ignored \(a touchpad'),
           "a touchpad (finger tool, not direct) is not taken as an absolute pointer")

    # unplug the tablet, plug it in again under the same name
    tab.unplug()
    gone = wait_log(log, r"input: event2 gone$")
    tab = Device(indir, "event2", tab_caps)
    again = wait_log(log, r'input: event2 "Fake USB Tablet": absolute pointer', 2) and tab.attach()
    report("tablet-replugged", gone and again,
           "the tablet unplugged is dropped (gone: %s), plugged in again is opened again (%s)" % (gone, again))
    if again:
        pointer_check(server, "tablet-replugged-works", tab, [
            (((EV_ABS, ABS_X, 1100), (EV_ABS, ABS_Y, 2050), (EV_KEY, BTN_LEFT, 1)), (500, 250, 1)),
            (((EV_KEY, BTN_LEFT, 0),), (500, 250, 0)),
        ])

    # each plug opened once: no device opened twice by the scans every second
    with open(log, errors="replace") as f:
        text = f.read()
    counts = {n: len(re.findall(r"^fbvnc: input: %s \"" % n, text, re.M))
              for n in ("event1", "event2", "event3", "event4", "event5")}
    report("opened-once", counts == {"event1": 1, "event2": 2, "event3": 1, "event4": 1, "event5": 1},
           "each device opened (or ignored) once per plug: %s" % counts)
    report("server-clean", server.error is None, "the server saw only messages it knows (%s)" % server.error)


def main(argv):
    work, viewer = argv[1], argv[2:]
    log = os.path.join(work, "viewer-input.log")
    cmdline = os.path.join(work, "cmdline-input")
    open(cmdline, "w").close()
    indir = os.path.join(work, "input")
    if os.path.isdir(indir):
        for name in os.listdir(indir):
            os.unlink(os.path.join(indir, name))
        os.rmdir(indir)
    server = Server()
    with open(log, "w") as out:
        proc = subprocess.Popen(viewer + ["-c", cmdline, "-r", "1", "-i", indir,
                                          "127.0.0.1:%d" % server.port], stderr=out, stdout=out)
    try:
        scenario(work, viewer, server, log)
    finally:
        alive = proc.poll() is None
        proc.send_signal(signal.SIGTERM)
        try:
            status = proc.wait(WAIT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            status = proc.wait()
        print("status %d alive %s" % (status, "yes" if alive else "no"), flush=True)


if __name__ == "__main__":
    main(sys.argv)
