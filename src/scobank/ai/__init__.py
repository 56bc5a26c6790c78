"""Offline AI: embeddings, semantic index, HS suggestions."""
