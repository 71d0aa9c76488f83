"""Retrieval: from a lay question to the articles a lawyer would cite.

search.py (entry point) → lookup.py (cited articles, named laws) → rank.py (candidates, features, linear
ranking) over index.py (built with the corpus: bm25.py fields, links.py citations) and learned.py (what
learn/retrieval.py, outside the package, learned from question/article pairs; glossary.py is the small hand
table beside it; concepts.py the lay→legal lexicon learn/lexicon.py mines), dense.py (article vectors of a
generation from vectors.py's cache, and the query encoder). The Library (fawen/library.py) holds the loaded
index, learned parts and vectors of a generation.
"""
