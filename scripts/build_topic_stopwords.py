"""Rebuild src/supportinsight/data/stopwords_{de,en}.txt from spaCy's shipped stop word lists.

Run: python scripts/build_topic_stopwords.py
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.lang.de.stop_words import STOP_WORDS as GERMAN
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH

DATA = Path(__file__).resolve().parents[1] / "src" / "supportinsight" / "data"
HEADER = ("# {name} stop words from spaCy {version} (spacy/lang/{code}/stop_words.py, MIT license). "
          "Rebuild: python scripts/build_topic_stopwords.py\n")

for code, name, words in (("de", "German", GERMAN), ("en", "English", ENGLISH)):
    path = DATA / f"stopwords_{code}.txt"
    path.write_text(HEADER.format(name=name, version=spacy.__version__, code=code) + "\n".join(sorted(words)) + "\n",
                    encoding="utf-8")
    print(f"wrote {path} ({len(words)} words)")
