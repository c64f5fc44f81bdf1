"""Importing this module registers every rule module."""
