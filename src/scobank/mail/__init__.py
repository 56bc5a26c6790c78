"""E-mail of the bank: each user's mail language and opt-outs, the outbox, and its delivery through a
real SMTP server. Below every area that writes to people (the exchange's alerts, stewardship's access
requests): an area puts a `Letter` in the outbox in language-neutral form (msgids of the portal's
catalogs and their arguments) and `deliver_outbox` writes it in the recipient's language at sending time.
"""
