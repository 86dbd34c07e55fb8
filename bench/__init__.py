"""The benchmark of issue 8: `make bench` (see README, "Performance")."""
