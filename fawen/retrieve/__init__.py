"""Retrieval: from a lay question to the articles a lawyer would cite."""
