"""The synth room: synthetic data in the project's own model, for tests and benchmarks.

It imports the graph room only.
"""
