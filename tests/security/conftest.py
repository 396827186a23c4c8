"""Security tests: each reproduces an attack from the hardening issue and fails on the code before its fix."""
