"""The validation room: does the data conform to its shapes and checks?

The shapes and options, the reference engine (pySHACL), the fast engine (the shapes
compiled to SPARQL and run in a store), rule inference, the data checks, the report.
It imports the graph room, and the queries room to run the checks.
"""
