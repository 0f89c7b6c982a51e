"""Speed and memory benchmarks, side by side in one run (``make bench``).

Each measurement runs in a fresh Python process, so its peak RSS is its own.
Results: ``benchmarks/results/annotate.md`` and ``.json``.

    python benchmarks/run.py                 # 10k + 100k annotate, VADER floor, 200k streaming
    python benchmarks/run.py --stream 1000000  # the 1M streaming run (about 30+ minutes on 2 cores)
    python benchmarks/run.py --quick         # 2k messages, a smoke run
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


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def one_annotate(n: int) -> dict:
    import pandas as pd

    sys.path.insert(0, str(HERE))
    from corpus import generate

    import supportinsight as si

    frame = pd.concat(list(generate(n)), ignore_index=True)
    si.annotate(frame.head(200))  # load models outside the timing
    t = time.perf_counter()
    out = si.annotate(frame, chunk_size=5000)
    dt = time.perf_counter() - t
    return {"task": "annotate", "messages": n, "seconds": dt, "messages_per_s": n / dt,
            "peak_rss_mb": _peak_rss_mb(), "errors": int((out["annotation_errors"] != "").sum())}


def one_stream(n: int) -> dict:
    sys.path.insert(0, str(HERE))
    from corpus import generate

    import supportinsight as si

    t = time.perf_counter()
    done = 0
    for part in si.annotate_stream(generate(n, chunk=20_000)):
        done += len(part)
    dt = time.perf_counter() - t
    return {"task": "annotate_stream", "messages": done, "seconds": dt, "messages_per_s": done / dt,
            "peak_rss_mb": _peak_rss_mb()}


def one_vader(n: int) -> dict:
    import pandas as pd

    sys.path.insert(0, str(HERE))
    from corpus import generate
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    texts = pd.concat(list(generate(n)), ignore_index=True)["text"].tolist()
    sia = SentimentIntensityAnalyzer()
    t = time.perf_counter()
    for x in texts:
        sia.polarity_scores(x)
    dt = time.perf_counter() - t
    return {"task": "vader_only", "messages": n, "seconds": dt, "messages_per_s": n / dt,
            "peak_rss_mb": _peak_rss_mb()}


def _run_child(task: str, n: int) -> dict:
    cmd = [sys.executable, __file__, "--child", task, str(n)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"task": task, "messages": n, "error": proc.stderr.strip().splitlines()[-1:] or ["failed"]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem, 1), "python": platform.python_version(),
            "platform": platform.platform()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--child", nargs=2, metavar=("TASK", "N"), help=argparse.SUPPRESS)
    ap.add_argument("--sizes", default="10000,100000", help="annotate sizes, comma-separated")
    ap.add_argument("--stream", type=int, default=200_000, help="messages for the streaming run (0 = skip)")
    ap.add_argument("--quick", action="store_true", help="2k messages only")
    args = ap.parse_args()
    if args.child:
        task, n = args.child[0], int(args.child[1])
        fn = {"annotate": one_annotate, "stream": one_stream, "vader": one_vader}[task]
        print(json.dumps(fn(n)))
        return
    sizes = [2000] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    rows = [_run_child("vader", sizes[0])]
    rows += [_run_child("annotate", n) for n in sizes]
    if args.stream and not args.quick:
        rows.append(_run_child("stream", args.stream))
    result = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "rows": rows}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "annotate.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [f"# Annotation benchmark ({result['date']})", "",
             f"Machine: {result['machine']['cpu']}, {result['machine']['cores']} cores, "
             f"{result['machine']['memory_gb']} GB, Python {result['machine']['python']}", "",
             "| task | messages | seconds | messages/s | peak RSS (MB) |", "|---|---:|---:|---:|---:|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['task']} | {r['messages']:,} | failed: {r['error']} | | |")
        else:
            lines.append(f"| {r['task']} | {r['messages']:,} | {r['seconds']:.1f} | {r['messages_per_s']:,.0f} "
                         f"| {r['peak_rss_mb']:,.0f} |")
    (RESULTS / "annotate.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
