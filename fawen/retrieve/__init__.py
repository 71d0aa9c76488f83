"""Retrieval: from a lay question to the articles a lawyer would cite.

search.py (entry point) → lookup.py (cited articles, named laws) → rank.py (candidates, features, linear
ranking) over index.py (built with the corpus: bm25.py fields, links.py citations) and learned.py (what
learn/retrieval.py, outside the package, learned from question/article pairs; glossary.py is the small hand
table beside it). The Library (fawen/library.py) holds the loaded index and learned parts of a generation.
"""
