"""How a delivery is signed, as Stripe and GitHub do: HMAC-SHA256, with the
endpoint's secret, over the time of sending and the body, so that a receiver
can tell the request is ours, unaltered and recent (README, "Webhooks").

    Pressroom-Signature: t=1764770000,v1=5257a869e7...
"""

import hashlib
import hmac

HEADER = "Pressroom-Signature"


def signature(secret, timestamp, body):
    """The hex HMAC-SHA256 of "<timestamp>.<body>" (`body`: bytes)."""
    message = str(int(timestamp)).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header(secret, timestamp, body):
    return f"t={int(timestamp)},v1={signature(secret, timestamp, body)}"


def verify(secret, value, body, *, now, tolerance=300):
    """Whether the header `value` signs `body` with `secret`, made within
    `tolerance` seconds of `now`: what a receiver does (the README has it
    standalone)."""
    parts = dict(part.split("=", 1) for part in value.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), signature(secret, timestamp, body))
