"""The endpoints room: a release served over SPARQL, or pushed into another store.

The read-only Oxigraph server, the front that puts a release's website and its SPARQL
endpoint on one address (``pickg serve``), and the Graph Store Protocol push. It imports the graph
and queries rooms (the SPARQL protocol client lives in :mod:`pickg.queries.client`).
"""
