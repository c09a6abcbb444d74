"""Users, roles, sign-up and sign-in, password reset, profile, practitioner applications."""
