"""Webhooks: releases announced to the endpoints administrators register
(README, "Webhooks")."""
