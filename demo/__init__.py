"""Development tooling: the demo content (`load_demo`), the demo accounts
(`demo_accounts`) and the synthetic archive for benchmarks (`seed_releases`).
Installed by the development and test settings, and by the production
settings only with PRESSROOM_DEMO_APP=1 (README, "Where things are")."""
