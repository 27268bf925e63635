"""Collecting: sources → one day's snapshot.

`collector` asks each source (`sources/`) for the day's posts through one HTTP
session (`http`, with the limits of `transport`), aggregates them per paper,
asks arXiv for metadata and oEmbed for the posts a page shows; `carry` keeps
what a silent source found before; `fetch` is the `hotpapers fetch` command
that writes the day files.
"""
