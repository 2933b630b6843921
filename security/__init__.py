"""Who may see what: sign-in, the authorisation table, masking of personal data."""
