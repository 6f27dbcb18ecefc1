#!/usr/bin/env python3
"""keyscan.py - private key material in initramfs layers (standard library only).

  keyscan.py LAYER...    LAYER: .cpio.xz, .cpio.gz or plain cpio (newc; several
                         archives back to back are fine)

Prints one line per finding ("LAYER: PATH: what") and exits 1 if there is any,
0 if none. Looks at every file's contents and name:
  - PEM private keys: "-----BEGIN ... PRIVATE KEY-----" (PKCS#1/#8, EC, DSA,
    OpenSSH's own "-----BEGIN OPENSSH PRIVATE KEY-----")
  - OpenSSH's binary format ("openssh-key-v1\\0", e.g. base64-decoded)
  - dropbear's format (what dbclient -i reads): string "ssh-ed25519" then a
    64-byte string (private || public); string "ssh-rsa"/"ssh-dss"/
    "ecdsa-sha2-nistp*" at the start of a file (the public key blob is never
    a file of its own in a layer)
  - PuTTY keys ("PuTTY-User-Key-File-")
  - file names of private keys: id_rsa, id_dsa, id_ecdsa, id_ed25519,
    id_dropbear, *_host_key, *_host_TYPE_key (not *.pub)
A program that can read keys (its bare "-----BEGIN ... PRIVATE KEY-----" or
"openssh-key-v1" strings) is not a finding: a key needs its body.
"""
import gzip
import lzma
import re
import struct
import sys

PATTERNS = [
    # a header followed by a body (a program that reads keys holds the bare header)
    (re.compile(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----\r?\n([A-Za-z0-9-]+: [^\n]*\r?\n|\r?\n)*"
                rb"[A-Za-z0-9+/=]{60,}"), "PEM private key"),
    # the magic followed by a cipher name string ("none", "aes256-ctr", ...)
    (re.compile(rb"openssh-key-v1\x00\x00\x00\x00[\x04-\x20][a-z0-9@.-]{4}"), "OpenSSH private key (binary)"),
    (re.compile(rb"b3BlbnNzaC1rZXktdjE"), "OpenSSH private key (base64)"),
    (re.compile(rb"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x40", re.S), "dropbear ed25519 private key"),
    (re.compile(rb"PuTTY-User-Key-File-"), "PuTTY private key"),
]
START = [
    (re.compile(rb"\A\x00\x00\x00\x07ssh-(rsa|dss)\x00"), "dropbear RSA/DSS private key"),
    (re.compile(rb"\A\x00\x00\x00\x13ecdsa-sha2-nistp"), "dropbear ECDSA private key"),
]
NAMES = re.compile(r"(^|/)(id_(rsa|dsa|ecdsa|ed25519|dropbear)|[^/]*_host_key|[^/]*_host_[a-z0-9]+_key)$")


def entries(data):
    """(name, mode, contents) of every entry of concatenated newc archives."""
    pos = 0
    while pos + 110 <= len(data):
        if data[pos:pos + 6] not in (b"070701", b"070702"):
            if data[pos] == 0:      # padding between archives
                pos += 1
                continue
            raise ValueError("not a newc cpio archive at offset %d" % pos)
        h = data[pos:pos + 110]
        mode = int(h[14:22], 16)
        fsize = int(h[54:62], 16)
        nsize = int(h[94:102], 16)
        name = data[pos + 110:pos + 110 + nsize - 1].decode("utf-8", "replace")
        pos = (pos + 110 + nsize + 3) & ~3
        body = data[pos:pos + fsize]
        pos = (pos + fsize + 3) & ~3
        if name == "TRAILER!!!":
            continue
        yield name, mode, body


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:6] == b"\xfd7zXZ\x00":
        return lzma.decompress(raw)
    if raw[:2] == b"\x1f\x8b":
        return gzip.decompress(raw)
    return raw


def scan(path):
    found = []
    for name, mode, body in entries(load(path)):
        if (mode & 0o170000) != 0o100000:
            continue
        if NAMES.search(name):
            found.append((name, "a key's file name"))
        for rx, what in PATTERNS:
            if rx.search(body):
                found.append((name, what))
        for rx, what in START:
            if rx.search(body):
                found.append((name, what))
    return found


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    bad = 0
    for path in argv[1:]:
        try:
            found = scan(path)
        except (OSError, ValueError, lzma.LZMAError) as e:
            print("%s: cannot read: %s" % (path, e))
            bad += 1
            continue
        for name, what in found:
            print("%s: %s: %s" % (path, name, what))
        bad += len(found)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
