"""journey stage."""
