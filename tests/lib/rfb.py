"""rfb.py - the server side of an RFB (VNC) handshake, for the tests' own
servers (tests/fbvnc/hostile-rfb.py, tests/viewer/input-devices.py).

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
    import rfb

RFB 3.8 (RFC 6143): ProtocolVersion, one security type (None),
SecurityResult OK, ClientInit, ServerInit. Standard library only.
"""
import struct


def recv_exact(c, n, timeout=10):
    """Exactly n bytes from socket c (EOFError if the client closes first);
    timeout None waits for ever."""
    c.settimeout(timeout)
    data = b""
    while len(data) < n:
        chunk = c.recv(n - len(data))
        if not chunk:
            raise EOFError("client closed")
        data += chunk
    return data


def pixel_format(bpp=32):
    """A true-colour PIXEL_FORMAT of 32 bpp (depth 24) or 16 bpp (5-6-5)."""
    # bpp, depth, big-endian, true-colour, max r/g/b, shifts r/g/b, padding
    if bpp == 16:
        return struct.pack(">BBBBHHHBBB3x", 16, 16, 0, 1, 31, 63, 31, 11, 5, 0)
    return struct.pack(">BBBBHHHBBB3x", 32, 24, 0, 1, 255, 255, 255, 16, 8, 0)


def server_init(c, w, h, name, name_len=None):
    """ServerInit: a w x h screen of pixel_format(), called name (name_len:
    the length to claim, to lie about it)."""
    n = len(name) if name_len is None else name_len
    c.sendall(struct.pack(">HH", w, h) + pixel_format() + struct.pack(">I", n) + name)


def handshake(c, w, h, name, version=b"RFB 003.008\n", timeout=10):
    """Version, security None, ClientInit read, ServerInit sent."""
    c.sendall(version)
    recv_exact(c, 12, timeout)
    c.sendall(b"\x01\x01")            # one security type: None
    recv_exact(c, 1, timeout)
    c.sendall(struct.pack(">I", 0))   # SecurityResult OK
    recv_exact(c, 1, timeout)         # ClientInit
    server_init(c, w, h, name)
