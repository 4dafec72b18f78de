"""Print a new VAPID key pair for Web Push as environment lines (PONT_VAPID_PUBLIC_KEY, PONT_VAPID_PRIVATE_KEY)."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def new_pair() -> tuple[str, str]:
    """Return (public, private) base64url: the public key as the browser's applicationServerKey (uncompressed
    P-256 point), the private key as the raw 32-byte scalar pywebpush signs with."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64(public), _b64(key.private_numbers().private_value.to_bytes(32, "big"))


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        public, private = new_pair()
        self.stdout.write(f"PONT_VAPID_PUBLIC_KEY={public}\nPONT_VAPID_PRIVATE_KEY={private}\n")
