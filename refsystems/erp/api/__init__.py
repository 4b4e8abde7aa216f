"""One router per OData service (and one for the admin factories)."""
