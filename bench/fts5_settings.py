"""Bench only: the archive's settings serving bench/fts5_site.py's URLs (the archive plus /fts5/)."""

from archive.settings import *  # noqa: F403

ROOT_URLCONF = "fts5_site"
