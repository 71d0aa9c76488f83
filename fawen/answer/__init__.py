"""Answer pages for legal questions, offline by default.

    compose.py     the extractive engine: select hits, follow the law, build sections and the 摘要
    routes.py      routes recognised from article text (治安, 行政, 刑事/自诉/公诉, 民事, 程序)
    thresholds.py  「情节严重」 and other thresholds from judicial interpretations that cite an article
    expand.py      interpretation → interpreted article; sibling routes (治安 ⇄ 刑法 ⇄ 民法典)
    focus.py       the statement of an article that speaks to the question
    sections.py    one section per route: what it is, who decides, conditions
    summary.py     2–4 cited sentences with a direct 可以 / 不可以 / 视情况
    vet.py         one audit of the finished page; flagged lines are dropped
    intent.py      whether a question asks something the law answers (small talk gets 未检索到相关规定)
    llm.py         the optional engine: any OpenAI-compatible endpoint, every citation audited
    render.py      terminal, Markdown, JSON and HTML-fragment renderers
"""
