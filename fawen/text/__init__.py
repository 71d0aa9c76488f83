"""Chinese text utilities: numerals, article labels, normalisation."""

from fawen.text.labels import ArticleRef, article_label, parse_article_ref
from fawen.text.normalize import normalize
from fawen.text.numerals import cn_to_int, int_to_cn

__all__ = ["ArticleRef", "article_label", "cn_to_int", "int_to_cn", "normalize", "parse_article_ref"]
