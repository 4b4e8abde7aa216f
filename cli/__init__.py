"""The operator CLI's command groups; starter.py assembles them."""
