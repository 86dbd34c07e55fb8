"""E-mail alerts for the public (issue 17): readers subscribe to what a page
of the site shows, confirm by mail, and receive each public release, or a
daily digest, by e-mail. Subscribes to releases/events.py and
outbox.signals; its public surface is `alerts.services` (README, "E-mail
alerts")."""
