"""Answer pages for legal questions, offline by default.

    question.py    what a question asks: its kind, the act of a yes/no question, the issues it raises
    verdict.py     the verdict of a yes/no question, from the operators of the decisive article (or none)
    compose.py     the extractive engine: the basis (decisive article first), verdict, 摘要, sections, steps
    focus.py       the statement of an article that speaks to the question, and its clause quoted whole
    summary.py     the 摘要: the verdict and the decisive clause with its citation
    sections.py    sections by the question's issues with plain labels; nothing said twice
    steps.py       怎么办: where to go, time limits, evidence, each grounded in an article in force
    routes.py      routes recognised from article text (治安, 行政, 刑事/自诉/公诉, 民事, 程序)
    thresholds.py  「情节严重」 and other thresholds from judicial interpretations that cite an article
    expand.py      interpretation → interpreted article; sibling routes (治安 ⇄ 刑法 ⇄ 民法典)
    vet.py         one audit of the finished page; flagged lines are dropped
    intent.py      whether a question asks something the law answers (small talk gets 未检索到相关规定)
    llm.py         the optional engine: any OpenAI-compatible endpoint, every citation audited
    render.py      terminal, Markdown, JSON and HTML-fragment renderers
"""
