"""Digest pages and the API, thin: parse the request, call a service or a read, render."""
