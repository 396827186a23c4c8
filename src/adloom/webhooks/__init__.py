"""Webhooks: per-workspace subscriptions to project status changes, signed per Standard Webhooks."""
