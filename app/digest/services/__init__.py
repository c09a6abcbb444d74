"""Every write of the digest: curation (drafts, revisions, review, restore), loading case files."""
