"""Case digests: structured court cases and operations, their files, search, pages and revisions."""
