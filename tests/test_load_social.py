"""Social posts: TWCS threads and JSON Lines posts/reviews."""

from __future__ import annotations

import json

import pandas as pd

import supportinsight as si
from supportinsight.loaders.social import thread_roots


def test_load_social_twcs_threads_rebuilt(tmp_path):
    path = tmp_path / "twcs.csv"
    path.write_text(
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        "1,115712,True,Tue Oct 31 22:10:47 +0000 2017,@Brand where is my order?,2,\n"
        "2,Brand,False,Tue Oct 31 22:15:00 +0000 2017,@115712 DM us please,3,1.0\n"
        "3,115712,True,Tue Oct 31 22:20:00 +0000 2017,@Brand done,,2.0\n"
        "4,115713,True,Wed Nov 01 08:00:00 +0000 2017,@Brand reply to a tweet not in the file,,999\n"
        "5,115714,perhaps,Wed Nov 01 08:00:00 +0000 2017,@Brand ?,,\n", encoding="utf-8")
    frame, quarantine = si.load(path, return_quarantine=True)
    assert frame.attrs["formats"][str(path)] == "twcs"
    assert frame["conversation_id"].tolist() == ["tweet-1", "tweet-1", "tweet-1", "tweet-4", "tweet-5"]
    assert frame["author_role"].tolist() == ["customer", "agent", "customer", "customer", "unknown"]
    assert frame["channel"].unique().tolist() == ["social"]
    assert frame["timestamp"].iloc[0] == pd.Timestamp("2017-10-31 22:10:47", tz="UTC")
    assert "'perhaps' is neither True nor False" in frame["load_warnings"].iloc[4]
    assert len(quarantine) == 0


def test_load_social_thread_roots_survive_cycles():
    roots = thread_roots({"a": None, "b": "a", "c": "b", "x": "y", "y": "x"})
    assert roots["c"] == "a" and roots["b"] == "a"
    assert roots["x"] == roots["y"]


def test_load_social_jsonl_posts_reviews_and_brand_replies(tmp_path):
    lines = [
        {"post_id": "p1", "platform": "instagram", "author_id": "K-9", "text": "Paket fehlt 😡",
         "created_at": "2024-03-01T10:00:00Z"},
        {"post_id": "p2", "in_reply_to": "p1", "platform": "instagram", "is_brand": True, "author_id": "shop",
         "text": "Sorry! DM?", "created_at": "2024-03-01T11:00:00Z"},
        {"post_id": "r1", "platform": "trustpilot", "rating": 1, "text": "Nie wieder", "created_at": "2024-03-02"},
        {"post_id": "p2", "text": "duplicate"},
    ]
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n{broken\n", encoding="utf-8")
    frame, quarantine = si.load(path, return_quarantine=True)
    assert frame["conversation_id"].tolist() == ["post-p1", "post-p1", "post-r1"]
    assert frame["author_role"].tolist() == ["customer", "agent", "customer"]
    assert frame["channel"].tolist() == ["social", "social", "review"]
    assert frame["extra_rating"].iloc[2] == 1
    assert sorted(quarantine["record"]) == ["4", "5"]


def test_load_social_twcs_forced_on_other_csv_names_missing_columns(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("id,text\n1,hello\n", encoding="utf-8")
    try:
        si.load(path, format="twcs")
    except si.LoadError as exc:
        assert "not a TWCS file" in str(exc) and exc.field == "tweet_id"
    else:  # pragma: no cover
        raise AssertionError("expected a LoadError")
