"""Dialin: an offline, accessible billing assistant."""
