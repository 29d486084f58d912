"""Writes the certificates of HOST_BUNDLE that IMAGE_BUNDLE lacks into OUT_DIR as single-cert
.crt files (for update-ca-certificates). Prints how many were written.

usage: python3 extra-cas.py HOST_BUNDLE IMAGE_BUNDLE OUT_DIR
"""
import os
import re
import sys

PEM = re.compile(r"-----BEGIN CERTIFICATE-----\s.*?-----END CERTIFICATE-----", re.S)


def certs(path):
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            text = f.read()
    except FileNotFoundError:
        return []
    return [m.group(0).strip() for m in PEM.finditer(text)]


def key(pem):
    return "".join(pem.split())


host_bundle, image_bundle, out_dir = sys.argv[1:4]
have = {key(c) for c in certs(image_bundle)}
extra = [c for c in certs(host_bundle) if key(c) not in have]
os.makedirs(out_dir, exist_ok=True)
for i, pem in enumerate(extra):
    with open(os.path.join(out_dir, f"dockrion-host-{i:03d}.crt"), "w", encoding="ascii") as f:
        f.write(pem + "\n")
print(len(extra))
