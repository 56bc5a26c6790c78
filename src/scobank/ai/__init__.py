"""Offline AI: embeddings, semantic index, HS suggestions (the search
service over them is `scobank.search`).

`embedder()` is the entry point for vectors; see `scobank.ai.embedding` for the contract."""

from scobank.ai.embedding import Embedder, embedder

__all__ = ["Embedder", "embedder"]
