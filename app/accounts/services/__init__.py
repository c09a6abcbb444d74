"""Every write of accounts: users and applications (`users`), signing in and out (`sessions`)."""
