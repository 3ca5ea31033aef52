"""Routing: queries, per-query edge weights, the Pareto engine and the planner."""
