"""AI tests: the real embedder (no stand-in); the HS vectors' cache folder is shared by every test
(tests/conftest.py: SCOBANK_AI_CACHE_DIR, var/ai-cache in the checkout)."""
