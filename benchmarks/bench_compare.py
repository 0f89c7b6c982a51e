"""The fast pipeline on real messages, this tree against an earlier commit, in one run.

    python benchmarks/bench_compare.py --against 582de96 --data-dir ../shared/data

2,000 real messages (the first 1,200 TWCS customer tweets and 800 GermEval 2017 dev
posts) go through ``si.annotate`` (default pipeline) three times; the best time counts,
so the figure is the steps' cost with the encoder's cache warm. The intent step and the
journey mapper are also timed alone. Each tree runs in a fresh process (its own peak
RSS); the earlier commit is checked out with ``git worktree`` into a temporary folder and
imported through ``PYTHONPATH``. Results: ``benchmarks/results/compare_fast.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"


def _texts(data_dir: Path) -> list[str]:
    import pandas as pd

    tw = pd.read_csv(data_dir / "twcs" / "inbound_tweets.csv")["text"].astype(str).tolist()[:1200]
    with (data_dir / "germeval2017" / "dev.jsonl").open(encoding="utf-8") as fh:
        ge = [json.loads(line)["text"] for line in fh if line.strip()][:800]
    return tw + ge


def _best(f, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def child(data_dir: Path) -> dict:
    import pandas as pd

    import supportinsight as si
    from supportinsight.enrich.intent import IntentClassifier
    from supportinsight.journey.mapper import JourneyMapper

    texts = _texts(data_dir)
    frame = pd.DataFrame({"text": texts, "conversation_id": [str(i) for i in range(len(texts))]})
    si.annotate(frame.head(50))  # load the models outside the timing
    out = si.annotate(frame)
    seconds = _best(lambda: si.annotate(frame))
    clf, mapper = IntentClassifier(), JourneyMapper().fit()
    clf.predict_all(texts[:20]), mapper.map(texts[:20])
    return {"messages": len(texts), "annotate_msgs_per_s": round(len(texts) / seconds, 1),
            "intent_step_s": round(_best(lambda: clf.predict_all(texts)), 3),
            "journey_step_s": round(_best(lambda: mapper.map(texts)), 3),
            "unknown_touchpoint_share": round(float((out["touchpoint"] == "unknown").mean()), 3),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def _run(src: Path, data_dir: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(src))
    res = subprocess.run([sys.executable, __file__, "--child", "--data-dir", str(data_dir)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--against", default="582de96", help="the earlier commit to compare with")
    ap.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.data_dir)))
        return
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["git", "worktree", "add", "--detach", "-f", tmp, args.against], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            rows = {args.against: _run(Path(tmp) / "src", args.data_dir), head: _run(ROOT / "src", args.data_dir)}
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", tmp], cwd=ROOT, capture_output=True)
    before, now = rows[args.against], rows[head]
    change = now["annotate_msgs_per_s"] / before["annotate_msgs_per_s"] - 1
    result = {"date": time.strftime("%Y-%m-%d"), "cpu_count": os.cpu_count(), "rows": rows,
              "throughput_change": round(change, 3)}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "compare_fast.json").write_text(json.dumps(result, indent=1), "utf-8")
    keys = ["annotate_msgs_per_s", "intent_step_s", "journey_step_s", "unknown_touchpoint_share", "peak_rss_mb"]
    lines = [f"# Fast pipeline, {head} against {args.against} ({result['date']}, {os.cpu_count()} CPUs)", "",
             "| commit | " + " | ".join(keys) + " |", "|---|" + "---:|" * len(keys)]
    lines += [f"| {rev} | " + " | ".join(str(r[k]) for k in keys) + " |" for rev, r in rows.items()]
    lines += ["", f"Throughput change: {change:+.1%} (2,000 real messages, best of 3, encoder cache warm)."]
    (RESULTS / "compare_fast.md").write_text("\n".join(lines) + "\n", "utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
