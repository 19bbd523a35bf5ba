"""Shared parsing helpers: safe file reading and the mark-keeping YAML/JSON loader."""
