"""Readers, schema inference, validators, reject reports."""
