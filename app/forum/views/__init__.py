"""Forum pages, thin: parse the form, call a service, render or redirect."""
