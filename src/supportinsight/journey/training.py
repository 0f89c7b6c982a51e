"""Training rows for the learned journey mapper: taxonomy examples and mapped public data.

* :func:`taxonomy_examples`: the examples a taxonomy file carries (team-written for
  the shipped taxonomies), one row per example with its touchpoint and phase.
* :func:`mapped_examples`: real utterances of a public intent data set whose intents
  the package maps to touchpoints and phases (``data/journey/mappings/<set>.yaml``:
  Bitext, CDLA-Sharing-1.0; BANKING77, CC BY 4.0). The data itself is not shipped;
  the training command reads it from a folder (``--data-dir``).

Every frame has the columns ``text``, ``touchpoint``, ``phase``, ``lang`` and ``group``
(where the row came from, for :func:`~supportinsight.journey.learned.class_weights`).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import LabelError, LoadError
from .taxonomy import UNKNOWN, JourneyTaxonomy

__all__ = ["taxonomy_examples", "mapped_examples", "MAPPED_SETS", "COLUMNS"]

COLUMNS = ("text", "touchpoint", "phase", "lang", "group")
#: Public sets with a mapping file: name -> (file under the data folder, text column, intent column).
MAPPED_SETS: dict[str, tuple[str, str, str]] = {
    "bitext": ("bitext/train.csv", "utterance", "intent"),
    "banking77": ("banking77/train.csv", "text", "category"),
}


def taxonomy_examples(tax: JourneyTaxonomy) -> pd.DataFrame:
    """One row per example of the taxonomy; an example without a phase takes its touchpoint's primary phase."""
    rows = []
    for t in tax.touchpoints:
        for lang in ("de", "en"):
            for text, phase in t.examples(lang):
                rows.append((text, t.id, phase or (UNKNOWN if t.id == UNKNOWN else t.primary_phase), lang, "team"))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _mapping(name: str) -> dict[str, Any]:
    import yaml

    text = resources.files("supportinsight.data.journey").joinpath(f"mappings/{name}.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def mapped_examples(tax: JourneyTaxonomy, data_dir: str | Path, sets: tuple[str, ...] = ("bitext", "banking77"),
                    *, phase_map: dict[str, str] | None = None) -> pd.DataFrame:
    """Rows of the public sets whose intents map to a touchpoint of ``tax``.

    The mapping files are written for the default taxonomy; a taxonomy with other
    phases passes ``phase_map`` (default phase -> its phase). Intents mapped to a
    touchpoint the taxonomy lacks are left out.
    """
    data_dir = Path(data_dir)
    frames = []
    phase_map = phase_map or {}
    for name in sets:
        if name not in MAPPED_SETS:
            raise LabelError(f"no mapping file for {name!r}; sets with one: {sorted(MAPPED_SETS)}")
        rel, text_col, label_col = MAPPED_SETS[name]
        path = data_dir / rel
        if not path.is_file():
            raise LoadError(f"{name} is not in {data_dir}; pass --data-dir with the shared data folder", file=str(path))
        frame = pd.read_csv(path)
        table = _mapping(name)["intents"]
        keep = frame[label_col].isin(table)
        sub = frame.loc[keep]
        tps = sub[label_col].map(lambda i: table[i]["touchpoint"])
        ok = tps.isin(tax.touchpoint_ids)
        sub, tps = sub.loc[ok], tps.loc[ok]
        phases = sub[label_col].map(lambda i: phase_map.get(table[i]["phase"], table[i]["phase"]))
        frames.append(pd.DataFrame({"text": sub[text_col].astype(str).to_numpy(), "touchpoint": tps.to_numpy(),
                                    "phase": phases.to_numpy(), "lang": "en", "group": name}))
    if not frames:
        return pd.DataFrame(columns=list(COLUMNS))
    return pd.concat(frames, ignore_index=True)
