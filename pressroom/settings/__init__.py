"""Settings modules: `main` picks dev or production by DEBUG; `test` is for the suite."""
