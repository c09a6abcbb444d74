"""Learning pages, thin: parse the request, call a service, render."""
