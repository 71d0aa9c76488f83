"""What the answer engine needs from the corpus generation it answers from: the auditor's kit (corpus,
quote index, resolver, search) plus the interpretation reference table, the who-decides articles and the
articles that ground the steps of 怎么办.

The Library (fawen/library.py) is one; answer/ only sees this protocol, so it imports nothing above it.
"""

from __future__ import annotations

from typing import Protocol

from fawen.answer.steps import Guides
from fawen.answer.thresholds import ReferenceIndex
from fawen.cite.kit import Kit as CiteKit
from fawen.models import Article


class Kit(CiteKit, Protocol):
    @property
    def references(self) -> ReferenceIndex: ...

    @property
    def guides(self) -> Guides:
        """The articles that ground the steps of 怎么办 (steps.Guides)."""
        ...

    def decider(self, version_id: int) -> tuple[Article, str] | None:
        """The article of a law version saying who decides its penalties (sections.find_decider), or None."""
        ...
