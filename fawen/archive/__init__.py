"""Audit a platform's whole archive: `fawen check --from … --out …`, resumable, across cores or a Ray cluster.

inputs.py      sources: a directory, JSONL, CSV, Parquet, a SQLite query → pages with an id
work.py        what a worker does with one batch of pages (through fawen.service) → output rows
since.py       --since DATE: which laws changed after DATE, and whether a page cites one
engines.py     run batches serially or in worker processes; ray_engine.py through Ray Data
outputs.py     JSONL / Parquet results written batch by batch; reading them back
checkpoint.py  the checkpoint beside the output, the summary, the lock
run.py         audit(): the whole run, resumable
progress.py    a bar in a terminal, plain lines otherwise
digest.py, charts.py, report.py   the editors' HTML report
"""
