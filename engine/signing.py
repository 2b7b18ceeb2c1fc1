"""Ed25519 keys and signatures for evidence bundles, with the `cryptography` package.

Keys are PEM files: the private key PKCS#8 (encrypted when GENMEI_KEY_PASSPHRASE is set
at keygen, and then needed to sign), the public key SubjectPublicKeyInfo. A key is named
by its fingerprint, the SHA-256 of its 32 raw public bytes; key material itself is never
printed.

Those who verify pin the signer: `--pub-key KEY.pub`, or a trusted-keys file (`--trusted-keys
FILE`, else TRUSTED_KEYS_NAME in the user's configuration directory when it exists) holding
PEM public keys and/or fingerprints, one per line, with # comments.
"""

import os
import re
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import InputError
from .jsonio import read_bytes, sha256_hex, write_atomic

PASSPHRASE_ENV = "GENMEI_KEY_PASSPHRASE"
TRUSTED_KEYS_NAME = "trusted-keys"
_PEM_PUBLIC = re.compile(rb"-----BEGIN PUBLIC KEY-----.*?-----END PUBLIC KEY-----", re.S)
_FINGERPRINT = re.compile(r"^[0-9a-fA-F]{64}$")


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(key: Ed25519PublicKey) -> str:
    return sha256_hex(public_bytes(key))


def public_key_from_bytes(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def generate(private_path: Path, public_path: Path) -> str:
    """Write a new key pair (the private key readable by its owner only); return the fingerprint."""
    for p in (private_path, public_path):
        if p.exists():
            raise InputError(f"{p}: exists; refusing to overwrite a key (choose another path or remove it)")
    key = Ed25519PrivateKey.generate()
    passphrase = os.environ.get(PASSPHRASE_ENV)
    encryption = (serialization.BestAvailableEncryption(passphrase.encode("utf-8")) if passphrase
                  else serialization.NoEncryption())
    # Mode 0600 is set before the key is written: never readable by others, not even for a moment.
    write_atomic(private_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption), mode=0o600)
    write_atomic(public_path, key.public_key().public_bytes(serialization.Encoding.PEM,
                                                            serialization.PublicFormat.SubjectPublicKeyInfo))
    os.chmod(public_path, 0o644)
    return fingerprint(key.public_key())


def load_private_key(path: str | Path) -> Ed25519PrivateKey:
    data = read_bytes(path)
    passphrase = os.environ.get(PASSPHRASE_ENV)
    try:
        key = serialization.load_pem_private_key(data, password=passphrase.encode("utf-8") if passphrase else None)
    except TypeError:
        if passphrase:
            raise InputError(f"{path}: this key is not encrypted; unset {PASSPHRASE_ENV}") from None
        raise InputError(f"{path}: the key is encrypted; set {PASSPHRASE_ENV} to its passphrase") from None
    except (ValueError, UnsupportedAlgorithm):
        raise InputError(f"{path}: not a PEM private key (or a wrong {PASSPHRASE_ENV})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"{path}: not an Ed25519 key (make one with `genmei evidence keygen`)")
    return key


def load_public_key(path: str | Path) -> Ed25519PublicKey:
    return _public_key(read_bytes(path), path)


def _public_key(pem: bytes, path: str | Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, UnsupportedAlgorithm):
        raise InputError(f"{path}: not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise InputError(f"{path}: not an Ed25519 public key")
    return key


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return key.sign(data)


def valid(key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        key.verify(signature, data)
        return True
    except InvalidSignature:
        return False


def default_trusted_keys_path() -> Path:
    """$XDG_CONFIG_HOME/genmei/trusted-keys, else ~/.config/genmei/trusted-keys."""
    base = Path(os.environ["XDG_CONFIG_HOME"]) if os.environ.get("XDG_CONFIG_HOME") else Path.home() / ".config"
    return base / "genmei" / TRUSTED_KEYS_NAME


def load_trusted_keys(path: str | Path) -> set[str]:
    """The fingerprints a trusted-keys file pins: each PEM public key (Ed25519) in it, and
    each line that is a fingerprint (64 hex digits, as keygen and export print them)."""
    data = read_bytes(path)
    fingerprints = set()
    for block in _PEM_PUBLIC.findall(data):
        fingerprints.add(fingerprint(_public_key(block, path)))
    rest = _PEM_PUBLIC.sub(lambda m: b"\n" * m.group().count(b"\n"), data).decode("utf-8", errors="replace")
    for n, line in enumerate(rest.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if not _FINGERPRINT.match(line):
            raise InputError(f"{path}: line {n} is neither a PEM public key nor a fingerprint (64 hex digits)")
        fingerprints.add(line.lower())
    if not fingerprints:
        raise InputError(f"{path}: no trusted key in it (PEM public keys or fingerprints, one per line)")
    return fingerprints
