"""Thin views: parse the form, call a service, show the result or the errors next to the fields."""
