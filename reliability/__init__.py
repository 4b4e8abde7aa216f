"""plantflow reliability suite: scripted fault runs against the plant as separate processes."""
