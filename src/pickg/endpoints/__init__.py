"""The endpoints room: a release served over SPARQL, or pushed into another store.

The read-only Oxigraph server and the Graph Store Protocol push. It imports the graph
and queries rooms (the SPARQL protocol client lives in :mod:`pickg.queries.client`).
"""
