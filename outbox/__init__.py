"""The outbox: every message the product sends is a row here, written in
the transaction that calls for it and delivered by a worker after it
commits, once. The public surface is `outbox.services.send`."""
