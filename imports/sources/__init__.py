"""The readers of each format: each yields imports.items.SourceItem, one at a
time, reading its source as a stream where the format allows."""
