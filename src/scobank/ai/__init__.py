"""Offline AI: embeddings, semantic index, hybrid search, HS suggestions.

`embedder()` is the entry point for vectors; see `scobank.ai.embedding` for the contract."""

from scobank.ai.embedding import Embedder, embedder

__all__ = ["Embedder", "embedder"]
