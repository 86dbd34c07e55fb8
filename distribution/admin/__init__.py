from . import contacts, lists, sends  # noqa: F401  (each registers its admin)
