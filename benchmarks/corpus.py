"""Benchmark corpora: the team's samples scaled to any size, with variation.

Each generated message recombines clauses of real sample messages and varies
names, numbers, emojis and casing, so texts are distinct (the embedding cache
cannot make the benchmark look faster than real work) while staying in the
domain. Deterministic for a given seed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
EMOJIS = ["", "", "", " 😡", " 🙄", " 😊", " 🙏", " 👍", " 😤", " 🤔", " :(", " :)", " !!!", " 🥲"]
PRODUCTS = ["Kopfhörer", "Staubsauger", "Kaffeemaschine", "headphones", "router", "vacuum", "kettle",
            "Smartwatch", "Toaster", "laptop stand", "Mixer", "e-reader"]
_SPLIT = re.compile(r"(?<=[.!?])\s+")


def _clauses(samples: Path) -> tuple[list[str], list[str]]:
    import supportinsight as si

    frame = si.load(samples)
    customer = frame.loc[frame["author_role"] == "customer", "body"].dropna().astype(str)
    agent = frame.loc[frame["author_role"] != "customer", "body"].dropna().astype(str)
    split = lambda s: [c.strip() for t in s for c in _SPLIT.split(t) if 8 <= len(c.strip()) <= 300]  # noqa: E731
    return split(customer), split(agent) or ["Danke für Ihre Nachricht, wir kümmern uns darum."]


def generate(n: int, *, seed: int = 0, chunk: int = 50_000, samples: Path = REPO / "data" / "samples"
             ) -> Iterator[pd.DataFrame]:
    """Yield canonical-ish frames totalling ``n`` messages (about 3 messages a conversation)."""
    rng = np.random.default_rng(seed)
    cust, agent = _clauses(samples)
    channels = np.array(["email", "chat", "social", "web_form", "review"])
    start = pd.Timestamp("2026-01-05", tz="UTC")
    made = 0
    while made < n:
        m = min(chunk, n - made)
        ids = np.arange(made, made + m)
        conv = ids // 3
        is_agent = (ids % 3) == 1
        a = rng.integers(0, len(cust), m)
        b = rng.integers(0, len(cust), m)
        texts = []
        for i in range(m):
            if is_agent[i]:
                t = agent[a[i] % len(agent)]
            else:
                t = cust[a[i]] + ((" " + cust[b[i]]) if rng.random() < 0.5 else "")
                t = t.replace("Bestellung", f"Bestellung {rng.integers(10000, 99999)}", 1) \
                     .replace("order", f"order {rng.integers(10000, 99999)}", 1)
                t += f" ({PRODUCTS[rng.integers(len(PRODUCTS))]})" if rng.random() < 0.4 else ""
                t += EMOJIS[rng.integers(len(EMOJIS))]
            texts.append(t)
        yield pd.DataFrame({
            "conversation_id": [f"c{c}" for c in conv],
            "message_id": [f"m{i}" for i in ids],
            "timestamp": start + pd.to_timedelta(ids * 37, unit="s"),
            "channel": channels[conv % len(channels)],
            "author_role": np.where(is_agent, "agent", "customer"),
            "author_id": [f"u{c % 5000}" for c in conv],
            "subject": None,
            "text": texts,
            "body": texts,
            "source": [f"bench:{i}" for i in ids],
        })
        made += m
