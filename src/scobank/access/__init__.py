"""Access: users, tokens, roles, policies, requests and agreements, the ledger, signatures."""
