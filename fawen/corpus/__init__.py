"""Statute sources → one versioned corpus (SQLite), and the read API over it."""
