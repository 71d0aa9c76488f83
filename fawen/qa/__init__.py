"""The Q&A knowledge base: import, cleaning, near-duplicate clusters, audited answers, related questions."""
