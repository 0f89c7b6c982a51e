"""Enrichment steps: language, emojis, sentiment, intents, embeddings, topics."""
