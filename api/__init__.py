"""The public read API (/api/v1/, README "Using the API")."""
