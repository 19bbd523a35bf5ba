"""Rule loading and evaluation."""
