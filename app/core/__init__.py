"""Shared building blocks: database session, Markdown, audit log, mail, time helpers."""
